"use client";

import { useCallback, useId, useState } from "react";
import { useDropzone, type Accept, type FileRejection } from "react-dropzone";
import type { ImportMode } from "@/components/api/jobs";
import { UploadItemRow } from "@/components/jobs/upload-item";
import { isFinished, MAX_PARALLEL_UPLOADS, type UploadRegistrar } from "@/components/jobs/upload-queue";
import { useUploads } from "@/components/jobs/use-upload";
import { ActionButton } from "@/components/ui/action-button";

const ACCEPT: Accept = {
  "text/csv": [".csv"],
  "text/tab-separated-values": [".tsv"],
  "text/plain": [".txt"],
};

const IMPORT_MODES: { value: ImportMode; label: string }[] = [
  { value: "upsert", label: "Add new contacts and update existing ones" },
  { value: "create", label: "Only add new contacts" },
  { value: "update", label: "Only update existing contacts" },
];

function rejectionMessage({ file, errors }: FileRejection): string {
  if (errors.some((error) => error.code === "file-invalid-type")) {
    return `${file.name} is not a contact file: choose .csv, .tsv or .txt files`;
  }
  return errors.map((error) => error.message).join("; ") || `${file.name} cannot be uploaded`;
}

/** Drop (or choose) contact files; each one is uploaded, checked and queued as a job, with its progress. */
export function UploadDropzone({
  companyId,
  register,
  chooseImportMode = true,
}: {
  companyId: string;
  /** What becomes of each stored file (a job unless told otherwise). */
  register?: UploadRegistrar;
  /** Off where the import mode is set elsewhere (an upload session's). */
  chooseImportMode?: boolean;
}) {
  const { items, queue } = useUploads({ companyId, register });
  const [importMode, setImportMode] = useState<ImportMode>("upsert");
  const titleId = useId();
  const hintId = useId();
  const modeId = useId();

  const onDrop = useCallback(
    (accepted: File[], rejected: FileRejection[]) => {
      if (accepted.length > 0) queue.add(accepted, importMode);
      for (const rejection of rejected) queue.addRefused(rejection.file, rejectionMessage(rejection), importMode);
    },
    [queue, importMode],
  );
  const { getRootProps, getInputProps, isDragActive, isDragReject } = useDropzone({
    onDrop,
    accept: ACCEPT,
    multiple: true,
  });

  const finished = items.filter(isFinished).length;
  return (
    <div className="space-y-4">
      <div
        {...getRootProps({ role: "button", "aria-labelledby": titleId, "aria-describedby": hintId })}
        data-testid="upload-dropzone"
        className={`flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed px-6 py-10 text-center transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${
          isDragReject
            ? "border-red-400 bg-red-50"
            : isDragActive
              ? "border-indigo-500 bg-indigo-50"
              : "border-slate-300 bg-slate-50 hover:border-indigo-400 hover:bg-indigo-50/40"
        }`}
      >
        <input {...getInputProps({ "aria-label": "CSV files to upload" })} />
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          className="mb-3 size-8 text-indigo-500"
          fill="none"
          stroke="currentColor"
          strokeWidth={1.5}
        >
          <path
            strokeLinecap="round"
            strokeLinejoin="round"
            d="M12 16.5V3.75m0 0L7.5 8.25M12 3.75l4.5 4.5M3.75 15v3.75A1.5 1.5 0 0 0 5.25 20.25h13.5a1.5 1.5 0 0 0 1.5-1.5V15"
          />
        </svg>
        <p id={titleId} className="text-sm font-semibold text-slate-900">
          {isDragActive ? "Drop the files to upload them" : "Drop CSV files here, or click to choose"}
        </p>
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          .csv, .tsv or .txt with the headers email, first_name, last_name and company. Several at once:{" "}
          {MAX_PARALLEL_UPLOADS} upload together.
        </p>
      </div>

      <div className="flex flex-wrap items-center justify-between gap-3">
        {chooseImportMode ? (
          <div className="flex items-center gap-2">
            <label htmlFor={modeId} className="text-sm font-medium text-slate-700">
              Import mode
            </label>
            <select
              id={modeId}
              value={importMode}
              onChange={(event) => setImportMode(event.currentTarget.value as ImportMode)}
              className="rounded-md border-0 py-1.5 pr-8 pl-2 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600"
            >
              {IMPORT_MODES.map((mode) => (
                <option key={mode.value} value={mode.value}>
                  {mode.label}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <span />
        )}
        {finished > 0 ? <ActionButton onClick={() => queue.clearFinished()}>Clear finished</ActionButton> : null}
      </div>

      {items.length > 0 ? (
        <ul aria-label="Uploads" className="divide-y divide-slate-100 border-t border-slate-100">
          {items.map((item) => (
            <UploadItemRow
              key={item.id}
              item={item}
              onCancel={() => queue.cancel(item.id)}
              onRetry={() => queue.retry(item.id)}
            />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
