/** The page's announcement of the last change it made (read out as it changes; hidden while empty). */
export function LastChange({ announcement }: { announcement: string }) {
  return (
    <p role="status" aria-label="Last change" className={announcement ? "text-sm text-slate-700" : "sr-only"}>
      {announcement}
    </p>
  );
}
