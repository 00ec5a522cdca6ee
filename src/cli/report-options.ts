/**
 * What part of the report to show (--incident, --cause, --since, --until): the selection those
 * options make (the options themselves are in option-table.ts).
 */
import type { BurstVerdict } from '../attribute/burst.js';

export interface Selection {
  incidents: string[];
  causes: string[];
  since?: number;
  until?: number;
}

/** A date-time as ms, read as UTC when it names no zone (the report's times are UTC); NaN when it is not one. */
export function parseInstant(text: string): number {
  if (!/^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(?:Z|[+-]\d\d:?\d\d)?$/i.test(text.trim())) return NaN;
  const named = /(?:Z|[+-]\d\d:?\d\d)$/i.test(text.trim());
  const iso = text.trim().replace(' ', 'T');
  return Date.parse(named ? iso : /T/.test(iso) ? `${iso}Z` : `${iso}T00:00:00Z`);
}

/** The selection the options ask for, or the reason one is refused (a usage error). */
export function selectionOf(args: { incident: string[]; cause: string[]; since?: string; until?: string }): Selection | string {
  const split = (values: string[]) => values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  const selection: Selection = { incidents: split(args.incident), causes: split(args.cause) };
  for (const key of ['since', 'until'] as const) {
    const text = args[key];
    if (text === undefined) continue;
    const ms = parseInstant(text);
    if (Number.isNaN(ms)) return `--${key}: expected an ISO 8601 date-time such as 2026-11-24T23:06:00Z (got ${text})`;
    selection[key] = ms;
  }
  return selection;
}

/** The verdicts the selection keeps; an untimed incident is kept only when no time bound is given. */
export function selectVerdicts(verdicts: readonly BurstVerdict[], s: Selection): BurstVerdict[] {
  return verdicts.filter((v) => {
    if (s.incidents.length > 0 && !s.incidents.includes(v.incident.id)) return false;
    if (s.causes.length > 0 && !s.causes.some((c) => c === v.cause || c === v.attribution)) return false;
    const time = v.incident.time;
    if (s.since !== undefined && (time === null || time < s.since)) return false;
    if (s.until !== undefined && (time === null || time > s.until)) return false;
    return true;
  });
}
