"use client";

/** The groups a member or an API key can hold, as Settings offers them. */
export const GROUP_CHOICES = [
  { group: "viewer", label: "Viewer", detail: "read jobs, issues and contacts" },
  { group: "uploader", label: "Uploader", detail: "upload files" },
  { group: "editor", label: "Editor", detail: "resolve issues and edit rows" },
  { group: "admin", label: "Admin", detail: "everything, members and keys included" },
] as const;

export type GroupChoice = (typeof GROUP_CHOICES)[number]["group"];

/** One checkbox a group, each named by its label first (so "Viewer" finds it) and what it allows. */
export function GroupCheckboxes({
  legend,
  groups,
  onChange,
}: {
  legend: string;
  groups: readonly GroupChoice[];
  onChange: (groups: GroupChoice[]) => void;
}) {
  const toggle = (group: GroupChoice, on: boolean) =>
    onChange(on ? [...groups, group] : groups.filter((each) => each !== group));
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <div className="mt-2 flex flex-wrap gap-4">
        {GROUP_CHOICES.map(({ group, label, detail }) => (
          <label key={group} className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              checked={groups.includes(group)}
              onChange={(event) => toggle(group, event.target.checked)}
            />
            {label} <span className="text-slate-500">({detail})</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
