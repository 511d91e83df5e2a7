"use client";

import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { WEBHOOK_EVENTS, type WebhookEvent } from "@/lib/webhooks/events";
import { describeRefusal, type WebhookDraft } from "./form-values";
import { FormAlert } from "@/components/ui/form-alert";

/**
 * A webhook's URL, description and events, for creating one or editing it. What the admin typed stays in
 * the form when the server refuses it; the refusal is shown above the buttons and marks the field it names.
 */
export function WebhookForm({
  name,
  initial,
  error,
  pending,
  submitLabel,
  pendingLabel,
  onSubmit,
  autoFocus = false,
  children,
}: {
  /** The form's accessible name, shown as its heading. */
  name: string;
  initial: WebhookDraft;
  error: Error | null;
  pending: boolean;
  submitLabel: string;
  pendingLabel: string;
  onSubmit: (draft: WebhookDraft) => void;
  /** Moves focus to the URL field, for a form opened by a button. */
  autoFocus?: boolean;
  /** Buttons after the submit button, e.g. Cancel. */
  children?: ReactNode;
}) {
  const urlId = useId();
  const descriptionId = useId();
  const errorId = useId();
  const [draft, setDraft] = useState(initial);
  const refusal = error ? describeRefusal(error) : null;
  const invalid = (field: keyof WebhookDraft) =>
    refusal?.field === field ? { "aria-invalid": true, "aria-describedby": errorId } : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(draft);
  };
  const toggle = (name: WebhookEvent, checked: boolean) =>
    setDraft((current) => ({
      ...current,
      events: checked ? [...current.events, name] : current.events.filter((each) => each !== name),
    }));

  return (
    <form onSubmit={submit} aria-label={name} className="space-y-4 rounded-md border border-slate-200 p-4">
      <h3 className="text-base font-semibold text-slate-900">{name}</h3>
      <div className="grid gap-4 md:grid-cols-2">
        <div>
          <label htmlFor={urlId} className="block text-sm font-medium text-slate-700">
            URL
          </label>
          <Input
            id={urlId}
            type="url"
            value={draft.url}
            onChange={(event) => setDraft((current) => ({ ...current, url: event.target.value }))}
            required
            autoFocus={autoFocus}
            placeholder="https://example.com/hooks/intake"
            {...invalid("url")}
          />
        </div>
        <div>
          <label htmlFor={descriptionId} className="block text-sm font-medium text-slate-700">
            Description (optional)
          </label>
          <Input
            id={descriptionId}
            value={draft.description}
            maxLength={500}
            onChange={(event) => setDraft((current) => ({ ...current, description: event.target.value }))}
            {...invalid("description")}
          />
        </div>
      </div>
      <fieldset aria-describedby={refusal?.field === "events" ? errorId : undefined}>
        <legend className="text-sm font-medium text-slate-700">Events</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {WEBHOOK_EVENTS.map((event) => (
            <label key={event} className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                checked={draft.events.includes(event)}
                onChange={(change) => toggle(event, change.target.checked)}
              />
              {event}
            </label>
          ))}
        </div>
      </fieldset>
      {refusal ? <FormAlert id={errorId}>{refusal.message}</FormAlert> : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </Button>
        {children}
      </div>
    </form>
  );
}
