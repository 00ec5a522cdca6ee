import type { Verdict } from '../attribute/verdict.js';
import type { ConnectionEvent } from '../model/event.js';

/**
 * The lines that decided the verdict: the joined events the rule used, or, when it used none, the
 * failure's own record (the client's text decided). None for an unknown verdict.
 */
export function decidingEvents(verdict: Verdict): ConnectionEvent[] {
  if (verdict.ruleId === null) return [];
  return verdict.deciding.length > 0 ? verdict.deciding.map((join) => join.event) : [verdict.incident.anchor];
}
