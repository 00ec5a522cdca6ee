/**
 * Access logs: nginx `combined` (with any fields appended, e.g. `$request_time
 * $upstream_response_time $upstream_status`) and Python http.server's request log
 * (`127.0.0.1 - - [24/Nov/2026 06:40:01] "GET /x HTTP/1.1" 200 -`, no zone).
 *
 * One event per request line: it tells the server saw the request (and lets clocks be matched
 * against the client's records), so ordinary lines are kind `request`; the status names what the
 * server did where it speaks about the connection (444 closed, 499 client gone, 408, 413, 429, 504).
 * 502 and 503 stay `server-error`: from the access line alone a 502 may be an upstream reset,
 * refusal or premature close, a 503 a rate or connection limit; the error log line says which.
 * Parsed by indexOf, no regex per line.
 */
import type { ConnectionEvent, Source } from '../model/event.js';
import { KeptLine, newEvent, type FormatParser, type LineParser, type OrdinaryBytes, type OrdinaryLine, type ParseContext, type QuietSpan, type RecordSink, type RunSink } from './parser.js';
import type { LineFields, RecordProgram } from './record-program.js';
import { kindOfStatus } from './failure-text.js';
import { isSquidHttpdLine } from './squid.js';
import { clfTime } from './timestamps.js';
import { methodAt } from './http-method.js';
import { detach } from '../read/detach.js';
import { ByteSearch, nearByteAt, sameBytes } from './line-bytes.js';
import { AccessLogRun, accessLogRuns } from './access-log-run.js';
import { runRecords } from './core-lines.js';
import { checkFields, stampInRange } from './field-ranges.js';
import type { LineRun } from '../read/lines.js';

/**
 * The fields the compiled reader finds in a request line (core/access-log.ts numbers them): the
 * line whole is its excerpt (it takes no line longer than EXCERPT_MAX, none with space at an end),
 * the status its three digits.
 */
const REQUEST_LINE_FIELDS: LineFields = { excerpt: 0, clientAddr: 1, method: 2, path: 3, status: 4 };

/** Minutes east of UTC of a `+0800` zone: the zone of this server's zone-less logs too. */
function stampOffset(stamp: string): number {
  const sign = stamp.charCodeAt(21) === 45 ? -1 : 1;
  return sign * (Number(stamp.slice(22, 24)) * 60 + Number(stamp.slice(24, 26)));
}

/**
 * The last stamp read and what it gave: a busy log's lines of one second (hundreds) share it, and
 * reading a stamp was a tenth of a line's cost.
 */
class StampCache {
  private stamp = '';
  /** The stamp's UTF-8 bytes, for the byte path (a new Buffer for each stamp read). */
  stampBytes = Buffer.alloc(0);
  time = 0;
  zoneless = false;
  offset: number | undefined;
  /** A stamp's close, "] " (readAt): searched over a buffer's lines, not past each line's end. */
  private readonly closes = new ByteSearch(93 /* ] */);

  /** Reads the stamp between start and end of text into this; false when it is not one. */
  read(text: string, start: number, end: number): boolean {
    if (end - start === this.stamp.length && text.startsWith(this.stamp, start)) return true;
    const stampText = text.slice(start, end);
    const stamp = clfTime(stampText);
    if (stamp === undefined) return false;
    this.stamp = detach(stampText);
    this.stampBytes = Buffer.from(stampText, 'utf8');
    this.time = stamp.time;
    this.zoneless = stamp.zoneless;
    this.offset = stamp.zoneless ? undefined : stampOffset(stampText);
    return true;
  }

  /**
   * Where the last stamp read ends when `bytes` at `at` are that stamp closed by "] " before `end`
   * (this then holds what it gave), else -1. The stamp holds no "] " (it ended at the first), so
   * its close is the first after `at`.
   */
  private closeAt(bytes: Buffer, at: number, end: number): number {
    const stamp = this.stampBytes;
    const close = at + stamp.length;
    if (stamp.length === 0 || close + 1 >= end || bytes[close] !== 93 /* ] */ || bytes[close + 1] !== 32) return -1;
    return sameBytes(bytes, at, stamp) ? close : -1;
  }

  /**
   * closeAt, or else the stamp from `at` to the first "] " (ASCII bytes) read into this as read()
   * reads it, the string way's: a busy log's first line of each second stays on the byte path.
   */
  readAt(bytes: Buffer, at: number, end: number): number {
    const known = this.closeAt(bytes, at, end);
    if (known !== -1) return known;
    const close = this.closes.pairWithin(bytes, 32, at, end);
    return close < end && this.read(bytes.toString('latin1', at, close), 0, close - at) ? close : -1;
  }
}

/** The status written by three digits at `at`, or (anything else) what Number makes of those three characters. */
function statusOf(text: string, at: number): number {
  const d0 = text.charCodeAt(at) - 48;
  const d1 = text.charCodeAt(at + 1) - 48;
  const d2 = text.charCodeAt(at + 2) - 48;
  if (d0 >= 0 && d0 <= 9 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9) return d0 * 100 + d1 * 10 + d2;
  return Number(text.slice(at, at + 3));
}

/** A request line of a run kept by its text (RunSink.takesFailed): its event is built only if asked for. */
class KeptAccessLine extends KeptLine {
  constructor(
    private readonly parser: AccessLogParser,
    private readonly text: string,
    private readonly no: number,
  ) {
    super();
  }

  event(): ConnectionEvent | undefined {
    return this.parser.eventLater(this.text, this.no);
  }
}

class AccessLogParser implements LineParser {
  private readonly stamps = new StampCache();
  /** The stamps of the lines kept for later (eventLater), read when the run's have moved on. */
  private laterStamps: StampCache | undefined;
  /** What the fast path is told, refilled line after line: no object per line of the bulk. */
  private readonly fields: OrdinaryLine;
  private readonly byteFields: OrdinaryBytes;
  /** LineParser.bytes, where the consumer takes request lines from bytes. */
  readonly bytes: LineParser['bytes'];
  /** LineParser.run, where the consumer also takes lines in runs: the compiled reader (access-log-run.ts) reads them as ordinaryBytes. */
  readonly run: LineParser['run'];
  /** The compiled reader, taken from its pool and given back at the end. */
  private reader: AccessLogRun | undefined;
  private readonly quiet: QuietSpan = { from: 0, to: 0 };
  /** The record program of the stamp read last (records), and that stamp's bytes. */
  private program: RecordProgram | undefined;
  private programStamp: Buffer | undefined;
  /** The one second a run's lines fall in, as RunSink.counted is told it. */
  private readonly second = new Float64Array(1);
  private readonly brackets = new ByteSearch(91 /* [ */);
  private readonly spaces = new ByteSearch(32);
  private readonly quotes = new ByteSearch(34 /* " */);

  constructor(
    private readonly ctx: ParseContext,
    private readonly source: Source,
  ) {
    this.fields = { source, time: 0, zoneless: false, utcOffset: undefined, method: '', path: '', status: 0 };
    this.byteFields = { source, time: 0, zoneless: false, utcOffset: undefined, status: 0, bytes: Buffer.alloc(0), pathStart: 0, pathEnd: 0 };
    const records = ctx.records;
    if (records !== undefined) {
      this.reader = accessLogRuns.take();
      this.run = (bytes, end, limit, ascii, run) => this.recordRun(bytes, end, limit, ascii, run, records);
      // A line a run stops at is decoded: its event is emitted (and its stamp read for the next run).
      this.bytes = () => false;
      return;
    }
    const take = ctx.ordinaryBytes;
    this.bytes = take && ((bytes, start, end) => this.ordinaryBytes(bytes, start, end, take));
    const runs = ctx.runs;
    if (take === undefined || runs === undefined) return;
    this.reader = accessLogRuns.take();
    this.run = (bytes, end, limit, ascii, run) => this.readRun(bytes, end, limit, ascii, run, runs);
  }

  /**
   * LineParser.run: the compiled reader takes the lines ordinaryBytes and its consumer would take,
   * in the second of the stamp read last; a request of a failed path is taken where the consumer
   * says it takes that path at this stamp (asked once per path, stamp and RunSink.joins). Then the
   * run's effects are told: its second, and the failed paths it took first in this stamp.
   */
  private readRun(b: Buffer, end: number, limit: number, ascii: boolean, run: LineRun, runs: RunSink): void {
    const reader = this.reader!;
    const stamps = this.stamps;
    // The checked context's bound: a stamp whose time and zone are in range.
    const stamp = stampInRange(stamps.time, stamps.offset) ? stamps.stampBytes : undefined;
    if (!reader.uses(stamp)) reader.useStamp(stamp, runs.instantOf(this.source, stamps.time, stamps.zoneless));
    const paths = runs.failedPaths();
    reader.usePaths(paths);
    const requests = runs.takesRequests(this.source, stamps.offset);
    reader.begin(runs.joins());
    let at = run.at;
    let taken = 0;
    for (;;) {
      at = reader.run(b, run.block, at, end, limit, requests, ascii);
      taken += reader.taken;
      const asked = reader.asked;
      if (asked < 0) break;
      // The run stopped before the line asked about (a whole one: it found its end).
      const lineEnd = b.indexOf(10, at);
      const no = run.no + taken + 1;
      const answer = runs.takesFailed(this.source, paths[asked]!, stamps.time, stamps.zoneless, this.quiet, () => new KeptAccessLine(this, b.toString('latin1', at, lineEnd), no));
      if (answer !== 'later') {
        reader.answer(answer, this.quiet);
        continue;
      }
      taken++;
      at = lineEnd + 1;
    }
    if (taken === 0) return;
    this.second[0] = Math.floor(stamps.time / 1000);
    runs.counted(this.source, stamps.zoneless, this.second, 1, stamps.time);
    runs.present(this.source, reader.present, reader.presentCount, stamps.time);
    run.at = at;
    run.no += taken;
  }

  /**
   * LineParser.run for a consumer of records: the compiled reader writes the records of the request
   * lines with a 1xx to 3xx status in the second of the stamp read last, by the consumer's program
   * for that stamp, and hands them on in line order.
   */
  private recordRun(b: Buffer, end: number, limit: number, ascii: boolean, run: LineRun, records: RecordSink): void {
    const stamps = this.stamps;
    // No stamp read yet; or one the checked context would change the event of (time or zone out of range).
    if (stamps.stampBytes.length === 0 || !stampInRange(stamps.time, stamps.offset)) return;
    const program = this.programOf(records);
    if (program === undefined) return;
    const reader = this.reader!;
    // The instant is the analysis's (its failed paths' quiet spans): records need only the stamp.
    if (!reader.uses(stamps.stampBytes)) reader.useStamp(stamps.stampBytes, 0);
    reader.useProgram(program);
    runRecords(reader, b, end, limit, ascii, run, records);
  }

  /** The consumer's record program for the stamp read last: asked once per stamp. */
  private programOf(records: RecordSink): RecordProgram | undefined {
    const stamps = this.stamps;
    if (this.programStamp !== stamps.stampBytes) {
      this.programStamp = stamps.stampBytes;
      const file = this.ctx.file;
      const exemplar: ConnectionEvent = { id: '', source: this.source, kind: 'request', time: stamps.time, timeQuality: stamps.zoneless ? 'inferred' : 'exact', file, line: 0, method: '', path: '', status: 0, clientAddr: '', excerpt: '' };
      const program = records.program(exemplar, REQUEST_LINE_FIELDS, false);
      this.program = program && AccessLogRun.fits(program) ? program : undefined;
    }
    return this.program;
  }

  line(text: string, no: number): void {
    if (text.length === 0) return;
    if (this.ctx.ordinary !== undefined && this.ordinary(text, this.ctx.ordinary)) return;
    const event = this.event(text, no);
    if (typeof event === 'string') this.ctx.problem(no, `not an access log line: ${event}`);
    else this.ctx.emit(event);
  }

  end(): void {
    if (this.reader) accessLogRuns.give(this.reader);
    this.reader = undefined;
  }

  /** The event of a line kept for later (KeptAccessLine) as line() emits it, read with stamps of its own (the run's go on). */
  eventLater(text: string, no: number): ConnectionEvent | undefined {
    const event = this.event(text, no, (this.laterStamps ??= new StampCache()));
    if (typeof event === 'string') return void this.ctx.problem(no, `not an access log line: ${event}`);
    checkFields(event, this.ctx.problem);
    return event;
  }

  /** The event of one access line, built in one literal (one shape for the bulk), or a reason it is not one. */
  private event(text: string, no: number, stamps = this.stamps): ConnectionEvent | string {
    const space = text.indexOf(' ');
    const open = text.indexOf(' [', space);
    const close = text.indexOf('] ', open);
    if (space <= 0 || open < 0 || close < 0) return 'no "[time]" after the client address';
    if (!stamps.read(text, open + 2, close)) return `unreadable time "${text.slice(open + 2, close)}"`;
    const event = newEvent(this.ctx, no, text, { source: this.source, kind: 'request', time: stamps.time, timeQuality: stamps.zoneless ? 'inferred' : 'exact' });
    event.clientAddr = text.slice(0, space);
    if (stamps.zoneless) event.zoneless = true;
    else event.utcOffset = stamps.offset;
    let at = close + 2;
    if (text.charCodeAt(at) !== 34 /* " */) {
      // http.server's send_error() note, `code 400, message Bad request syntax ('GARBAGE')`: the
      // request line that follows carries the same status, so this one stays `other` (no twin).
      if (!text.startsWith('code ', at)) return 'no "request" after the time';
      event.kind = 'other';
      event.status = Number(text.slice(at + 5, at + 8));
      return event;
    }
    const endQuote = text.indexOf('" ', at + 1);
    if (endQuote < 0) return 'the request is not closed by a quote';
    const methodEnd = text.indexOf(' ', at + 1);
    if (methodEnd > at + 1 && methodEnd < endQuote) {
      event.method = text.slice(at + 1, methodEnd);
      const pathEnd = text.indexOf(' ', methodEnd + 1);
      event.path = text.slice(methodEnd + 1, pathEnd < 0 || pathEnd > endQuote ? endQuote : pathEnd);
    }
    at = endQuote + 2;
    if (text.charCodeAt(at) === 45 && (text.length === at + 1 || text.charCodeAt(at + 1) === 32)) {
      // "-" for the status: the request was logged but no response was sent (the connection closed).
      event.kind = 'server-closed';
      return event;
    }
    const status = statusOf(text, at);
    if (!(status >= 100 && status <= 999) || (text.length > at + 3 && text.charCodeAt(at + 3) !== 32)) return 'no status after the request';
    event.status = status;
    event.kind = kindOfStatus(status);
    return event;
  }

  /**
   * The fast path for the bulk of a log, an ordinary request: the fields the consumer needs, with no
   * event built. Anything unusual (and every line the consumer declines) goes the full way.
   */
  private ordinary(text: string, take: NonNullable<ParseContext['ordinary']>): boolean {
    const space = text.indexOf(' ');
    const open = text.indexOf(' [', space);
    const close = text.indexOf('] ', open);
    if (space <= 0 || open < 0 || close < 0) return false;
    const stamps = this.stamps;
    if (!stamps.read(text, open + 2, close)) return false;
    const at = close + 2;
    if (text.charCodeAt(at) !== 34 /* " */) return false;
    const endQuote = text.indexOf('" ', at + 1);
    if (endQuote < 0) return false;
    const methodEnd = text.indexOf(' ', at + 1);
    if (methodEnd <= at + 1 || methodEnd >= endQuote) return false;
    let pathEnd = text.indexOf(' ', methodEnd + 1);
    if (pathEnd < 0 || pathEnd > endQuote) pathEnd = endQuote;
    const statusAt = endQuote + 2;
    const d0 = text.charCodeAt(statusAt) - 48;
    const d1 = text.charCodeAt(statusAt + 1) - 48;
    const d2 = text.charCodeAt(statusAt + 2) - 48;
    if (!(d0 >= 1 && d0 <= 9 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9)) return false;
    if (text.length > statusAt + 3 && text.charCodeAt(statusAt + 3) !== 32) return false;
    const status = d0 * 100 + d1 * 10 + d2;
    // 1xx to 3xx are ordinary whatever the table says of 4xx and 5xx: most lines skip the lookup.
    if (d0 >= 4 && kindOfStatus(status) !== 'request') return false;
    const fields = this.fields;
    fields.time = stamps.time;
    fields.zoneless = stamps.zoneless;
    fields.utcOffset = stamps.offset;
    fields.method = methodAt(text, at + 1, methodEnd);
    fields.path = text.slice(methodEnd + 1, pathEnd);
    fields.status = status;
    return take(fields);
  }

  /**
   * ordinary() on bytes, for the bulk of a big log: a request line with a 1xx to 3xx status in a
   * second whose stamp was read already (the line before's, mostly). Reads as ordinary() reads, and
   * declines (the line is then decoded and goes the string way) where it would do more: a new
   * stamp, another status, anything unusual, every line the consumer declines.
   */
  private ordinaryBytes(b: Buffer, start: number, end: number, take: NonNullable<ParseContext['ordinaryBytes']>): boolean {
    const space = nearByteAt(b, 32, start, end);
    if (space === start || space === end) return false;
    // The first " [" after the address.
    let bracket = space;
    do bracket = this.brackets.within(b, bracket + 1, end);
    while (bracket < end && b[bracket - 1] !== 32);
    const stamps = this.stamps;
    const close = bracket === end ? -1 : stamps.readAt(b, bracket + 1, end);
    const at = close + 2;
    if (close === -1 || b[at] !== 34 /* " */) return false;
    const methodEnd = nearByteAt(b, 32, at + 1, end);
    // A quote before the method's space would close the request there (ordinary() declines it).
    if (methodEnd === at + 1 || methodEnd === end || b[methodEnd - 1] === 34) return false;
    let pathEnd = this.spaces.within(b, methodEnd + 1, end);
    if (pathEnd === end) return false;
    // The request's closing '" ' is the path's end (`"GET /x" 200`), or the first after it.
    const endQuote = b[pathEnd - 1] === 34 ? (pathEnd -= 1) : this.quotes.pairWithin(b, 32, pathEnd + 1, end);
    const statusAt = endQuote + 2;
    if (statusAt + 3 > end) return false;
    const d0 = b[statusAt]! - 48;
    const d1 = b[statusAt + 1]! - 48;
    const d2 = b[statusAt + 2]! - 48;
    // 1xx to 3xx only: kindOfStatus's table of 4xx and 5xx is the string way's.
    if (!(d0 >= 1 && d0 <= 3 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9)) return false;
    if (end > statusAt + 3 && b[statusAt + 3] !== 32) return false;
    const fields = this.byteFields;
    fields.time = stamps.time;
    fields.zoneless = stamps.zoneless;
    fields.utcOffset = stamps.offset;
    fields.status = d0 * 100 + d1 * 10 + d2;
    fields.bytes = b;
    fields.pathStart = methodEnd + 1;
    fields.pathEnd = pathEnd;
    return take(fields);
  }
}

// `addr ident user [24/Nov/2026:06:40:01 +0000] "` (nginx, Apache) or `addr - - [24/Nov/2026 06:40:01] "` (http.server)
const ZONED_LINE = /^\S+ \S+ \S+ \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "/;
const ZONELESS_LINE = /^\S+ - - \[\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d\] (?:"|code \d{3})/;

function accessFormat(source: Source, title: string, pattern: RegExp, examples: FormatParser['examples']): FormatParser {
  return {
    source,
    title,
    detect(firstLines, fileName) {
      const lines = firstLines.filter((l) => l.length > 0);
      // Squid's common and combined lines are CLF lines too; their result:hierarchy tail makes them Squid's.
      const hits = lines.filter((l) => pattern.test(l) && !isSquidHttpdLine(l)).length;
      if (hits === 0) return 0;
      return Math.min(1, 0.3 + (0.65 * hits) / lines.length + (/access/i.test(fileName) ? 0.05 : 0));
    },
    create: (ctx) => new AccessLogParser(ctx, source),
    splittable: true,
    examples,
  };
}

const LAB = 'nginx 1.22.1 on 127.0.0.1, log_format combined + $request_time $upstream_response_time $upstream_status (local run)';

export const nginxAccessFormat = accessFormat('nginx-access', 'nginx access log', ZONED_LINE, [
  {
    lines: ['127.0.0.1 - - [24/Nov/2026:21:58:40 +0000] "GET /api/items HTTP/1.1" 200 17 "-" "python-requests/2.34.2" 0.001 0.001 200'],
    expect: { kind: 'request', status: 200, method: 'GET', path: '/api/items', clientAddr: '127.0.0.1', time: Date.UTC(2026, 10, 24, 21, 58, 40), timeQuality: 'exact' },
    origin: LAB,
  },
  {
    lines: ['127.0.0.1 - - [24/Nov/2026:21:58:41 +0000] "GET /api/drop HTTP/1.1" 444 0 "-" "python-requests/2.34.2" 0.000 - -'],
    expect: { kind: 'server-closed', status: 444 },
    origin: `${LAB}, location with return 444`,
  },
  {
    lines: ['127.0.0.1 - - [24/Nov/2026:21:58:44 +0000] "GET /api/slow HTTP/1.1" 499 0 "-" "python-requests/2.34.2" 0.502 0.502 -'],
    expect: { kind: 'client-closed' },
    origin: `${LAB}, client read timeout 0.5 s`,
  },
  {
    lines: ['127.0.0.1 - - [24/Nov/2026:21:58:41 +0000] "POST /api/upload HTTP/1.1" 413 183 "-" "python-requests/2.34.2" 0.000 - -'],
    expect: { kind: 'body-too-large', method: 'POST' },
    origin: `${LAB}, client_max_body_size 1k`,
  },
  {
    lines: ['127.0.0.1 - - [24/Nov/2026:21:58:41 +0000] "GET /api/slow HTTP/1.1" 504 167 "-" "python-requests/2.34.2" 1.001 1.001 504'],
    expect: { kind: 'upstream-timeout' },
    origin: `${LAB}, proxy_read_timeout 1s`,
  },
  {
    lines: ['127.0.0.1 - - [24/Nov/2026:21:59:14 +0000] "GARBAGE" 400 157 "-" "-" 0.000 - -'],
    expect: { kind: 'bad-request' },
    origin: `${LAB}, a request line nginx cannot parse`,
  },
]);

export const appAccessFormat = accessFormat('app-access', 'Python http.server request log', ZONELESS_LINE, [
  {
    lines: ['127.0.0.1 - - [24/Nov/2026 22:06:28] "GET /api/x HTTP/1.1" 404 -'],
    expect: { kind: 'request', status: 404, path: '/api/x', zoneless: true, timeQuality: 'inferred', time: Date.UTC(2026, 10, 24, 22, 6, 28) },
    origin: 'python3 -m http.server (Python 3.11.7, local run)',
  },
  {
    lines: ['127.0.0.1 - - [24/Nov/2026 22:06:28] "GARBAGE" 400 -'],
    expect: { kind: 'bad-request', status: 400, clientAddr: '127.0.0.1' },
    origin: 'python3 -m http.server (Python 3.11.7, local run), a garbage request line',
  },
  {
    lines: ['127.0.0.1 - - [24/Nov/2026 22:14:26] "POST /api/report HTTP/1.1" - -'],
    expect: { source: 'app-access', kind: 'server-closed', method: 'POST', path: '/api/report', status: undefined },
    origin: 'Python 3.11 http.server log_request() without a code, logged before the handler reset the connection (samples/06)',
  },
  {
    lines: ["127.0.0.1 - - [24/Nov/2026 22:06:28] code 400, message Bad request syntax ('GARBAGE')"],
    expect: null,
    origin: 'python3 -m http.server (Python 3.11.7, local run), a garbage request line',
  },
]);
