/** Affected rows shown with each issue of a list; GET /api/issues/{issue_id} gives them all. */
export const LIST_ROWS_PER_ISSUE = 20;

/** Rows a resolution preview lists (its counts cover them all). */
export const PREVIEW_ROWS = 100;
