/**
 * The upstream application server's own log (source `app`): gunicorn and hypercorn
 * (`[2026-11-24 06:40:01 +0000] [1234] [CRITICAL] WORKER TIMEOUT (pid:1240)`), uvicorn
 * (`INFO:     127.0.0.1:51234 - "GET /x HTTP/1.1" 200 OK`), waitress and werkzeug through Python
 * logging, Go's `log` (`2026/11/24 06:40:01 http: TLS handshake error from …`), Node's stderr and
 * pino/winston JSON lines, Tomcat/Spring Boot. Recognised by content: lines only these servers
 * write (app-server-detect), whatever the file is called.
 *
 * A record is a line that starts with a stamp, a level, a common-log address or `{`, plus the lines
 * under it (a traceback, `at` frames, `Caused by:`); a bare `Error: aborted` or Java exception
 * with its frames is a record too. What a record means is read in app-server-text.ts.
 */
import type { ConnectionEvent } from '../model/event.js';
import { excerptOf } from '../model/event.js';
import type { FormatParser, LineParser, ParseContext } from './parser.js';
import { newEvent } from './parser.js';
import { isoStampAt } from './syslog-prefix.js';
import { clfTime, digitsAt, isDigit, monthAt, utcOf, WallClock } from './timestamps.js';
import { EMPTY_BODY, readAppRecord, type AppReading, type RecordBody } from './app-server-text.js';
import { readJsonRecord } from './app-server-json.js';
import { examplesFile } from './example-file.js';

interface Header {
  time: number | undefined;
  zoneless: boolean;
  /** Minutes east of UTC printed in the stamp. */
  utcOffset?: number;
  level?: string;
  pid?: number;
}

// "%(levelname)s …", "LEVEL:logger:…" and uvicorn's "INFO:     …": a record without a stamp.
const LEVEL_FIRST = /^\[?(?:TRACE|DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)\]?(?::|\s)/;
const LEVEL = /\b(TRACE|DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|SEVERE)\b/;
// gunicorn/hypercorn after the stamp: " +0000] [1234] [INFO] "; gunicorn before 19: "] [1234] [INFO] " or " [1234] [INFO] "
const GUNICORN_TAIL = /^(?: ([+-])(\d\d)(\d\d))?\]? \[(\d+)\]:? \[([A-Z]+)\] /;
// Spring Boot: "2026-11-24T06:40:01.123Z  WARN 1234 --- ["
const SPRING_TAIL = /^\s+(TRACE|DEBUG|INFO|WARN|ERROR|FATAL) (\d+) --- /;
// A common-log line (werkzeug's request log, a gunicorn access log in the same stream).
const COMMON_LOG = /^\S+ \S+ \S+ \[\d\d\/[A-Z][a-z]{2}\/\d{4}[: ]\d\d:\d\d:\d\d/;

/** The header a record's first line starts with, or undefined for any other line. */
export function readHeader(text: string, clock: WallClock): Header | undefined {
  const c = text.charCodeAt(0);
  if (c === 91 /* [ */ && isDigit(text.charCodeAt(1))) {
    const stamp = isoStampAt(text, 1);
    if (stamp) return withTail(text, stamp.end, { time: stamp.time, zoneless: stamp.zoneless, ...(stamp.offsetMin !== undefined && { utcOffset: stamp.offsetMin }) });
  }
  if (isDigit(c)) {
    const stamp = isoStampAt(text, 0);
    if (stamp) return withTail(text, stamp.end, { time: stamp.time, zoneless: stamp.zoneless, ...(stamp.offsetMin !== undefined && { utcOffset: stamp.offsetMin }) });
    // Go's log package: "2026/11/24 06:40:01" (with ".123456" under Lmicroseconds)
    if (text.charCodeAt(4) === 47) {
      const wall = clock.at(text, 0);
      if (wall !== undefined) return { time: wall, zoneless: true, ...levelOf(text) };
    }
    const tomcat = tomcatStamp(text);
    if (tomcat !== undefined) return { time: tomcat, zoneless: true, ...levelOf(text) };
  }
  if (LEVEL_FIRST.test(text)) {
    // werkzeug's request line through logging ("INFO:werkzeug:127.0.0.1 - - [24/Nov/2026 06:40:01] …") carries its time inside
    const open = text.indexOf(' - - [');
    const stamp = open < 0 ? undefined : clfTime(text.slice(open + 6, text.indexOf(']', open)));
    return { time: stamp?.time, zoneless: stamp?.zoneless ?? false, ...levelOf(text) };
  }
  if (COMMON_LOG.test(text)) {
    const open = text.indexOf(' [');
    const stamp = clfTime(text.slice(open + 2, text.indexOf(']', open)));
    return { time: stamp?.time, zoneless: stamp?.zoneless ?? false };
  }
  return undefined;
}

function levelOf(text: string): Pick<Header, 'level'> {
  const m = LEVEL.exec(text.length > 120 ? text.slice(0, 120) : text);
  return m ? { level: m[1]! } : {};
}

/**
 * Reads what follows a stamp: gunicorn's zone, pid and level, Spring Boot's level and pid, else a
 * level word; set on the caller's new header (a spread followed by new keys costs a microsecond a line on Node 20).
 */
function withTail(text: string, end: number, header: Header): Header {
  const tail = text.slice(end, end + 48);
  const gunicorn = GUNICORN_TAIL.exec(tail);
  if (gunicorn) {
    if (gunicorn[1] && header.zoneless && header.time !== undefined) {
      const offset = (gunicorn[1] === '-' ? -1 : 1) * (Number(gunicorn[2]) * 60 + Number(gunicorn[3]));
      return { time: header.time - offset * 60_000, zoneless: false, utcOffset: offset, level: gunicorn[5]!, pid: Number(gunicorn[4]) };
    }
    return Object.assign(header, { level: gunicorn[5]!, pid: Number(gunicorn[4]) });
  }
  const spring = SPRING_TAIL.exec(tail);
  if (spring) return Object.assign(header, { level: spring[1]!, pid: Number(spring[2]) });
  return Object.assign(header, levelOf(text));
}

/** Tomcat's JULI stamp `24-Nov-2026 06:40:01.123`, as wall clock read as UTC. */
function tomcatStamp(text: string): number | undefined {
  if (text.charCodeAt(2) !== 45 || text.charCodeAt(6) !== 45 || text.charCodeAt(11) !== 32 || text.charCodeAt(14) !== 58) return undefined;
  const ms = text.charCodeAt(20) === 46 ? digitsAt(text, 21, 3) : 0;
  return utcOf(digitsAt(text, 7, 4), monthAt(text, 3), digitsAt(text, 0, 2), digitsAt(text, 12, 2), digitsAt(text, 15, 2), digitsAt(text, 18, 2), Number.isNaN(ms) ? 0 : ms);
}

/** Whether a line starts a record whatever came before it: the parser keeps no state past such a line. */
export function startsRecord(line: string): boolean {
  return line.charCodeAt(0) === 123 /* { */ || readHeader(line, new WallClock()) !== undefined;
}

// A record with no header: what Node, Java and Python print for an uncaught error.
const BARE_HEAD = /^(?:Uncaught )?(?:[\w$]+\.)*(?:[A-Z][\w$]*)?(?:Error|Exception)(?: \[\w+\])?: |^node:[\w/_]+:\d+$|^Traceback \(most recent call last\):/;
const CONTINUATION = /^\s|^Caused by: |^\}|^During handling of the above exception|^The above exception was the direct cause/;
// Exception lines a record keeps for reading: Python's final lines, Java's heads and causes, Node's code.
const KEPT = /^(?:(?:[A-Za-z_][\w$]*\.)*[A-Za-z_][\w$]*(?:Error|Exception|error)(?::|$)|Caused by: )|^\s+code: '|_http_server|^\s*\w*[Ee]rror: \[Errno/;
const CLIENT_LIBRARY_FRAME = /[/\\](?:urllib3|requests|httpx|httpcore|aiohttp|http[/\\]client\.py)/;
const MAX_KEPT = 20;
/** Class names are read from a line's first characters only: the patterns stay linear on a megabyte line. */
const HEAD_CHARS = 256;

interface PendingRecord {
  no: number;
  head: string;
  header: Header | undefined;
  prefixTime: number | undefined;
  lines: string[];
  clientLibraryFrame: boolean;
  /** A Python traceback began: its closing exception line belongs to this record. */
  awaitingException: boolean;
}

class AppServerParser implements LineParser {
  private record: PendingRecord | undefined;
  private readonly clock = new WallClock();

  constructor(private readonly ctx: ParseContext) {}

  line(text: string, no: number, prefixTime: number | undefined): void {
    if (text.length === 0) return;
    if (text.charCodeAt(0) === 123 /* { */) {
      this.flush();
      this.json(text, no, prefixTime);
      return;
    }
    const header = readHeader(text, this.clock);
    if (header) {
      this.flush();
      this.record = { no, head: text, header, prefixTime, lines: [], clientLibraryFrame: false, awaitingException: false };
      return;
    }
    const record = this.record;
    const start = text.length > HEAD_CHARS ? text.slice(0, HEAD_CHARS) : text;
    if (record && (record.header || CONTINUATION.test(text) || (record.awaitingException && KEPT.test(start)))) {
      this.absorb(record, text);
      return;
    }
    this.flush();
    if (BARE_HEAD.test(start)) {
      this.record = { no, head: text, header: undefined, prefixTime, lines: [], clientLibraryFrame: false, awaitingException: !text.includes(': ') };
    }
  }

  end(): void {
    this.flush();
  }

  private absorb(record: PendingRecord, text: string): void {
    if (text.startsWith('  File "')) {
      if (!record.clientLibraryFrame && CLIENT_LIBRARY_FRAME.test(text)) record.clientLibraryFrame = true;
      return;
    }
    if (text.startsWith('Traceback (') || text.startsWith('During handling') || text.startsWith('The above exception')) {
      record.awaitingException = true;
      return;
    }
    if (record.lines.length < MAX_KEPT && KEPT.test(text.length > HEAD_CHARS ? text.slice(0, HEAD_CHARS) : text)) {
      record.lines.push(excerptOf(text));
      record.awaitingException = false;
    }
  }

  private flush(): void {
    const record = this.record;
    if (record === undefined) return;
    this.record = undefined;
    const body: RecordBody = record.lines.length === 0 && !record.clientLibraryFrame ? EMPTY_BODY : { lines: record.lines, clientLibraryFrame: record.clientLibraryFrame };
    // "node:internal/errors:642" or "Traceback …" opens a bare record; the error line under it says what happened.
    const head = record.header === undefined && !record.head.includes(': ') ? (record.lines[0] ?? record.head) : record.head;
    const reading = readAppRecord(head, body);
    // A bare record that says nothing about a connection is an error of the app's own making.
    if (reading.kind === 'other' && record.header === undefined) return;
    const header = record.header;
    const time = header?.time ?? record.prefixTime ?? null;
    const zoneless = header?.time !== undefined && header.zoneless;
    if (time !== null && this.tookFast(reading, time, zoneless, header)) return;
    this.emit(record.no, head, time, zoneless, header, reading);
  }

  /** The bulk of a busy log, request lines and idle chatter, offered to the consumer's fast paths. */
  private tookFast(reading: AppReading, time: number, zoneless: boolean, header: Header | undefined): boolean {
    const { ordinary, unremarkable } = this.ctx;
    if (reading.kind === 'request' && ordinary && reading.method && reading.path && reading.status !== undefined) {
      return ordinary({ source: 'app', time, zoneless, utcOffset: header?.utcOffset, method: reading.method, path: reading.path, status: reading.status });
    }
    return reading.kind === 'other' && unremarkable !== undefined && unremarkable({ source: 'app', kind: 'other', level: header?.level, closedBy: undefined, time, zoneless });
  }

  private json(text: string, no: number, prefixTime: number | undefined): void {
    const record = readJsonRecord(text);
    if (!record) {
      this.ctx.problem(no, 'a line starting with "{" that is not a JSON log record');
      return;
    }
    const time = record.time ?? prefixTime ?? null;
    const zoneless = record.time !== undefined && record.zoneless;
    const header: Header = { time: record.time, zoneless, ...(record.level && { level: record.level }), ...(record.pid !== undefined && { pid: record.pid }) };
    if (time !== null && this.tookFast(record.reading, time, zoneless, header)) return;
    this.emit(no, text, time, zoneless, header, record.reading, record.message);
  }

  private emit(no: number, head: string, time: number | null, zoneless: boolean, header: Header | undefined, reading: AppReading, message?: string): void {
    const event = newEvent(this.ctx, no, head, { source: 'app', kind: reading.kind, time, timeQuality: time === null ? 'none' : zoneless ? 'inferred' : 'exact' });
    if (zoneless) event.zoneless = true;
    if (header?.utcOffset !== undefined) event.utcOffset = header.utcOffset;
    if (header?.level) event.level = header.level;
    // The worker a line names is the process whose connections it speaks of.
    const pid = reading.pid ?? header?.pid;
    if (pid !== undefined) event.pid = pid;
    if (message !== undefined) event.message = excerptOf(message);
    copyReading(event, reading);
    this.ctx.emit(event);
  }
}

function copyReading(event: ConnectionEvent, reading: AppReading): void {
  if (reading.closedBy) event.closedBy = reading.closedBy;
  if (reading.errno !== undefined) event.errno = reading.errno;
  if (reading.errnoName) event.errnoName = reading.errnoName;
  if (reading.exception) event.exception = reading.exception;
  if (reading.method) event.method = reading.method;
  if (reading.path) event.path = reading.path;
  if (reading.status !== undefined) event.status = reading.status;
  if (reading.clientAddr) event.clientAddr = reading.clientAddr;
  if (reading.clientPort !== undefined) event.clientPort = reading.clientPort;
}

// Lines only a server process writes: its logger names, start-up and worker messages, its errors.
const SERVER_MARKERS: readonly RegExp[] = [
  /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[\d+\] \[(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)\] /,
  /^(?:TRACE: {4}|DEBUG: {4}|INFO: {5}|WARNING: {2}|ERROR: {4}|CRITICAL: )\S/,
  /\b(?:(?:uvicorn|gunicorn|hypercorn)\.(?:error|access)|werkzeug|waitress(?:\.queue)?)(?=[:\] ]|$)/,
  /Booting worker with pid: \d|Listening at: http|Starting gunicorn \d|Uvicorn running on |Started server process \[\d+\]|Serving on http:\/\/|\* Running on http|\(CTRL \+ C to quit\)|WORKER TIMEOUT \(pid:|Task queue depth is \d/,
  /http: TLS handshake error from |http: panic serving |http: Accept error: |http: superfluous response\.WriteHeader/,
  /\(node:_http_server:\d+|"msg":"request (?:completed|aborted|errored)"/,
  /org\.apache\.(?:catalina|coyote)\.|\bo\.a\.c\.c\.C\.|\[nio-\d+-exec-\d+\]|Tomcat (?:started|initialized) on port/,
];
// A marker counts on a line this parser reads: a record's first line, or the frames and exception lines under it.
const READABLE_BODY = /^\s+at |^(?:[\w$]+\.)*[\w$]+(?:Exception|Error)\b/;

/** How many of these lines carry a server-only marker. */
function serverMarkers(lines: readonly string[]): number {
  let hits = 0;
  for (const line of lines) {
    if (SERVER_MARKERS.some((marker) => marker.test(line)) && (startsRecord(line) || READABLE_BODY.test(line))) hits++;
  }
  return hits;
}

export const appServerFormat: FormatParser = {
  source: 'app',
  title: 'application server log (gunicorn, uvicorn, waitress, werkzeug, Go net/http, Node, Tomcat)',
  detect(firstLines, fileName) {
    const hits = serverMarkers(firstLines);
    if (hits === 0) return 0;
    // Above a Python logging client log (0.9 at most), below pytest's own session lines (0.95).
    return Math.min(0.94, 0.9 + 0.01 * Math.min(hits, 3) + (/app|server|gunicorn|uvicorn|api|backend/i.test(fileName) ? 0.01 : 0));
  },
  create: (ctx) => new AppServerParser(ctx),
  splittable: { cutBefore: startsRecord },
  // Real lines with their origins, kept as data: examples/app-server.json.
  get examples() {
    return examplesFile('app-server');
  },
};
