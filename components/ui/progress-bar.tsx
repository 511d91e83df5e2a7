type Tone = "indigo" | "sky" | "emerald" | "red";

const TONES: Record<Tone, string> = {
  indigo: "bg-indigo-600",
  sky: "bg-sky-500",
  emerald: "bg-emerald-500",
  red: "bg-red-500",
};

/**
 * A determinate progress bar. `label` is its accessible name (say what is progressing);
 * `valueText` what a screen reader announces instead of the bare percentage, e.g. "1.2 MB of 4 MB".
 */
export function ProgressBar({
  value,
  label,
  valueText,
  tone = "indigo",
  className = "",
}: {
  value: number;
  label: string;
  valueText?: string;
  tone?: Tone;
  className?: string;
}) {
  const percent = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={valueText ?? `${percent}%`}
      className={`h-2 w-full overflow-hidden rounded-full bg-slate-100 ${className}`}
    >
      <div
        className={`h-full rounded-full transition-[width] duration-300 ${TONES[tone]}`}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
