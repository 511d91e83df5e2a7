"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/", label: "Overview" },
  { href: "/jobs", label: "Jobs" },
  { href: "/issues", label: "Issues" },
  { href: "/contacts", label: "Contacts" },
  { href: "/sessions", label: "Sessions" },
  { href: "/settings", label: "Settings" },
] as const;

/** Only platform administrators see Admin (its page answers 404 to everyone else). */
const ADMIN_LINK = { href: "/admin", label: "Admin" } as const;

export function NavLinks({ platformAdmin = false }: { platformAdmin?: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-wrap gap-1">
      {(platformAdmin ? [...LINKS, ADMIN_LINK] : LINKS).map((link) => {
        const active = link.href === "/" ? pathname === "/" : pathname.startsWith(link.href);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-2 text-sm font-medium ${
              active ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
            }`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
