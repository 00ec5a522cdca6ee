/**
 * Real example lines kept as data beside the formats (lnav's way): src/parse/examples/<name>.json,
 * read from the package when asked for (the suite, a listing), never by a run.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionEvent } from '../model/event.js';
import type { FormatExample } from './parser.js';

/** An example as JSON writes it: `time` as ISO 8601 (a zone-less stamp: the wall clock as UTC). */
export interface ExampleData {
  lines: string[];
  expect: (Partial<Omit<ConnectionEvent, 'time'>> & { time?: string | null }) | null;
  /** Fields the first event must not carry. */
  absent?: string[];
  origin: string;
}

/** An example as the suite checks every format's: time as epoch ms, absent fields as undefined. */
export function exampleOf(data: ExampleData): FormatExample {
  if (data.expect === null) return { lines: data.lines, expect: null, origin: data.origin };
  const { time, ...rest } = data.expect;
  const expect: Partial<ConnectionEvent> = { ...rest };
  if (time !== undefined) expect.time = time === null ? null : Date.parse(time);
  for (const field of data.absent ?? []) (expect as Record<string, unknown>)[field] = undefined;
  return { lines: data.lines, expect, origin: data.origin };
}

/** The examples of src/parse/examples/<name>.json. */
export function examplesFile(name: string): FormatExample[] {
  const file = new URL(`../../../src/parse/examples/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { examples: ExampleData[] }).examples.map(exampleOf);
}
