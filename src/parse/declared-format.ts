/**
 * A log format declared in JSON (formats/*.json, `--formats DIR`) compiled into a FormatParser like
 * the code ones: a line regex with named groups (or the keys of a JSON line) gives the event's
 * fields, a kinds table turns them into the event's kind and the side that closed. The file's shape
 * is formats/format.schema.json; loading and checking it is attribute/format-load.ts.
 */
import { type ClosedBy, type ConnectionEvent, type EventKind, type Side, type Source } from '../model/event.js';
import { errnoName } from '../model/errno.js';
import { shareScore } from './detect-score.js';
import { timeReader, type DeclaredTime } from './declared-time.js';
import { exampleOf } from './example-file.js';
import { kindOfStatus } from './failure-text.js';
import { splitHostPort, urlIn } from './failure-text.js';
import { newEvent, type FormatExample, type FormatParser, type LineParser, type ParseContext } from './parser.js';


export interface DeclaredPattern {
  regex: string;
  flags?: 'i';
}

export interface DeclaredKind {
  /** Field or group name → the values it must have, or a pattern it must match. */
  when?: Record<string, string[] | DeclaredPattern>;
  /** An event kind, or `from-status`: the status table the access logs share. */
  kind: string;
  closedBy?: ClosedBy;
}

/** What an example's event must carry; `time` as ISO 8601 (a zone-less stamp: the wall clock as UTC). */
export type DeclaredExpect = Partial<Omit<ConnectionEvent, 'time'>> & { time?: string | null };

export interface DeclaredExample {
  line: string;
  expect: DeclaredExpect | null;
  origin: string;
}

/** One formats/*.json file, as its schema describes it. */
export interface DeclaredFormat {
  $schema?: string;
  id: string;
  title: string;
  source: string;
  side: Side;
  detect: DeclaredPattern & { fileName?: string };
  line: { regex: string; json?: undefined } | { json: Record<string, string | string[]>; regex?: undefined };
  time?: DeclaredTime;
  kinds: DeclaredKind[];
  examples: DeclaredExample[];
}

/** Named groups that set event fields as text. */
export const TEXT_FIELDS = ['method', 'path', 'host', 'clientAddr', 'upstream', 'errnoName', 'proxyCode', 'connId', 'level', 'message'] as const;
/** Named groups that set event fields as whole numbers. */
export const NUMBER_FIELDS = ['port', 'status', 'clientPort', 'errno', 'pid'] as const;
/** Named groups split into fields: `url` (host, port, path), `client` (address:port), `request` (`GET /x HTTP/1.1`). */
export const COMPOSITE_FIELDS = ['url', 'client', 'request'] as const;

type Fields = Record<string, string | undefined>;

/** A value logs write for "none": an empty field, `-`. */
function present(value: string | undefined): value is string {
  return value !== undefined && value !== '' && value !== '-';
}

/** The value at a dotted key path of a parsed JSON line, as text (numbers and booleans too). */
function atPath(object: unknown, path: readonly string[]): string | undefined {
  let at = object;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'string' ? at : typeof at === 'number' || typeof at === 'boolean' ? String(at) : undefined;
}

/** How a line gives its named fields: a regex's groups, or the keys of its JSON object. */
function fieldReader(line: DeclaredFormat['line']): (text: string) => Fields | undefined {
  if (line.regex !== undefined) {
    const regex = new RegExp(line.regex);
    return (text) => regex.exec(text)?.groups;
  }
  // A field may be at one of several keys (operators name a JSON log's keys as they like): the first present.
  const paths = Object.entries(line.json).map(([name, keys]) => [name, (Array.isArray(keys) ? keys : [keys]).map((key) => key.split('.'))] as const);
  return (text) => {
    if (text.charCodeAt(0) !== 123) return undefined; // '{'
    let object: unknown;
    try {
      object = JSON.parse(text);
    } catch {
      return undefined;
    }
    const fields: Fields = {};
    for (const [name, alternatives] of paths) {
      for (const path of alternatives) if ((fields[name] = atPath(object, path)) !== undefined) break;
    }
    return fields;
  };
}

type Test = (value: string | undefined) => boolean;

function kindTable(kinds: readonly DeclaredKind[]): (fields: Fields) => DeclaredKind | undefined {
  const compiled = kinds.map((entry) => {
    const tests: Array<[string, Test]> = Object.entries(entry.when ?? {}).map(([name, want]) => {
      if (Array.isArray(want)) return [name, (value) => value !== undefined && want.includes(value)];
      const regex = new RegExp(want.regex, want.flags);
      return [name, (value) => value !== undefined && regex.test(value)];
    });
    return { entry, tests };
  });
  return (fields) => compiled.find(({ tests }) => tests.every(([name, test]) => test(fields[name])))?.entry;
}

/** A positive whole number (a status, a port), or undefined: `-1`, `000` and `-` are "none". */
function wholeNumber(text: string): number | undefined {
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const n = Number(text);
  return n > 0 ? n : undefined;
}

/** Sets the event's fields from a line's named fields; the composite ones fill only what is still unset. */
function applyFields(event: ConnectionEvent, fields: Fields): void {
  for (const name of TEXT_FIELDS) {
    const value = fields[name];
    if (present(value)) event[name] = value;
  }
  for (const name of NUMBER_FIELDS) {
    const value = fields[name];
    const n = present(value) ? wholeNumber(value) : undefined;
    if (n !== undefined) event[name] = n;
  }
  const fill = (parts: { host?: string; port?: number; path?: string } | undefined, keys: Array<'host' | 'port' | 'path'>) => {
    for (const key of keys) if (parts?.[key] !== undefined && event[key] === undefined) (event as unknown as Record<string, unknown>)[key] = parts[key];
  };
  const request = fields.request;
  if (present(request)) {
    const [method, target] = request.split(' ');
    if (method && event.method === undefined) event.method = method;
    if (target) fill(target.startsWith('/') ? { path: target } : urlIn(target), ['host', 'port', 'path']);
  }
  const url = fields.url;
  if (present(url)) fill(url.startsWith('/') ? { path: url } : urlIn(url), ['host', 'port', 'path']);
  const client = fields.client;
  if (present(client)) {
    const parts = splitHostPort(client);
    if (parts && event.clientAddr === undefined) event.clientAddr = parts.host;
    if (parts?.port !== undefined && event.clientPort === undefined) event.clientPort = parts.port;
  }
  if (event.errno !== undefined && event.errnoName === undefined) {
    const name = errnoName(event.errno);
    if (name) event.errnoName = name;
  }
}

/** The examples as the suite checks every format's (one line each). */
function examplesOf(format: DeclaredFormat): FormatExample[] {
  return format.examples.map((example) => exampleOf({ lines: [example.line], expect: example.expect, origin: example.origin }));
}

/**
 * The FormatParser of a declared format. Assumes a format that passed its checks (format-load.ts):
 * the regexes compile, the kinds are event kinds.
 */
export function compileDeclaredFormat(format: DeclaredFormat): FormatParser {
  // A declared source is a name the model does not list: it is registered with its side (formats.ts).
  const source = format.source as Source;
  const detect = new RegExp(format.detect.regex, format.detect.flags);
  const fileHint = format.detect.fileName !== undefined ? new RegExp(format.detect.fileName, 'i') : /^$/;
  const readFields = fieldReader(format.line);
  const readTime = format.time ? timeReader(format.time) : undefined;
  const kindOf = kindTable(format.kinds);
  const create = (ctx: ParseContext): LineParser => ({
    line(text, no, prefixTime) {
      const fields = readFields(text);
      if (!fields) return;
      const entry = kindOf(fields);
      if (!entry) return;
      const event = newEvent(ctx, no, text, { source, kind: 'other', time: null, timeQuality: 'none' });
      applyFields(event, fields);
      event.kind = (entry.kind === 'from-status' ? (event.status === undefined ? 'request' : kindOfStatus(event.status)) : entry.kind) as EventKind;
      if (entry.closedBy) event.closedBy = entry.closedBy;
      const stamp = readTime && present(fields.time) ? readTime(fields.time) : undefined;
      if (stamp) {
        event.time = stamp.time;
        event.timeQuality = stamp.zoneless ? 'inferred' : 'exact';
        if (stamp.zoneless) event.zoneless = true;
      } else if (prefixTime !== undefined) {
        event.time = prefixTime;
        event.timeQuality = 'exact';
      }
      ctx.emit(event);
    },
    end() {},
  });
  return {
    source,
    title: format.title,
    // Declared formats are specific by construction: at an equal share they win over a code format.
    detect: (firstLines, fileName) => {
      const score = shareScore(firstLines, (line) => detect.test(line), fileName, fileHint);
      return score > 0 ? Math.min(1, score + 0.05) : 0;
    },
    create,
    splittable: true,
    examples: examplesOf(format),
  };
}
