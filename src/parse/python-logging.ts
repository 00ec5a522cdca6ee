/**
 * Client logs written by Python `logging` (requests/urllib3 at DEBUG), in the common layouts:
 * `2026-11-24 06:40:01,123 DEBUG urllib3.connectionpool: …`, `… - urllib3.connectionpool - DEBUG - …`,
 * `[2026-11-24 06:40:01,123] DEBUG in …`, `DEBUG:urllib3.connectionpool:…` (no time). A record is its
 * header line plus the lines up to the next header, so a logged traceback folds into the record's
 * one event (python-exception.ts reads it, as for pytest).
 *
 * Decisions: `Starting new HTTP connection` and `Resetting dropped connection` are kind `other`
 * (they say a connection was opened, or that a pooled one was found closed, not that a request
 * failed); urllib3's `http://host:port "GET /x HTTP/1.1" 200 17` is kind `request` with method,
 * path, host, port and status: it is matched with the server's access log to estimate clock offsets.
 */
import type { ConnectionEvent, PooledReuse } from '../model/event.js';
import { excerptOf } from '../model/event.js';
import { newEvent, type FormatParser, type LineParser, type OrdinaryBytes, type OrdinaryLine, type ParseContext, type RecordSink, type RunSink, type UnremarkableLine } from './parser.js';
import type { LineFields, RecordProgram } from './record-program.js';
import { urlIn } from './failure-text.js';
import { classify, exceptionClass, readExceptionChain } from './python-exception.js';
import { isDigit, WallClock } from './timestamps.js';
import { DROPPED, NEW_CONNECTION, PoolTrace } from './urllib3-pool.js';
import { methodAt } from './http-method.js';
import { ByteSearch, nearWordAt, sameBytes } from './line-bytes.js';
import { pythonLogRuns, RECORD_PROGRAMS, type HeaderParts, type PoolLine, type PythonLogRun, type RunPolicy } from './python-log-run.js';
import { allInRange, validTime } from './field-ranges.js';
import type { LineRun } from '../read/lines.js';

const LEVEL = /\b(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)\b/;
// "[%(levelname)s] …" too: an ISO asctime with Z in front of it is taken off as a CI stamp, its time kept.
const LEVEL_FIRST = /^\[?(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)\]?(?::|\s+)/;
// What urllib3 and requests write; the texts are urllib3 2.x connectionpool.py's.
const REQUEST_DONE = /(https?):\/\/([^\s:/"]+|\[[^\]]+\]):(\d+) "(\S+) (\S+) [^"]*" (\d{3}) /;
const RETRYING = /after connection broken by '(.*)': (\S+)$/;
// A message worth classifying although no traceback follows: logger.error(str(exc)) and the like.
const FAILURE_WORDS = /Error|Caused by|[Rr]efused|reset by peer|[Tt]imed? ?out|[Bb]roken pipe|Remote end closed/;

/** The time a record header starts with: `2026-11-24 06:40:01,123` or `[2026-11-24 06:40:01,123]`. */
function headerTime(text: string, clock: WallClock): number | undefined {
  const first = text.charCodeAt(0);
  if (first >= 48 && first <= 57 && text.charCodeAt(4) === 45) return clock.at(text);
  if (first === 91 /* [ */ && text.charCodeAt(5) === 45) return clock.at(text, 1);
  return undefined;
}

interface PendingRecord {
  no: number;
  text: string;
  time: number | null;
  exact: boolean;
  /** Column-0 exception lines of a traceback that followed the header (most records have none). */
  exceptions: { text: string; no: number }[] | undefined;
  /** A header read from bytes (LineParser.bytes): `text` is made only if flush() needs it. */
  bytes: HeaderBytes | undefined;
}

/** What the byte path read of a header line, its parts in `buffer`. */
interface HeaderBytes extends HeaderParts {
  buffer: Buffer;
  /** What LEVEL finds in the line (a connection opened: the unremarkable fast path is told it). */
  level: string | undefined;
  /** Where a run held it (records): its record program's number (RECORD_PROGRAMS), else -1. */
  program: number;
}

/** What one urllib3/requests log message says, or undefined when it says nothing we use. */
export function readClientMessage(text: string): Partial<ConnectionEvent> & Pick<ConnectionEvent, 'kind'> | undefined {
  if (text.includes('" ')) {
    const done = REQUEST_DONE.exec(text);
    if (done) {
      return { kind: 'request', host: done[2]!, port: Number(done[3]), method: done[4]!, path: done[5]!, status: Number(done[6]) };
    }
  }
  if (text.includes('after connection broken by')) {
    const retry = RETRYING.exec(text);
    if (retry) {
      const reading = classify(retry[1]!);
      const kind = reading.kind === 'other' ? 'connection-error' : reading.kind;
      return Object.assign(reading, { kind, path: retry[2]!, retry: true });
    }
  }
  if (text.includes('Starting new HTTP')) {
    const opened = NEW_CONNECTION.exec(text);
    if (opened) return { kind: 'other', host: opened[1]!, port: Number(opened[2]) };
  }
  if (text.includes('Resetting dropped connection')) {
    const dropped = DROPPED.exec(text);
    if (dropped) return { kind: 'other', host: dropped[1]! };
  }
  if (FAILURE_WORDS.test(text)) {
    // A message that quotes an exception ("… failed: requests.exceptions.HTTPError: 504 …") is read from it.
    const quoted = QUOTED_EXCEPTION.exec(text);
    const reading = quoted ? Object.assign(classify(text.slice(quoted.index)), { exception: quoted[1]! }) : classify(text);
    // Test reporters and fixtures log the failing test's node id: it ties this record to pytest's.
    const test = NODE_ID.exec(text)?.[0];
    if (reading.kind !== 'other') return test ? Object.assign(reading, { test }) : reading;
  }
  return undefined;
}

const METHOD_BEFORE_URL = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) +\S*:\/\//;

/**
 * The request a record's own message names ("request failed: POST http://api:8080/orders") when a
 * traceback follows it: tracebacks of a dropped connection rarely name the URL themselves.
 */
function requestNamedIn(text: string): Partial<ConnectionEvent> {
  const url = urlIn(text);
  if (!url) return {};
  const method = METHOD_BEFORE_URL.exec(text)?.[1];
  return Object.assign(definedOnly(url), method && { method });
}

function definedOnly<T extends object>(fields: T): Partial<T> {
  // A loop, not entries/filter/fromEntries: called for every failure record, those made three arrays a field.
  const defined: Partial<T> = {};
  for (const key in fields) if (fields[key] !== undefined) defined[key] = fields[key];
  return defined;
}

const STAMP_ZONE = /^\[?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(Z|[+-]\d\d:?\d\d)\b/;

/** Minutes east of UTC of "Z", "+02:00" or "-0530". */
function zoneMinutes(zone: string): number {
  if (zone === 'Z') return 0;
  const digits = zone.replace(':', '');
  return (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}

// Bounded: from every word of a long dotted token (a JWT) the unbounded chain rescanned the rest.
const QUOTED_EXCEPTION = /\b((?:[a-z_]\w{0,63}\.){0,16}[A-Z]\w{0,127}(?:Error|Exception|Timeout)): /;
// Starts only where a run of path characters starts: from inside a long run it backtracked quadratically.
const NODE_ID = /(?<![\w./-])[\w./-]+\.py::[\w\[\]./:-]*[\w\]]/;

class PythonLoggingParser implements LineParser {
  private record: PendingRecord | undefined;
  /** The last record's object, once flushed: the next record's. */
  private spare: PendingRecord | undefined;
  private readonly pool: PoolTrace;
  private readonly clock = new WallClock();
  /** What the fast paths are told, refilled record after record: no object per record of the bulk. */
  private readonly request: OrdinaryLine = { source: 'client', time: 0, zoneless: false, utcOffset: undefined, method: '', path: '', status: 0 };
  private readonly unremarkableFields: UnremarkableLine = { source: 'client', kind: 'other', level: undefined, closedBy: undefined, time: null, zoneless: false };
  /** The byte path's: the header of the one record read from bytes and not yet flushed, and what the consumer is told of it. */
  private readonly header: HeaderBytes = { buffer: Buffer.alloc(0), start: 0, end: 0, request: false, authStart: 0, authEnd: 0, pathStart: 0, pathEnd: 0, status: 0, level: undefined, program: -1 };
  private readonly byteFields: OrdinaryBytes = { source: 'client', time: 0, zoneless: true, utcOffset: undefined, status: 0, bytes: Buffer.alloc(0), pathStart: 0, pathEnd: 0 };
  // Words most lines lack are searched across lines (ByteSearch); those in most lines, within the line.
  private readonly retries = new ByteSearch(Buffer.from('after connection broken by'));
  private readonly threads = new ByteSearch(Buffer.from('Thread'));
  private readonly quotes = new ByteSearch(34 /* " */);
  /** LineParser.bytes, where the consumer takes request lines from bytes (and from text: a declined one goes that way). */
  readonly bytes: LineParser['bytes'];
  /** LineParser.run, where the consumer also takes lines in runs: the compiled reader (python-log-run.ts) reads them as lineBytes. */
  readonly run: LineParser['run'];
  /** The compiled reader, taken from its pool and given back at the end. */
  private reader: PythonLogRun | undefined;
  private readonly policy: RunPolicy = { callerRecord: false, requests: false, levels: 0, records: false };
  private readonly poolLine: PoolLine = { start: 0, end: 0, authStart: 0, authEnd: 0, no: 0, time: 0 };
  /** Where records go (ParseContext.records), and their programs (a new array when one is added). */
  private readonly records: RecordSink | undefined;
  private programs: readonly (RecordProgram | undefined)[] = [];
  /** The slot of the second at `slotMs` (recordRun). */
  private slotMs: number | undefined = NaN;
  private slot = '';

  constructor(private readonly ctx: ParseContext) {
    this.pool = new PoolTrace(ctx.file);
    this.records = ctx.records;
    if (this.records !== undefined) {
      this.reader = pythonLogRuns.take();
      const policy = this.policy;
      policy.requests = true;
      policy.levels = (1 << RUN_LEVELS.length) - 1;
      policy.records = true;
      this.run = (bytes, end, limit, ascii, run) => this.recordRun(bytes, end, limit, ascii, run, this.records!);
      // A line a run stops at is decoded; the record a run held is ended the usual way (and its program made).
      this.bytes = () => false;
      return;
    }
    if (ctx.ordinary === undefined || ctx.ordinaryBytes === undefined) return;
    this.bytes = (bytes, start, end, no) => this.lineBytes(bytes, start, end, no);
    const runs = ctx.runs;
    if (runs === undefined) return;
    this.reader = pythonLogRuns.take();
    // Fixed for the file: an answer that widens later only leaves more lines to lineBytes.
    const unremarkable = ctx.unremarkable !== undefined;
    RUN_LEVELS.forEach((level, n) => {
      if (unremarkable && runs.takesUnremarkable('client', 'other', level, undefined)) this.policy.levels |= 1 << n;
    });
    this.run = (bytes, end, limit, ascii, run) => this.readRun(bytes, end, limit, ascii, run, runs);
  }

  /**
   * LineParser.run: the compiled reader takes lines as lineBytes would, then its effects are told in
   * their lines' order: the record this parser held, ended by the run's first header; the run's
   * seconds and pools; the record the run read last, held here as lineBytes holds one.
   */
  private readRun(b: Buffer, end: number, limit: number, ascii: boolean, run: LineRun, runs: RunSink): void {
    const reader = this.reader!;
    const ms = this.clock.lastSecondMs;
    // The checked context's bound: a second whose every time is valid.
    reader.useSecond(this.clock.lastSecond, ms !== undefined && validTime(ms) && validTime(ms + 999) ? ms : undefined);
    const policy = this.policy;
    policy.callerRecord = this.record !== undefined;
    // Its runs know no failed path: on the client side none is known yet.
    policy.requests = runs.takesRequests('client', undefined) && runs.failedPaths().length === 0;
    const stop = reader.run(b, run.block, run.at, end, limit, ascii, run.no, policy);
    const taken = reader.taken;
    if (taken === 0) return;
    if (reader.flushCaller) this.flush();
    runs.counted('client', true, reader.seconds, reader.secondCount, reader.latest);
    this.tookRun(b, run, stop, taken);
  }

  /**
   * LineParser.run for a consumer of records: the compiled reader reads lines as for the analysis,
   * and writes the record of each record the run ends (its header alone) by the program of its kind
   * and level, made of the event of the first such record ended the usual way. Its effects are told
   * as readRun tells them, the records after the caller's record.
   */
  private recordRun(b: Buffer, end: number, limit: number, ascii: boolean, run: LineRun, records: RecordSink): void {
    const reader = this.reader!;
    const ms = this.clock.lastSecondMs;
    const valid = ms !== undefined && validTime(ms) && validTime(ms + 999);
    reader.useSecond(this.clock.lastSecond, valid ? ms : undefined);
    // The slot: the second's ISO time up to its milliseconds, which each record writes from its line (made once a second).
    if (ms !== this.slotMs) {
      this.slotMs = ms;
      this.slot = valid ? new Date(ms).toISOString().slice(0, 20) : '';
    }
    reader.useRecords(this.programs, this.slot);
    this.policy.callerRecord = this.record !== undefined;
    const stop = reader.run(b, run.block, run.at, end, limit, ascii, run.no, this.policy);
    const taken = reader.taken;
    if (taken === 0) return;
    if (reader.flushCaller) this.flush();
    const { written } = reader.told;
    if (written.length > 0) records.write(written);
    this.tookRun(b, run, stop, taken);
  }

  /** What a run took, after its records: the pools' last lines, the record it held, where it stopped. */
  private tookRun(b: Buffer, run: LineRun, stop: number, taken: number): void {
    const reader = this.reader!;
    const line = this.poolLine;
    for (let i = 0; i < reader.pools; i++) {
      const openedLast = reader.openedLast(i);
      if (!openedLast && reader.opened(i, line)) this.pool.openedBytes(b, line.authStart, line.authEnd, line.time, line.no);
      if (reader.request(i, line)) this.pool.requestBytes(b, line.start, line.end, line.authStart, line.authEnd, line.time, line.no);
      if (openedLast && reader.opened(i, line)) this.pool.openedBytes(b, line.authStart, line.authEnd, line.time, line.no);
    }
    const held = reader.heldRecord();
    if (held !== undefined) {
      const header = this.header;
      header.buffer = b;
      header.start = held.start;
      header.end = held.end;
      header.request = held.request;
      header.authStart = held.authStart;
      header.authEnd = held.authEnd;
      header.pathStart = held.pathStart;
      header.pathEnd = held.pathEnd;
      header.status = held.status;
      header.level = RUN_LEVELS[held.level];
      header.program = (held.request ? RUN_LEVELS.length : 0) + held.level;
      this.holdHeader(held.no, held.time);
    }
    run.at = stop;
    run.no += taken;
  }

  /**
   * line() on bytes, for the bulk of a DEBUG client log: the indented lines of a traceback, and a
   * record header `2026-11-24 06:40:01,123 …` (no ISO 'T', so no zone) whose message is a completed
   * request or a connection opened, as tookFast reads them. Declines (the line is then decoded)
   * anything else: another header, a thread's record, a line before the first record.
   */
  private lineBytes(b: Buffer, start: number, end: number, no: number): boolean {
    // An empty line is no header and no exception line; nor is an indented one (exception lines start at column 0).
    if (start === end) return true;
    const first = b[start]!;
    if (first === 32) return this.record !== undefined;
    if (first < 48 || first > 57 || b[start + 4] !== 45 /* - */ || b[start + 10] !== 32) return false;
    const time = this.clock.atBytes(b, start, end);
    if (time === undefined) return false;
    // A header (headerTime read a time): the record before it is complete, whichever way this one is read.
    this.flush();
    if (!this.readHeader(b, start, end)) return false;
    this.header.program = -1;
    this.holdHeader(no, time);
    return true;
  }

  /** Holds the header read into `header` (line `no`, at `time`) as the record the next lines may continue. */
  private holdHeader(no: number, time: number): void {
    const record = this.spare ?? { no, text: '', time, exact: false, exceptions: undefined, bytes: undefined };
    this.spare = undefined;
    record.no = no;
    record.text = '';
    record.time = time;
    record.exact = false;
    record.exceptions = undefined;
    record.bytes = this.header;
    this.record = record;
  }

  /** Reads a header's message into `header` where it is one lineBytes takes. */
  private readHeader(b: Buffer, start: number, end: number): boolean {
    // poolsOf: a record naming a thread goes the string way.
    if (this.threads.within(b, start, end) < end) return false;
    const header = this.header;
    header.buffer = b;
    header.start = start;
    header.end = end;
    // The stamp (read by atBytes) holds no '/' nor a letter: searches start past its seconds.
    const scheme = nearWordAt(b, SCHEME, start + 19, end);
    if (scheme < end) return readRequestBytes(b, start, scheme, header);
    // As tookFast reads it: no request quoted (here no '"' at all), no retry.
    const opens = nearWordAt(b, OPENS, start + 19, end);
    if (opens === end || this.quotes.within(b, start, end) < end || this.retries.within(b, start, end) < end) return false;
    return readOpenedBytes(b, start, opens, end, header);
  }

  /** tookFast for a record read from bytes, with the pool's observe() of it: false leaves both to the string way. */
  private tookBytes(header: HeaderBytes, time: number, no: number): boolean {
    if (header.request) {
      const fields = this.byteFields;
      fields.time = time;
      fields.status = header.status;
      fields.bytes = header.buffer;
      fields.pathStart = header.pathStart;
      fields.pathEnd = header.pathEnd;
      const take = this.ctx.ordinaryBytes;
      if (take === undefined || !take(fields)) return false;
      this.pool.requestBytes(header.buffer, header.start, header.end, header.authStart, header.authEnd, time, no);
      return true;
    }
    const unremarkable = this.ctx.unremarkable;
    if (unremarkable === undefined) return false;
    const fields = this.unremarkableFields;
    fields.level = header.level;
    fields.time = time;
    fields.zoneless = true;
    if (!unremarkable(fields)) return false;
    this.pool.openedBytes(header.buffer, header.authStart, header.authEnd, time, no);
    return true;
  }

  /** LineParser.releaseBytes: the record held (its header read from bytes) and the pools' last requests keep copies. */
  releaseBytes(): void {
    this.pool.releaseBytes();
    if (this.record?.bytes === undefined) return;
    const header = this.header;
    const from = header.start;
    header.buffer = Buffer.from(header.buffer.subarray(from, header.end));
    header.start -= from;
    header.end -= from;
    header.authStart -= from;
    header.authEnd -= from;
    header.pathStart -= from;
    header.pathEnd -= from;
  }

  line(text: string, no: number, prefixTime: number | undefined): void {
    const levelFirst = levelBeforeTime(text);
    // "%(levelname)s %(asctime)s …" puts the time after the level.
    const header = levelFirst ? text.slice(levelFirst[0].length) : text;
    const wall = headerTime(header, this.clock);
    if (wall !== undefined || levelFirst) {
      this.flush();
      // An ISO datefmt with a zone ("2026-11-24T06:40:01.123Z", "…+02:00") is an instant already.
      const zone = wall === undefined || !isoDateTime(header) ? undefined : STAMP_ZONE.exec(header);
      const time = wall === undefined ? undefined : zone ? wall - zoneMinutes(zone[1]!) * 60_000 : wall;
      // One record object, refilled: a client log is a record a line, and flush() keeps none of it.
      const record = this.spare ?? { no, text, time: null, exact: false, exceptions: undefined, bytes: undefined };
      this.spare = undefined;
      record.no = no;
      record.text = text;
      record.time = time ?? prefixTime ?? null;
      record.exact = zone !== null && zone !== undefined ? true : time === undefined && prefixTime !== undefined;
      record.exceptions = undefined;
      this.record = record;
      return;
    }
    if (this.record === undefined) {
      if (text.length > 0) this.ctx.problem(no, 'a line before the first log record');
      return;
    }
    if (exceptionClass(text)) (this.record.exceptions ??= []).push({ text, no });
  }

  end(): void {
    this.flush();
    if (this.reader) pythonLogRuns.give(this.reader);
    this.reader = undefined;
  }

  private flush(): void {
    const record = this.record;
    if (record === undefined) return;
    this.record = undefined;
    this.spare = record;
    const header = record.bytes;
    // The program a run held this record for want of (records): made of its event, if it is the header's alone.
    const program = header !== undefined && record.exceptions === undefined ? header.program : -1;
    if (header !== undefined) {
      record.bytes = undefined;
      if (record.exceptions === undefined && this.tookBytes(header, record.time!, record.no)) return;
      record.text = header.buffer.toString('latin1', header.start, header.end);
    }
    this.pool.observe(record.text, record.time, record.no);
    if (record.exceptions === undefined && this.tookFast(record)) return;
    const levelMatch = LEVEL.exec(record.text);
    const exceptions = record.exceptions ?? [];
    const chain = readExceptionChain(exceptions.map((e) => e.text));
    const at = chain ? exceptions[chain.decisive]! : record;
    const fields = chain ? Object.assign(requestNamedIn(record.text), definedOnly(chain.reading), { kind: chain.reading.kind }) : (readClientMessage(record.text) ?? { kind: 'other' as const });
    const event = newEvent(this.ctx, at.no, at.text, { source: 'client', kind: fields.kind, time: record.time, timeQuality: record.time === null ? 'none' : record.exact ? 'exact' : 'inferred' });
    if (record.time !== null && !record.exact) event.zoneless = true;
    if (levelMatch) event.level = levelMatch[1]!;
    if (chain) event.message = excerptOf(record.text);
    Object.assign(event, fields, this.pooled(fields, record));
    if (program >= 0 && this.programs[program] === undefined) this.learnProgram(program, event);
    this.ctx.emit(event);
  }

  /** Record program `k` (RECORD_PROGRAMS), made of a record's event, unless a field of it is out of range (the checked context drops it, with a problem). */
  private learnProgram(k: number, event: ConnectionEvent): void {
    if (!allInRange(event) || (event.status !== undefined && event.status < 100)) return;
    const programs = [...this.programs];
    programs.length = RECORD_PROGRAMS;
    programs[k] = this.records!.program(event, RECORD_FIELDS, true);
    this.programs = programs;
  }

  /** The pooled connection the failure reused, when the trace shows one (urllib3-pool.ts). */
  private pooled(fields: Partial<ConnectionEvent> & Pick<ConnectionEvent, 'kind'>, record: PendingRecord): { pooled?: PooledReuse } {
    const pooled = this.pool.reuseBefore(fields.kind, fields.host, fields.port, record.time, record.text);
    return pooled ? { pooled } : {};
  }

  /**
   * The bulk of a client log, urllib3's request lines and its "Starting new HTTP connection",
   * offered to the consumer's fast paths (ParseContext) before anything is built for them. What
   * these checks are unsure of goes the full way (readClientMessage).
   */
  private tookFast(record: PendingRecord): boolean {
    const { text, time } = record;
    if (time === null) return false;
    const zoneless = !record.exact;
    if (this.ctx.ordinary !== undefined && readRequestDone(text, this.request)) {
      this.request.time = time;
      this.request.zoneless = zoneless;
      return this.ctx.ordinary(this.request);
    }
    // As readClientMessage tells it: no request quoted, no retry, a connection opened.
    if (this.ctx.unremarkable === undefined || !text.includes('Starting new HTTP') || text.includes('" ') || text.includes('after connection broken by') || !NEW_CONNECTION.test(text)) {
      return false;
    }
    const fields = this.unremarkableFields;
    fields.level = LEVEL.exec(text)?.[1];
    fields.time = time;
    fields.zoneless = zoneless;
    return this.ctx.unremarkable(fields);
  }
}

/**
 * urllib3's `http://host:port "GET /x HTTP/1.1" 200 17` read by indexOf into `into`: true only
 * where REQUEST_DONE would match with the same method, path and status (the first "://", plain
 * ASCII); anything else (IPv6 hosts, odd bytes) is left to the regex.
 */
function readRequestDone(text: string, into: Pick<OrdinaryLine, 'method' | 'path' | 'status'>): boolean {
  const scheme = text.indexOf('://');
  if (scheme < 4 || !text.startsWith('http', text.charCodeAt(scheme - 1) === 115 /* s */ ? scheme - 5 : scheme - 4)) return false;
  const colon = text.indexOf(':', scheme + 3);
  const quote = text.indexOf(' "', scheme + 3);
  if (colon <= scheme + 3 || quote <= colon + 1 || !isPlain(text, scheme + 3, colon, true) || !isDigits(text, colon + 1, quote)) return false;
  const methodEnd = text.indexOf(' ', quote + 2);
  const pathEnd = methodEnd < 0 ? -1 : text.indexOf(' ', methodEnd + 1);
  if (methodEnd <= quote + 2 || pathEnd <= methodEnd + 1 || !isPlain(text, quote + 2, methodEnd, false) || !isPlain(text, methodEnd + 1, pathEnd, false)) return false;
  const close = text.indexOf('"', pathEnd + 1);
  if (close < 0 || text.charCodeAt(close + 1) !== 32 || !isDigits(text, close + 2, close + 5) || text.charCodeAt(close + 5) !== 32) return false;
  into.method = methodAt(text, quote + 2, methodEnd);
  into.path = text.slice(methodEnd + 1, pathEnd);
  into.status = (text.charCodeAt(close + 2) - 48) * 100 + (text.charCodeAt(close + 3) - 48) * 10 + (text.charCodeAt(close + 4) - 48);
  return true;
}

const SCHEME = Buffer.from('://');
const OPENS = Buffer.from('Starting new HTTP');
const HTTP = Buffer.from('http');
/** What follows a completed request's path: ` HTTP/1.1`. */
const HTTP_VERSION = Buffer.from(' HTTP/');

/**
 * readRequestDone on bytes, where observe()'s REQUEST_LINE matches too (a method of capitals, a
 * version): from the first "://" (at `scheme`), `http://host:port "GET /x HTTP/1.1" 200 `, read in
 * one pass. The byte at the line's end (LF or CR) stops every loop and fails every test: none reads past it.
 */
function readRequestBytes(b: Buffer, start: number, scheme: number, into: HeaderBytes): boolean {
  const http = b[scheme - 1] === 115 /* s */ ? scheme - 5 : scheme - 4;
  if (http < start || !sameBytes(b, http, HTTP)) return false;
  // The host up to its ':' (isPlain's host), the port's digits up to the ' "' (the first: none is before it).
  const host = scheme + 3;
  let i = host;
  // !(c > 32): past a buffer's end too (undefined), should a caller ever offer a line without its end.
  for (let c = b[i]!; c !== 58 /* : */; c = b[++i]!) if (!(c > 32) || c === 47 || c === 34 || c === 91) return false;
  const colon = i;
  while (isDigit(b[++i]!));
  const quote = i;
  if (colon === host || quote === colon + 1 || b[quote] !== 32 || b[quote + 1] !== 34) return false;
  // Capitals up to the first space; the path up to the next, with no control byte (isPlain).
  i = quote + 2;
  while (b[i]! >= 65 && b[i]! <= 90) i++;
  const methodEnd = i;
  if (methodEnd === quote + 2 || b[methodEnd] !== 32) return false;
  while (b[++i]! > 32);
  const pathEnd = i;
  if (pathEnd === methodEnd + 1 || b[pathEnd] !== 32 || !sameBytes(b, pathEnd, HTTP_VERSION)) return false;
  i = pathEnd + HTTP_VERSION.length;
  while (isDigit(b[i]!) || b[i] === 46 /* . */) i++;
  const close = i;
  if (close === pathEnd + HTTP_VERSION.length || b[close] !== 34 || b[close + 1] !== 32 || !digitBytes(b, close + 2, close + 5) || b[close + 5] !== 32) return false;
  into.request = true;
  into.authStart = host;
  into.authEnd = quote;
  into.pathStart = methodEnd + 1;
  into.pathEnd = pathEnd;
  into.status = (b[close + 2]! - 48) * 100 + (b[close + 3]! - 48) * 10 + (b[close + 4]! - 48);
  return true;
}

const CONNECTION = Buffer.from(' connection (');

/** NEW_CONNECTION on bytes, from its first 'Starting new HTTP' (at `at`) to the line's end, the host holding no ':' (the line's end as for readRequestBytes). */
function readOpenedBytes(b: Buffer, start: number, at: number, end: number, into: HeaderBytes): boolean {
  let i = at + OPENS.length;
  if (b[i] === 83 /* S */) i++;
  if (!sameBytes(b, i, CONNECTION)) return false;
  i += CONNECTION.length;
  const count = i;
  while (isDigit(b[i]!)) i++;
  if (i === count || b[i] !== 41 /* ) */ || b[i + 1] !== 58 || b[i + 2] !== 32) return false;
  const host = (i += 3);
  while (i < end && b[i]! > 32 && b[i] !== 58) i++;
  if (i === host || b[i] !== 58 || !digitBytes(b, i + 1, end)) return false;
  into.request = false;
  into.authStart = host;
  into.authEnd = end;
  into.level = levelIn(b, start + 19, end);
  return true;
}

/** The level names levelIn knows, in the order it tries them; the compiled reader numbers them from 1 (0: none). */
const LEVEL_NAMES = ['DEBUG', 'INFO', 'WARNING', 'WARN', 'ERROR', 'CRITICAL', 'FATAL'];
const RUN_LEVELS: ReadonlyArray<string | undefined> = [undefined, ...LEVEL_NAMES];
/** The fields the compiled reader finds in a record's header (core/python-log.ts numbers them); the time's milliseconds follow the slot. */
const RECORD_FIELDS: LineFields = { excerpt: 0, method: 1, path: 2, host: 3, port: 4, status: 5, time: 6 };
const LEVELS = LEVEL_NAMES.map((level) => ({ level, bytes: Buffer.from(level) }));

/** LEVEL.exec(line)?.[1] on bytes from `from` on (none before it): the leftmost level name standing as a word of its own. */
function levelIn(b: Buffer, from: number, end: number): string | undefined {
  for (let i = from; i < end; i++) {
    // Each name starts with one of D, I, W, E, C and F.
    const c = b[i];
    if ((c !== 68 && c !== 73 && c !== 87 && c !== 69 && c !== 67 && c !== 70) || isWordByte(b[i - 1]!)) continue;
    for (const { level, bytes } of LEVELS) {
      const after = i + bytes.length;
      if (after <= end && sameBytes(b, i, bytes) && (after === end || !isWordByte(b[after]!))) return level;
    }
  }
  return undefined;
}

/** A byte of `\w`. */
function isWordByte(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** isDigits on bytes. */
function digitBytes(b: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isDigit(b[i]!)) return false;
  return end > start;
}

/** Printable ASCII from `start` to `end`; for a host, none of '/', '"' and '[' either (REQUEST_DONE's `[^\s:/"]`, no IPv6). */
function isPlain(text: string, start: number, end: number, host: boolean): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c >= 127 || (host && (c === 47 || c === 34 || c === 91))) return false;
  }
  return true;
}

function isDigits(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return end > start;
}

/** Whether a line starts a record: PythonLoggingParser.line's test for a header. */
function startsRecord(line: string): boolean {
  return levelBeforeTime(line) !== null || headerTime(line, new WallClock()) !== undefined;
}

/** A level name a record starts with ("%(levelname)s %(asctime)s …", "DEBUG:name:…"), or null. */
function levelBeforeTime(line: string): RegExpExecArray | null {
  // Only '[' or a capital letter starts a level name: records start with their time, traceback lines with a space.
  const first = line.charCodeAt(0);
  return first === 91 || (first >= 65 && first <= 90) ? LEVEL_FIRST.exec(line) : null;
}

/** Whether a header starts with an ISO date-time ("2026-11-24T…", "[2026-11-24T…"): only then can its stamp carry a zone. */
function isoDateTime(header: string): boolean {
  return header.charCodeAt(10) === 84 /* T */ || header.charCodeAt(11) === 84;
}

// A Python logging record: asctime (space, not ISO "T", between date and time) and a level name,
// or the basicConfig default "LEVEL:logger:message".
const RECORD_LINE = /^(?:\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[,.]\d{3,6})?(?:Z|[+-]\d\d:?\d\d)?\]?[ :-].*\b(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)\b|\[?(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)\]?(?::[\w.]+:|\s+\S))/;

export const pythonLoggingFormat: FormatParser = {
  source: 'client',
  title: 'Python logging (requests / urllib3 client log)',
  detect(firstLines, fileName) {
    const lines = firstLines.filter((l) => l.length > 0 && !l.startsWith(' ') && !l.startsWith('Traceback'));
    const hits = lines.filter((l) => RECORD_LINE.test(l)).length;
    if (hits === 0) return 0;
    const http = firstLines.some((l) => l.includes('urllib3') || l.includes('requests')) ? 0.1 : 0;
    return Math.min(0.9, 0.2 + (0.6 * hits) / lines.length + http + (/client/i.test(fileName) ? 0.05 : 0));
  },
  create: (ctx) => new PythonLoggingParser(ctx),
  // A record is its header and the traceback under it: a range may start at any header.
  splittable: { cutBefore: startsRecord },
  examples: [
    {
      lines: ['2026-11-24T23:03:42.645Z [DEBUG] urllib3.connectionpool - http://127.0.0.1:27280 "GET /api/health HTTP/1.1" 200 12'],
      expect: { kind: 'request', path: '/api/health', status: 200, timeQuality: 'exact', time: Date.UTC(2026, 10, 24, 23, 3, 42, 645) },
      origin: 'format "%(asctime)s [%(levelname)s] %(name)s - %(message)s" with an ISO datefmt and Z (samples/14, local run)',
    },
    {
      lines: ['2026-11-24T08:40:01.123+02:00 DEBUG urllib3.connectionpool: http://127.0.0.1:8080 "GET /api/items HTTP/1.1" 200 17'],
      expect: { kind: 'request', timeQuality: 'exact', time: Date.UTC(2026, 10, 24, 6, 40, 1, 123) },
      origin: 'logging.Formatter with an ISO 8601 datefmt carrying the local offset (%z, colon form as structlog/python-json-logger print it)',
    },
    {
      lines: [
        '2026-11-24 06:00:04,513 ERROR tests.conftest: request failed: POST http://127.0.0.1:8080/api/report',
        'Traceback (most recent call last):',
        '  File "/usr/lib/python3.11/site-packages/requests/adapters.py", line 667, in send',
        '    resp = conn.urlopen(',
        "requests.exceptions.ConnectionError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
      ],
      expect: { kind: 'remote-disconnected', method: 'POST', host: '127.0.0.1', port: 8080, path: '/api/report', line: 5 },
      origin: 'logger.exception("request failed: %s %s", method, url) around session.post(), Python 3.11 logging, frames shortened',
    },
    {
      lines: ['2026-11-24 21:58:40,596 DEBUG urllib3.connectionpool: http://127.0.0.1:18080 "GET /api/items HTTP/1.1" 200 17'],
      expect: { kind: 'request', method: 'GET', path: '/api/items', host: '127.0.0.1', port: 18080, status: 200, time: Date.UTC(2026, 10, 24, 21, 58, 40, 596), zoneless: true },
      origin: 'requests 2.34.2 / urllib3 2.7.0 with logging.basicConfig(level=DEBUG, format="%(asctime)s %(levelname)s %(name)s: %(message)s") (local run)',
    },
    {
      lines: ["2026-11-24 21:58:41,618 WARNING urllib3.connectionpool: Retrying (Retry(total=1, connect=None, read=None, redirect=None, status=None)) after connection broken by 'RemoteDisconnected('Remote end closed connection without response')': /api/drop"],
      expect: { kind: 'remote-disconnected', path: '/api/drop', level: 'WARNING' },
      origin: 'urllib3 2.7.0 Retry(total=2) against nginx `return 444` (local run)',
    },
    {
      lines: [
        '2026-11-24 21:58:45,636 ERROR client: direct',
        'Traceback (most recent call last):',
        '  File "/root/.pyenv/versions/3.11.7/lib/python3.11/socket.py", line 706, in readinto',
        '    return self._sock.recv_into(b)',
        'ConnectionResetError: [Errno 104] Connection reset by peer',
        '',
        'During handling of the above exception, another exception occurred:',
        '',
        'Traceback (most recent call last):',
        '  File "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/requests/adapters.py", line 711, in send',
        '    raise ConnectionError(err, request=request)',
        "requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
      ],
      expect: { kind: 'reset', line: 12, exception: 'requests.exceptions.ConnectionError', cause: 'ConnectionResetError', errnoName: 'ECONNRESET' },
      origin: 'logger.exception() after requests.get() to a socket closed with SO_LINGER 0 (local run), frames shortened',
    },
    {
      lines: ['DEBUG:urllib3.connectionpool:Starting new HTTP connection (1): 127.0.0.1:18080'],
      expect: null,
      origin: 'logging.basicConfig default format (local run)',
    },
  ],
};
