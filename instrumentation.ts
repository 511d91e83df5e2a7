// Runs once when the server starts (not during `next build`): the composition root of the server,
// the one place that hands the Inngest client to the background machinery in lib/.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("@/lib/startup/start-server");
    const { sendToInngest } = await import("@/inngest/client");
    // Webhooks send a job as the API shows it; the domain is handed the API's description of a job here.
    const { describeJobsWith } = await import("@/lib/webhooks/job-events");
    const { findJobDetail } = await import("@/lib/api/json/job-detail");
    describeJobsWith(findJobDetail);
    await startServer({ sendToInngest });
  }
}
