import type { ButtonHTMLAttributes } from "react";

type Tone = "neutral" | "danger" | "danger-solid";

const TONES: Record<Tone, string> = {
  neutral:
    "bg-white text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-indigo-600",
  danger: "bg-white text-red-700 ring-1 ring-inset ring-red-200 hover:bg-red-50 focus-visible:outline-red-600",
  "danger-solid": "bg-red-600 text-white hover:bg-red-500 focus-visible:outline-red-600",
};

/** A compact button for actions inside table rows and lists. */
export function ActionButton({
  tone = "neutral",
  className = "",
  type = "button",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: Tone }) {
  return (
    <button
      type={type}
      className={`inline-flex items-center justify-center rounded-md px-2 py-1 text-xs font-semibold whitespace-nowrap shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-60 ${TONES[tone]} ${className}`}
      {...props}
    />
  );
}
