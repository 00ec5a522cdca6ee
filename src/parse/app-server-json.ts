/**
 * JSON-lines logs of Node servers: pino (`{"level":50,"time":1764000000000,"pid":7,"msg":…}`,
 * with pino-http's `req`/`res` on its request records) and winston (`{"level":"error",
 * "message":…,"timestamp":"2026-…Z"}`). pino-http names a finished request "request completed",
 * one whose client left before the response ended "request aborted", a failed one "request
 * errored" (pino-http src/logger.js). Other records are read like a text line: their message and
 * the error's stack.
 */
import { isoStampAt } from './syslog-prefix.js';
import { kindOfStatus } from './failure-text.js';
import { readAppRecord, type AppReading, type RecordBody } from './app-server-text.js';

export interface JsonRecord {
  time: number | undefined;
  zoneless: boolean;
  level?: string;
  pid?: number;
  message: string;
  reading: AppReading;
}

/** pino's numeric levels, by its documentation. */
const PINO_LEVELS: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

type Json = Record<string, unknown>;

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Reads one JSON log line; undefined when it is not a JSON object with a message. */
export function readJsonRecord(text: string): JsonRecord | undefined {
  let record: Json | undefined;
  try {
    record = object(JSON.parse(text));
  } catch {
    return undefined;
  }
  if (!record) return undefined;
  const message = typeof record.msg === 'string' ? record.msg : typeof record.message === 'string' ? record.message : undefined;
  if (message === undefined) return undefined;
  const level = typeof record.level === 'number' ? PINO_LEVELS[record.level] : typeof record.level === 'string' ? record.level : undefined;
  const { time, zoneless } = timeOf(record.time ?? record.timestamp);
  const pid = typeof record.pid === 'number' ? record.pid : undefined;
  return { time, zoneless, ...(level && { level }), ...(pid !== undefined && { pid }), message, reading: readingOf(record, message) };
}

function timeOf(value: unknown): { time: number | undefined; zoneless: boolean } {
  if (typeof value === 'number' && Number.isFinite(value)) return { time: value, zoneless: false };
  if (typeof value === 'string') {
    const stamp = isoStampAt(value);
    if (stamp) return { time: stamp.time, zoneless: stamp.zoneless };
  }
  return { time: undefined, zoneless: false };
}

function readingOf(record: Json, message: string): AppReading {
  const req = object(record.req);
  const res = object(record.res);
  if (req && (message === 'request completed' || message === 'request aborted' || message === 'request errored')) {
    const status = typeof res?.statusCode === 'number' ? res.statusCode : undefined;
    const fields = requestFields(req, status);
    // Set on the new fields: a spread followed by new keys costs a microsecond a line on Node 20.
    if (message === 'request aborted') return Object.assign(fields, { kind: 'client-closed' as const, closedBy: 'client' as const });
    if (message === 'request errored') return Object.assign(fields, { kind: 'server-error' as const });
    return Object.assign(fields, { kind: status === undefined ? ('request' as const) : kindOfStatus(status) });
  }
  // A logged error: its stack's first line is what Node printed ("Error: aborted"), its code the errno name.
  const err = object(record.err) ?? object(record.error);
  const stack = typeof err?.stack === 'string' ? err.stack.split('\n') : [];
  const head = stack[0] ?? message;
  const body: RecordBody = { lines: [message, ...stack.slice(1).filter((l) => l.includes('_http_server'))], clientLibraryFrame: false };
  const reading = readAppRecord(head, body);
  return req && reading.kind !== 'other' ? Object.assign(requestFields(req, undefined), reading) : reading;
}

/** pino's standard request serializer: method, url, remoteAddress, remotePort. */
function requestFields(req: Json, status: number | undefined): Omit<AppReading, 'kind'> {
  const url = typeof req.url === 'string' ? req.url : undefined;
  const q = url?.indexOf('?') ?? -1;
  // Set one by one: a chain of conditional spreads costs microseconds a line on Node 20.
  const fields: Omit<AppReading, 'kind'> = {};
  if (typeof req.method === 'string') fields.method = req.method;
  if (url !== undefined) fields.path = q < 0 ? url : url.slice(0, q);
  if (typeof req.remoteAddress === 'string') fields.clientAddr = req.remoteAddress;
  if (typeof req.remotePort === 'number') fields.clientPort = req.remotePort;
  if (status !== undefined) fields.status = status;
  return fields;
}
