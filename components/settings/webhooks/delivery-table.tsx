"use client";

import { useQuery } from "@tanstack/react-query";
import { deliveriesQueryKey, fetchDeliveries } from "@/components/api/webhooks";
import { RelativeTime } from "@/components/ui/relative-time";

const DELIVERY_COLUMNS = ["Event", "Status", "Status code", "Attempts", "Next attempt", "Last error", "Created"];

/** A webhook's newest deliveries: each one's status, answer, attempts and last error. */
export function DeliveryTable({ webhookId }: { webhookId: string }) {
  const deliveries = useQuery({ queryKey: deliveriesQueryKey(webhookId), queryFn: () => fetchDeliveries(webhookId) });
  if (deliveries.isPending) return <p className="mt-3 text-sm text-slate-600">Loading deliveries…</p>;
  if (deliveries.error)
    return (
      <p role="alert" className="mt-3 text-sm text-red-700">
        {deliveries.error.message}
      </p>
    );
  if (deliveries.data.length === 0) return <p className="mt-3 text-sm text-slate-600">No deliveries yet.</p>;
  return (
    <table aria-label="Deliveries" className="mt-3 min-w-full divide-y divide-slate-200 text-sm">
      <thead>
        <tr className="text-left text-slate-500">
          {DELIVERY_COLUMNS.map((column) => (
            <th key={column} scope="col" className="py-2 pr-4 font-medium">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {deliveries.data.map((delivery) => (
          <tr key={delivery.id}>
            <td className="py-2 pr-4 font-mono text-slate-900">{delivery.event}</td>
            <td className="py-2 pr-4 text-slate-700">{delivery.status}</td>
            <td className="py-2 pr-4 text-slate-700">{delivery.status_code ?? "none"}</td>
            <td className="py-2 pr-4 text-slate-700">{delivery.attempts}</td>
            <td className="py-2 pr-4 text-slate-700">
              {delivery.next_attempt_at ? <RelativeTime iso={delivery.next_attempt_at} /> : "none"}
            </td>
            <td className="py-2 pr-4 break-all text-slate-700">{delivery.last_error ?? ""}</td>
            <td className="py-2 pr-4 text-slate-700">
              <RelativeTime iso={delivery.created_at} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
