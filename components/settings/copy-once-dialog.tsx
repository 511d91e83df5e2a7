"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/**
 * A secret Intake shows once (an API key, an invitation link): in a modal dialog, selectable and with
 * a Copy button, closed only by saying it was copied.
 */
export function CopyOnceDialog({
  title,
  explanation,
  label,
  value,
  confirmLabel,
  onClose,
  children,
}: {
  title: string;
  explanation: ReactNode;
  /** The field's label, e.g. "Secret key". */
  label: string;
  value: string;
  confirmLabel: string;
  onClose: () => void;
  /** What follows the field, e.g. an example request. */
  children?: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const copy = async () => {
    // Browsers offer the clipboard only to secure pages (https or localhost); elsewhere the value stays selectable.
    if (!navigator.clipboard) return;
    await navigator.clipboard.writeText(value);
    setCopied(true);
  };
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto max-w-2xl rounded-lg p-6 shadow-xl backdrop:bg-slate-900/50"
    >
      <h3 id={titleId} className="text-lg font-semibold text-slate-900">
        {title}
      </h3>
      <p className="mt-2 text-sm text-slate-600">{explanation}</p>
      <label className="mt-4 block text-sm font-medium text-slate-700">
        {label}
        <Input readOnly value={value} className="mt-1 font-mono" onFocus={(event) => event.target.select()} />
      </label>
      <div className="mt-2 flex items-center gap-3">
        <Button type="button" variant="secondary" onClick={() => void copy()}>
          Copy
        </Button>
        {copied ? (
          <span role="status" className="text-sm text-emerald-700">
            Copied
          </span>
        ) : null}
      </div>
      {children}
      <div className="mt-6 flex justify-end">
        <Button type="button" onClick={() => dialog.current?.close()}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
