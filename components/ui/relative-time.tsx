"use client";

import { useEffect, useState } from "react";
import { formatRelative } from "@/lib/format/dates";

/** "3 minutes ago", kept current; the exact local time on hover and for machines. */
export function RelativeTime({ iso }: { iso: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 30_000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, []);
  const date = new Date(iso);
  const exact = date.toLocaleString();
  return (
    <time dateTime={iso} title={exact} className="whitespace-nowrap">
      {now === null ? exact : formatRelative(date, now)}
    </time>
  );
}
