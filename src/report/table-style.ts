/** No colour codes: tables are pasted into CI logs and tickets as often as they are read live. */
export const PLAIN_STYLE = { head: [] as string[], border: [] as string[] };
