/**
 * Client logs written by Python `logging` through a JSON formatter (python-json-logger,
 * structlog's JSONRenderer, a project's own `json.dumps` of the record): one object per line with
 * the time, level, logger name and message under their usual keys, a traceback under `exc_info`.
 * The message means what it means in the plain layouts (python-logging.ts reads it).
 */
import type { FormatParser, LineParser, ParseContext } from './parser.js';
import { newEvent } from './parser.js';
import { readClientMessage } from './python-logging.js';
import { exceptionClass, readExceptionChain } from './python-exception.js';
import { WallClock } from './timestamps.js';

const TIME_KEYS = ['timestamp', 'asctime', 'time', '@timestamp', 'ts'] as const;
const MESSAGE_KEYS = ['message', 'msg', 'event'] as const;
const LEVEL_KEYS = ['level', 'levelname', 'severity'] as const;
const LOGGER_KEYS = ['logger', 'name', 'logger_name'] as const;
const TRACEBACK_KEYS = ['exc_info', 'exception', 'traceback', 'stack_info'] as const;
const PYTHON_LEVELS = /^(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)$/i;
const ZONE = /(Z|[+-]\d\d:?\d\d)$/;

type JsonRecord = { [key: string]: unknown };

function firstString(record: JsonRecord, keys: readonly string[]): string | undefined {
  for (const key of keys) if (typeof record[key] === 'string') return record[key] as string;
  return undefined;
}

function parseRecord(text: string): JsonRecord | undefined {
  if (text.charCodeAt(0) !== 123 /* { */) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** A Python logging record: a message, a Python level name and a logger name (dotted, lower case). */
function isPythonRecord(record: JsonRecord): boolean {
  const level = firstString(record, LEVEL_KEYS);
  const logger = firstString(record, LOGGER_KEYS);
  return firstString(record, MESSAGE_KEYS) !== undefined && level !== undefined && PYTHON_LEVELS.test(level) && logger !== undefined && /^[a-z_][\w.]*$/.test(logger);
}

/** The record's instant: an ISO stamp with its zone is exact, one without is the wall clock (zone-less). */
function timeOf(record: JsonRecord, clock: WallClock): { time: number; zoneless: boolean } | undefined {
  const stamp = firstString(record, TIME_KEYS);
  if (stamp === undefined) return undefined;
  const wall = clock.at(stamp);
  if (wall === undefined) return undefined;
  const zone = ZONE.exec(stamp)?.[1];
  if (zone === undefined) return { time: wall, zoneless: true };
  if (zone === 'Z') return { time: wall, zoneless: false };
  const digits = zone.replace(':', '');
  const minutes = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  return { time: wall - minutes * 60_000, zoneless: false };
}

class JsonLoggingParser implements LineParser {
  private readonly clock = new WallClock();

  constructor(private readonly ctx: ParseContext) {}

  line(text: string, no: number, prefixTime: number | undefined): void {
    if (text.length === 0) return;
    const record = parseRecord(text);
    if (record === undefined) return this.ctx.problem(no, 'not a JSON object: skipped');
    const message = firstString(record, MESSAGE_KEYS) ?? '';
    const traceback = firstString(record, TRACEBACK_KEYS);
    const chain = traceback === undefined ? undefined : readExceptionChain(traceback.split('\n').filter((l) => exceptionClass(l) !== undefined));
    const reading = chain ? { ...chain.reading } : readClientMessage(message);
    const clock = timeOf(record, this.clock);
    const time = clock?.time ?? prefixTime ?? null;
    const level = firstString(record, LEVEL_KEYS);
    const event = newEvent(this.ctx, no, message || text, { source: 'client', kind: 'other', time, timeQuality: time === null ? 'none' : clock?.zoneless ? 'inferred' : 'exact' });
    if (clock?.zoneless) event.zoneless = true;
    if (level) event.level = level.toUpperCase();
    Object.assign(event, reading);
    this.ctx.emit(event);
  }

  end(): void {}
}

export const pythonJsonLoggingFormat: FormatParser = {
  source: 'client',
  title: 'Python logging as JSON lines (client log)',
  detect(firstLines) {
    const lines = firstLines.filter((l) => l.length > 0);
    if (lines.length === 0) return 0;
    const records = lines.map(parseRecord);
    const python = records.filter((r) => r !== undefined && isPythonRecord(r)).length;
    if (python === 0) return 0;
    const http = records.some((r) => r !== undefined && /^(?:urllib3|requests|httpx|httpcore|aiohttp)\b/.test(firstString(r, LOGGER_KEYS) ?? '')) ? 0.1 : 0;
    return Math.min(0.9, 0.3 + (0.5 * python) / lines.length + http);
  },
  create: (ctx) => new JsonLoggingParser(ctx),
  // One record a line: any line starts one.
  splittable: true,
  examples: [
    {
      lines: ['{"timestamp": "2026-12-03T03:50:26.010+00:00", "level": "DEBUG", "logger": "urllib3.connectionpool", "thread": "MainThread", "message": "http://127.0.0.1:29620 \\"GET /api/health HTTP/1.1\\" 200 12"}'],
      expect: { kind: 'request', method: 'GET', path: '/api/health', status: 200, timeQuality: 'exact', time: Date.UTC(2026, 11, 3, 3, 50, 26, 10) },
      origin: "lab sample 31-client-log-json: the project's conftest with a JSON logging.Formatter (json.dumps of the record's fields)",
    },
    {
      lines: [
        '{"asctime": "2026-11-24 06:40:01,123", "levelname": "ERROR", "name": "tests.conftest", "message": "request failed", "exc_info": "Traceback (most recent call last):\\n  File \\"/venv/lib/python3.11/site-packages/requests/adapters.py\\", line 667, in send\\nrequests.exceptions.ConnectionError: (\'Connection aborted.\', ConnectionResetError(104, \'Connection reset by peer\'))"}',
      ],
      expect: { kind: 'reset', errnoName: 'ECONNRESET', exception: 'requests.exceptions.ConnectionError', zoneless: true },
      origin: 'python-json-logger JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s") with a logged exception (exc_info is rendered as the traceback text)',
    },
    {
      lines: ['{"level": "info", "time": 1732430401123, "msg": "request completed"}'],
      expect: null,
      origin: 'a pino line (Node): not a Python record, no event',
    },
  ],
};
