import type { ReactNode } from "react";

/** The red box that says why something failed: a refused form, a failed load. Announced as it appears. */
export function FormAlert({ children, id, className = "" }: { children: ReactNode; id?: string; className?: string }) {
  return (
    <p id={id} role="alert" className={`rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ${className}`}>
      {children}
    </p>
  );
}
