import type { CycleFields } from "@/db/queries/cycles";
import { cycleStatusFromName, type CycleStatusName } from "@/lib/sessions/status";

/** A date as the API and forms write it (YYYY-MM-DD), stored as that day's UTC midnight. */
export const dayToDate = (day: string | null): Date | null => (day === null ? null : new Date(`${day}T00:00:00Z`));

/** The fields a caller sent, under the stored names; what was not sent stays absent (unchanged). */
export function cycleFieldsFromBody(body: {
  name?: string;
  start_date?: string | null;
  end_date?: string | null;
  status?: CycleStatusName;
}): Partial<CycleFields> {
  return {
    ...(body.name !== undefined && { name: body.name }),
    ...(body.start_date !== undefined && { startsOn: dayToDate(body.start_date) }),
    ...(body.end_date !== undefined && { endsOn: dayToDate(body.end_date) }),
    ...(body.status !== undefined && { status: cycleStatusFromName(body.status) }),
  };
}
