/**
 * nginx error log: `2026/11/24 14:40:01 [error] 1234#1234: *56 message, client: …, server: …,
 * request: "…", upstream: "…", host: "…", referrer: "…"`. Every line is an event (kind `other`
 * when its message names nothing we know); the stamp has no zone. Parsed by indexOf; a message's
 * kind comes from the catalog of nginx's own messages (nginx-catalog.ts), without a regex per line:
 * debug and info lines are the bulk of a busy log and must stay cheap.
 */
import type { ConnectionEvent } from '../model/event.js';
import { classifyNginxLine, errnoIn, findNginxMessage, phaseOf, portableErrno, type Errno, type NginxVerdict } from './nginx-catalog.js';
import { newEvent, type FormatParser, type LineParser, type ParseContext, type RecordSink, type RunSink, type UnremarkableLine } from './parser.js';
import type { LineFields, RecordProgram } from './record-program.js';
import { allInRange } from './field-ranges.js';
import { errorLogRuns, type ErrorLogRun, type RunMessage } from './error-log-run.js';
import { runRecords } from './core-lines.js';
import type { LineRun } from '../read/lines.js';
import { WallClock } from './timestamps.js';
import { detach } from '../read/detach.js';
import { ByteSearch, nearByteAt, nearPairAt, sameBytes } from './line-bytes.js';

const LEVELS = ['debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg'] as const;

/** The level named between `start` and `end`, as one of LEVELS (no new string per line), or undefined. */
function levelAt(text: string, start: number, end: number): string | undefined {
  for (const level of LEVELS) if (level.length === end - start && text.startsWith(level, start)) return level;
  return undefined;
}
const LEVEL_BYTES = LEVELS.map((level) => ({ level, bytes: Buffer.from(level) }));

/** levelAt on bytes. */
function levelInBytes(bytes: Buffer, start: number, end: number): string | undefined {
  for (const { level, bytes: name } of LEVEL_BYTES) if (name.length === end - start && sameBytes(bytes, start, name)) return level;
  return undefined;
}

/** How many messages RecentVerdicts holds: a busy log's bulk is a handful (one per client address). */
const RECENT_MESSAGES = 16;

/**
 * The verdicts of the last messages classified, with their level, told from bytes: a busy log
 * repeats a few messages word for word ("client 10.0.0.5 closed keepalive connection"), and the
 * byte path classifies them without a string.
 */
class RecentVerdicts {
  private readonly entries: Array<{ level: string; text: string; bytes: Buffer; verdict: Readonly<NginxVerdict>; programs?: [RecordProgram | undefined, RecordProgram | undefined] }> = [];
  private next = 0;
  /** Changes whenever the messages do (the compiled reader loads them again). */
  version = 0;

  remember(level: string, message: string, verdict: Readonly<NginxVerdict>): void {
    for (const entry of this.entries) if (entry.level === level && entry.text === message) return;
    const entry = { level, text: detach(message), bytes: Buffer.from(message, 'utf8'), verdict };
    if (this.entries.length < RECENT_MESSAGES) this.entries.push(entry);
    else this.entries[this.next] = entry;
    this.next = (this.next + 1) % RECENT_MESSAGES;
    this.version++;
  }

  /**
   * The record program of the message's lines (`withConnection`: those naming a connection), unless
   * it has one (every line of the message gives the same event but for what the program reads from it).
   */
  rememberProgram(level: string, message: string, verdict: Readonly<NginxVerdict>, withConnection: boolean, program: () => RecordProgram | undefined): void {
    this.remember(level, message, verdict);
    const entry = this.entries.find((held) => held.level === level && held.text === message)!;
    entry.programs ??= [undefined, undefined];
    if (entry.programs[withConnection ? 1 : 0] !== undefined) return;
    entry.programs[withConnection ? 1 : 0] = program();
    this.version++;
  }

  /** The messages held, with their level, verdict and record programs. */
  list(): ReadonlyArray<{ level: string; bytes: Buffer; verdict: Readonly<NginxVerdict>; programs?: readonly [RecordProgram | undefined, RecordProgram | undefined] }> {
    return this.entries;
  }

  /** The verdict of the message `bytes` hold from start to end at `level`, if it is one of the last. */
  find(level: string, bytes: Buffer, start: number, end: number): Readonly<NginxVerdict> | undefined {
    for (const entry of this.entries) if (entry.level === level && entry.bytes.length === end - start && sameBytes(bytes, start, entry.bytes)) return entry.verdict;
    return undefined;
  }
}
// The verdicts of debug lines, the bulk of a debug log, made once: classifying one allocates nothing.
const OTHER: Readonly<NginxVerdict> = { kind: 'other' };
const SERVER_KEEPALIVE_CLOSED: Readonly<NginxVerdict> = { kind: 'keepalive-closed', closedBy: 'server', side: 'client' };

// DNS response codes as nginx's resolver words them (ngx_resolver_strerror); 110 is its own timeout.
const DNS_RCODES: Readonly<Record<number, string>> = { 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };

/** The errno (or, for a resolver's answer, the DNS response code) onto the event. */
function setErrno(event: ConnectionEvent, errno: Errno, rcode: boolean): void {
  const dns = rcode ? DNS_RCODES[errno.errno] : undefined;
  if (dns) {
    event.errnoName = dns;
    return;
  }
  event.errno = errno.errno;
  const name = portableErrno(errno);
  if (name) event.errnoName = name;
}

/** Where the message ends and nginx's context (`, client: …`, `, udp client: …`, `, resolver: …`) begins; -1 when it has none. */
function contextStart(rest: string): number {
  // The bulk of a busy log ("client … closed keepalive connection") has no context at all.
  if (rest.indexOf(', ') < 0) return -1;
  const client = rest.indexOf(', client: ');
  if (client >= 0) return client;
  const udp = rest.indexOf(', udp client: ');
  if (udp >= 0) return udp;
  const resolver = rest.indexOf(', resolver: ');
  // A line copied with its context elided (", client: ..." cut to ", client…") still ends its message there.
  return resolver >= 0 ? resolver : rest.indexOf(', client');
}

/** The value after `key` up to the next ", " (or the closing quote for quoted values). */
function field(tail: string, key: string): string | undefined {
  const at = tail.indexOf(key);
  if (at < 0) return undefined;
  const start = at + key.length;
  if (tail.charCodeAt(start) === 34 /* " */) {
    let end = tail.indexOf('", ', start + 1);
    if (end < 0) end = tail.lastIndexOf('"');
    // A line cut short has no closing quote: keep what is there.
    return tail.slice(start + 1, end > start ? end : undefined);
  }
  const end = tail.indexOf(', ', start);
  return tail.slice(start, end < 0 ? undefined : end);
}

/** "GET /api/x HTTP/1.1" → method and path; `host: "127.0.0.1:8080"` → host and port. */
function requestFields(event: ConnectionEvent, tail: string): void {
  const client = field(tail, 'client: ');
  if (client) event.clientAddr = client;
  const request = field(tail, 'request: ');
  if (request) {
    const space = request.indexOf(' ');
    if (space > 0) {
      event.method = request.slice(0, space);
      const end = request.indexOf(' ', space + 1);
      event.path = request.slice(space + 1, end < 0 ? undefined : end);
    }
  }
  const upstream = field(tail, 'upstream: ');
  if (upstream) event.upstream = upstream;
  const host = field(tail, 'host: ');
  if (host) {
    const colon = host.lastIndexOf(':');
    if (colon > host.lastIndexOf(']')) {
      event.host = host.slice(0, colon);
      const port = Number(host.slice(colon + 1));
      if (Number.isInteger(port)) event.port = port;
    } else {
      event.host = host;
    }
  }
}

/**
 * The debug message after which a connection's close is an idle keep-alive close: the one line
 * that leaves state for later lines. A log without it gives each line's event from that line alone.
 */
const KEEPALIVE_HANDLER_SET = 'set http keepalive handler';

interface Head {
  time: number | null;
  level: string;
  pid: number | undefined;
  messageAt: number;
}

/** `[level] pid#tid: ` at `at`: the level, the pid and where the message starts. */
function levelAndPid(text: string, at: number): Omit<Head, 'time'> | undefined {
  if (text.charCodeAt(at) !== 91 /* [ */) return undefined;
  const levelEnd = text.indexOf('] ', at);
  const level = levelAt(text, at + 1, levelEnd);
  const hash = text.indexOf('#', levelEnd);
  const pidEnd = text.indexOf(': ', levelEnd);
  if (level === undefined || hash < 0 || pidEnd < 0 || hash > pidEnd) return undefined;
  const pid = Number(text.slice(levelEnd + 2, hash));
  return { level, pid: Number.isInteger(pid) ? pid : undefined, messageAt: pidEnd + 2 };
}

/**
 * Where a line's message starts, and what its head says. Lines as nginx writes them, and as people
 * paste them: without the date (`[error] 12#12: *5 …`), or the message alone when it is one of
 * nginx's own about a connection with its context (`upstream timed out (110: …) while …, client: …`).
 */
function headOf(text: string, clock: WallClock): Head | undefined {
  const time = clock.at(text);
  if (time !== undefined) {
    const head = text.charCodeAt(20) === 91 ? levelAndPid(text, 20) : undefined;
    return head && { time, ...head };
  }
  const head = levelAndPid(text, 0);
  if (head) return { time: null, ...head };
  const start = text.length - text.trimStart().length;
  const message = text.charCodeAt(start) === 42 /* * */ ? text.slice(text.indexOf(' ', start) + 1) : text.slice(start);
  if ((message.includes(' while ') || message.includes(', client: ')) && findNginxMessage(message) !== undefined) return { time: null, level: 'error', pid: undefined, messageAt: start };
  return undefined;
}

/** Bytes of `YYYY/MM/DD HH:MM:SS`, the stamp of a whole line. */
const STAMP_BYTES = 19;
/** The fields the compiled reader finds in a line (core/error-log.ts numbers them): the line whole is its excerpt, `*N` its connection. */
const LINE_FIELDS: LineFields = { excerpt: 0, connId: 1 };

class NginxErrorParser implements LineParser {
  /** Connections whose last debug line set the keep-alive handler: their close is an idle close. */
  private idleKeepalive = new Set<string>();
  /** What the fast path is told, refilled line after line: no object per line of the bulk. */
  private readonly unremarkableFields: UnremarkableLine = { source: 'nginx-error', kind: 'other', level: undefined, closedBy: undefined, time: null, zoneless: false };
  /** LineParser.bytes, where the consumer counts unremarkable lines. */
  readonly bytes: LineParser['bytes'];
  /** The byte path's memory of the string way: the last whole line's stamp and its time, the last messages' verdicts. */
  private stamp = Buffer.alloc(0);
  private stampTime = 0;
  /** The stamp's time as the records write it (their slot). */
  private stampIso = '';
  /** Where records go (ParseContext.records). */
  private readonly records: RecordSink | undefined;
  private readonly verdicts = new RecentVerdicts();
  private readonly commas = new ByteSearch(44 /* , */);
  /** The line the byte path last declined: the string way teaches it what that line shows (not every line: a resting reader offers none). */
  private declined = 0;

  private readonly clock = new WallClock();
  /** LineParser.run, where the consumer also takes lines in runs: the compiled reader (error-log-run.ts) reads them as unremarkableBytes. */
  readonly run: LineParser['run'];
  /** The compiled reader, taken from its pool and given back at the end. */
  private reader: ErrorLogRun | undefined;
  /** The messages as the reader is told them (with its consumer's answer), made again when RecentVerdicts changes. */
  private runMessages: RunMessage[] = [];
  private runVersion = -1;
  /** The one second a run's lines fall in, as RunSink.counted is told it. */
  private readonly second = new Float64Array(1);

  constructor(private readonly ctx: ParseContext) {
    this.records = ctx.records;
    if (this.records !== undefined) {
      this.reader = errorLogRuns.take();
      this.run = (bytes, end, limit, ascii, run) => this.recordRun(bytes, end, limit, ascii, run, this.records!);
      // A line a run stops at is decoded: its event is emitted, and its message's program made.
      this.bytes = () => false;
      return;
    }
    const take = ctx.unremarkable;
    this.bytes = take && ((bytes, start, end, no) => this.unremarkableBytes(bytes, start, end, take) || ((this.declined = no), false));
    const runs = ctx.runs;
    if (take === undefined || runs === undefined) return;
    this.reader = errorLogRuns.take();
    this.run = (bytes, end, limit, ascii, run) => this.readRun(bytes, end, limit, ascii, run, runs);
  }

  /**
   * LineParser.run: the compiled reader takes the lines unremarkableBytes and its consumer would
   * take, in the second of the stamp read last; then the run's one second is told.
   */
  private readRun(b: Buffer, end: number, limit: number, ascii: boolean, run: LineRun, runs: RunSink): void {
    const reader = this.reader!;
    // teach() keeps a stamp only with the time WallClock read of it, which is in the range the checked context takes.
    reader.useStamp(this.stamp);
    if (this.verdicts.version !== this.runVersion) {
      this.runVersion = this.verdicts.version;
      this.runMessages = this.verdicts.list().map(({ level, bytes, verdict }) => ({ level, bytes, takes: runs.takesUnremarkable('nginx-error', verdict.kind, level, verdict.closedBy) }));
    }
    reader.useMessages(this.runMessages);
    const at = reader.run(b, run.block, run.at, end, limit, ascii);
    const taken = reader.taken;
    if (taken === 0) return;
    this.second[0] = Math.floor(this.stampTime / 1000);
    runs.counted('nginx-error', true, this.second, 1, this.stampTime);
    run.at = at;
    run.no += taken;
  }

  /**
   * LineParser.run for a consumer of records: the compiled reader writes the records of the lines
   * that unremarkableBytes would read as one of the last messages, in the second of the stamp read
   * last, by the program made of that message's first event; and hands them on in line order.
   */
  private recordRun(b: Buffer, end: number, limit: number, ascii: boolean, run: LineRun, records: RecordSink): void {
    if (this.stamp.length === 0) return;
    const reader = this.reader!;
    reader.useStamp(this.stamp, this.stampIso);
    if (this.verdicts.version !== this.runVersion) {
      this.runVersion = this.verdicts.version;
      this.runMessages = this.verdicts.list().map(({ level, bytes, programs }) => ({ level, bytes, takes: false, programs }));
    }
    reader.useMessages(this.runMessages);
    runRecords(reader, b, end, limit, ascii, run, records);
  }

  line(text: string, no: number): void {
    if (text.length === 0) return;
    const head = headOf(text, this.clock);
    if (head === undefined) {
      this.ctx.problem(no, 'not an nginx error log line (expected "YYYY/MM/DD HH:MM:SS [level] pid#tid: …")');
      return;
    }
    const { time, level, pid } = head;
    let rest = text.slice(head.messageAt);
    let connId: string | undefined;
    if (rest.charCodeAt(0) === 42 /* * */) {
      const space = rest.indexOf(' ');
      connId = rest.slice(1, space < 0 ? undefined : space);
      rest = space < 0 ? '' : rest.slice(space + 1);
    }
    const split = contextStart(rest);
    const message = split < 0 ? rest : rest.slice(0, split);
    const verdict =
      level === 'debug' ? this.debugVerdict(message, connId) : classifyNginxLine({ message, level, resolver: split >= 0 && rest.startsWith(', resolver: ', split) });
    // The bulk of a busy log (idle keep-alive closes, notices) names no request: a consumer that
    // only counts such lines takes them here, before any event is built.
    if (split < 0 && this.ctx.unremarkable !== undefined) {
      if (no === this.declined) this.teach(text, time, level, message, verdict);
      const fields = this.unremarkableFields;
      fields.kind = verdict.kind;
      fields.level = level;
      fields.closedBy = verdict.closedBy;
      fields.time = time;
      fields.zoneless = time !== null;
      if (this.ctx.unremarkable(fields)) return;
    }
    const event = newEvent(this.ctx, no, text, { source: 'nginx-error', kind: verdict.kind, time, timeQuality: time === null ? 'none' : 'inferred' });
    if (time !== null) event.zoneless = true;
    event.level = level;
    event.message = message;
    if (pid !== undefined) event.pid = pid;
    if (connId) event.connId = connId;
    if (verdict.closedBy) event.closedBy = verdict.closedBy;
    const phase = level === 'debug' ? undefined : phaseOf(message);
    if (phase) event.phase = phase;
    const errno = errnoIn(message);
    if (errno) setErrno(event, errno, verdict.message?.rcode === true);
    if (split >= 0) requestFields(event, rest.slice(split));
    if (this.records !== undefined && split < 0 && level !== 'debug') this.learnRecord(text, time, level, message, verdict, connId !== undefined && connId !== '', event);
    this.ctx.emit(event);
  }

  /**
   * What record runs learn from a line read the string way: its stamp, and the program of its
   * message's lines (its event, but for what the reader finds in each line), unless a field of
   * the event is out of range (the checked context would drop it, with a problem a line).
   */
  private learnRecord(text: string, time: number | null, level: string, message: string, verdict: Readonly<NginxVerdict>, withConnection: boolean, event: ConnectionEvent): void {
    if (!this.learnStamp(text, time)) return;
    this.verdicts.rememberProgram(level, message, verdict, withConnection, () => (allInRange(event) ? this.records!.program(event, LINE_FIELDS, true) : undefined));
  }

  end(): void {
    this.idleKeepalive.clear();
    if (this.reader) errorLogRuns.give(this.reader);
    this.reader = undefined;
  }

  /** What the byte path learns from a line read the string way: its stamp's time, and its message's verdict. */
  private teach(text: string, time: number | null, level: string, message: string, verdict: Readonly<NginxVerdict>): void {
    this.learnStamp(text, time);
    if (level !== 'debug') this.verdicts.remember(level, message, verdict);
  }

  /** Keeps the line's stamp for the byte path, where it is a whole line's; false where it is not. */
  private learnStamp(text: string, time: number | null): boolean {
    if (time === null || text.charCodeAt(STAMP_BYTES) !== 32 || text.charCodeAt(STAMP_BYTES + 1) !== 91 /* [ */) return false;
    this.stamp = Buffer.from(text.slice(0, STAMP_BYTES), 'utf8');
    this.stampTime = time;
    if (this.records !== undefined) this.stampIso = new Date(time).toISOString();
    return true;
  }

  /**
   * The string way's fast path on bytes, for the bulk of a busy log: a whole line, not at debug level
   * (whose verdicts keep state), naming no request (no ", " after the head), in a second whose stamp
   * and with a message (at its level) the string way read last. Declines (the line is then decoded)
   * anything else, and every line the consumer does not count.
   */
  private unremarkableBytes(b: Buffer, start: number, end: number, take: NonNullable<ParseContext['unremarkable']>): boolean {
    const stamp = this.stamp;
    const at = start + STAMP_BYTES + 1;
    if (stamp.length === 0 || at >= end || b[at - 1] !== 32 || b[at] !== 91 /* [ */ || !sameBytes(b, start, stamp)) return false;
    // levelAndPid's reading of `[level] pid#tid: `.
    const levelEnd = nearPairAt(b, 93 /* ] */, 32, at, end);
    const level = levelEnd === end ? undefined : levelInBytes(b, at + 1, levelEnd);
    if (level === undefined || level === 'debug') return false;
    const hash = nearByteAt(b, 35 /* # */, levelEnd, end);
    const pidEnd = nearPairAt(b, 58 /* : */, 32, levelEnd, end);
    if (hash === end || pidEnd === end || hash > pidEnd) return false;
    let messageAt = pidEnd + 2;
    if (b[messageAt] === 42 /* * */ && messageAt < end) {
      const space = nearByteAt(b, 32, messageAt, end);
      messageAt = space === end ? end : space + 1;
    }
    // ", " would start a context naming the request: the string way reads it.
    if (this.commas.pairWithin(b, 32, messageAt, end) !== end) return false;
    const verdict = this.verdicts.find(level, b, messageAt, end);
    if (verdict === undefined) return false;
    const fields = this.unremarkableFields;
    fields.kind = verdict.kind;
    fields.level = level;
    fields.closedBy = verdict.closedBy;
    fields.time = this.stampTime;
    fields.zoneless = true;
    return take(fields);
  }

  /** Debug lines are the bulk of a debug log: two substring checks, no regex. */
  private debugVerdict(message: string, connId: string | undefined): Readonly<NginxVerdict> {
    if (connId === undefined) return OTHER;
    // Its own copy: a slice of the line would keep the line's whole chunk for as long as the connection idles.
    if (message === KEEPALIVE_HANDLER_SET) this.idleKeepalive.add(detach(connId));
    else if (message.startsWith('close http connection')) {
      if (this.idleKeepalive.delete(connId)) return SERVER_KEEPALIVE_CLOSED;
    } else if (message.startsWith('http process request line') || message.startsWith('http wait request handler')) {
      // A keep-alive connection that reads a new request is no longer idle.
      this.idleKeepalive.delete(connId);
    }
    return OTHER;
  }
}

const LINE_START = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[(?:debug|info|notice|warn|error|crit|alert|emerg)\] \d+#\d+: /;

export const nginxErrorFormat: FormatParser = {
  source: 'nginx-error',
  title: 'nginx error log',
  statefulAfter: [KEEPALIVE_HANDLER_SET],
  detect(firstLines, fileName) {
    const lines = firstLines.filter((l) => l.length > 0);
    const hits = lines.filter((l) => LINE_START.test(l)).length;
    if (hits > 0) return Math.min(1, 0.3 + (0.65 * hits) / lines.length + (/error/i.test(fileName) ? 0.05 : 0));
    // Pasted lines: without the date, or nginx's message alone; never as sure as whole lines.
    const clock = new WallClock();
    const pasted = lines.filter((l) => headOf(l, clock) !== undefined).length;
    return pasted === 0 ? 0 : Math.min(0.75, 0.3 + (0.4 * pasted) / lines.length + (/nginx|error/i.test(fileName) ? 0.05 : 0));
  },
  create: (ctx) => new NginxErrorParser(ctx),
  examples: [
    {
      lines: ['[error] 1046#1046: *2094 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 192.168.17.1, server: localhost, request: "GET /update HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "192.168.17.128"'],
      expect: { kind: 'upstream-timeout', time: null, timeQuality: 'none', connId: '2094', pid: 1046, method: 'GET', path: '/update', clientAddr: '192.168.17.1' },
      origin: 'pasted without its date in a public report (fossar/selfoss issue: fastcgi upstream timed out); test/realworld/nginx-fastcgi-timeout-selfoss-update',
    },
    {
      lines: ['client prematurely closed connection (104: Connection reset by peer) while processing frames, client: IP-Address, server: localhost, request: "GET /gtg/gtg/video-1200.mp4/fragment-385-f1-v1.m4s HTTP/1.1", host: "IP-Address:port"'],
      expect: { kind: 'client-closed', time: null, errnoName: 'ECONNRESET', path: '/gtg/gtg/video-1200.mp4/fragment-385-f1-v1.m4s' },
      origin: "nginx's message alone, as pasted in a public report (kaltura/nginx-vod-module issue); test/realworld/nginx-vod-client-prematurely-closed-104",
    },
    {
      lines: ['2026/11/24 21:58:40 [error] 3425#3425: *1 recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 127.0.0.1, server: localhost, request: "GET /api/reset HTTP/1.1", upstream: "http://127.0.0.1:19001/api/reset", host: "127.0.0.1:18080"'],
      expect: { kind: 'upstream-reset', errnoName: 'ECONNRESET', connId: '1', pid: 3425, method: 'GET', path: '/api/reset', host: '127.0.0.1', port: 18080, upstream: 'http://127.0.0.1:19001/api/reset', zoneless: true },
      origin: 'nginx 1.22.1 on 127.0.0.1 with a socket upstream (local run)',
    },
    {
      lines: ['2026/11/24 21:58:40 [error] 3425#3425: *1 upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1, server: localhost, request: "GET /api/close HTTP/1.1", upstream: "http://127.0.0.1:19002/api/close", host: "127.0.0.1:18080"'],
      expect: { kind: 'upstream-premature-close', path: '/api/close' },
      origin: 'nginx 1.22.1 on 127.0.0.1 with a socket upstream (local run)',
    },
    {
      lines: ['2026/11/24 21:58:41 [error] 3425#3425: *1 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 127.0.0.1, server: localhost, request: "GET /api/slow HTTP/1.1", upstream: "http://127.0.0.1:19003/api/slow", host: "127.0.0.1:18080"'],
      expect: { kind: 'upstream-timeout', errno: 110 },
      origin: 'nginx 1.22.1 on 127.0.0.1 with a socket upstream (local run)',
    },
    {
      lines: ['2026/11/24 21:58:41 [error] 3425#3425: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: localhost, request: "GET /api/refused HTTP/1.1", upstream: "http://127.0.0.1:19999/api/refused", host: "127.0.0.1:18080"'],
      expect: { kind: 'upstream-refused', errnoName: 'ECONNREFUSED' },
      origin: 'nginx 1.22.1 on 127.0.0.1 with a socket upstream (local run)',
    },
    {
      lines: ['2026/11/24 21:58:41 [error] 3425#3425: *1 limiting requests, excess: 0.998 by zone "api", client: 127.0.0.1, server: localhost, request: "GET /api/limited HTTP/1.1", host: "127.0.0.1:18080"'],
      expect: { kind: 'rate-limited', clientAddr: '127.0.0.1' },
      origin: 'nginx 1.22.1 on 127.0.0.1 with a socket upstream (local run)',
    },
    {
      lines: ['2026/11/24 21:58:41 [error] 3425#3425: *1 client intended to send too large body: 5000 bytes, client: 127.0.0.1, server: localhost, request: "POST /api/upload HTTP/1.1", host: "127.0.0.1:18080"'],
      expect: { kind: 'body-too-large', method: 'POST' },
      origin: 'nginx 1.22.1 on 127.0.0.1 with a socket upstream (local run)',
    },
    {
      lines: ['2026/11/24 21:58:44 [info] 3425#3425: *12 epoll_wait() reported that client prematurely closed connection, so upstream connection is closed too while sending request to upstream, client: 127.0.0.1, server: localhost, request: "GET /api/slow HTTP/1.1", upstream: "http://127.0.0.1:19003/api/slow", host: "127.0.0.1:18080"'],
      expect: { kind: 'client-closed', closedBy: 'client' },
      origin: 'nginx 1.22.1 on 127.0.0.1 with a socket upstream (local run)',
    },
    {
      lines: ['2026/11/24 21:59:12 [info] 3425#3425: *59 client timed out (110: Connection timed out) while reading client request headers, client: 127.0.0.1, server: localhost, request: "GET /api/items HTTP/1.1"'],
      expect: { kind: 'client-timeout' },
      origin: 'nginx 1.22.1 on 127.0.0.1 with a socket upstream (local run)',
    },
    {
      lines: ['2026/11/24 21:59:10 [info] 3425#3425: *55 client 127.0.0.1 closed keepalive connection'],
      expect: { kind: 'keepalive-closed', closedBy: 'client' },
      origin: 'nginx 1.22.1 on 127.0.0.1 with a socket upstream (local run)',
    },
    {
      lines: ['2019/10/23 15:40:34 [info] 65194#3586531: *1 kevent() reported that client 127.0.0.1 closed keepalive connection'],
      expect: { kind: 'keepalive-closed', pid: 65194 },
      origin: 'nginx on macOS (kqueue), from an OpenResty tutorial',
    },
    {
      lines: ['2026/11/24 21:59:14 [notice] 3422#3422: signal 1 (SIGHUP) received from 4979, reconfiguring'],
      expect: { kind: 'reload' },
      origin: 'nginx 1.22.1 `nginx -s reload` (local run)',
    },
    {
      lines: ['2026/11/24 21:59:14 [notice] 3425#3425: gracefully shutting down'],
      expect: { kind: 'reload' },
      origin: 'nginx 1.22.1 `nginx -s reload` (local run)',
    },
    {
      lines: ['2026/11/24 21:59:15 [alert] 3422#3422: worker process 4980 exited on signal 9'],
      expect: { kind: 'worker-crash', level: 'alert' },
      origin: 'nginx 1.22.1, worker killed with SIGKILL (local run)',
    },
    {
      lines: ['2018/03/04 22:39:30 [error] 19106#19106: *20638423165 upstream prematurely closed connection while reading response header from upstream, client.....'],
      expect: { kind: 'upstream-premature-close', closedBy: 'server', phase: 'reading response header from upstream', connId: '20638423165' },
      origin: 'jetty/jetty.project issue #2306, the context elided as posted (write-ups quote the same shape: "upstream sent too big header while reading response header from upstream, client...")',
    },
    {
      lines: ['2016/04/21 06:22:23 [error] 5901#0: *117347 upstream sent too big header while reading response header from upstream, client: 10.0.0.5, server: webcompat.com, request: "POST /issues/new HTTP/1.1", upstream: "uwsgi://unix:///tmp/uwsgi.sock:", host: "webcompat.com"'],
      expect: { kind: 'upstream-bad-response', phase: 'reading response header from upstream', method: 'POST', path: '/issues/new' },
      origin: 'https://github.com/webcompat/webcompat.com/issues/1009 (client address redacted there)',
    },
    {
      lines: ['2024/03/11 19:29:10 [error] 739770#739770: *1 peer closed connection in SSL handshake (104: Connection reset by peer) while SSL handshaking to upstream, client: 114.253.241.201, server: myapp3.tainengchong.com, request: "GET / HTTP/2.0", upstream: "https://172.16.0.203:443/", host: "myapp3.tainengchong.com"'],
      expect: { kind: 'upstream-tls-failed', closedBy: 'server', errnoName: 'ECONNRESET', phase: 'SSL handshaking to upstream' },
      origin: 'https://github.com/cilium/cilium/issues/31330',
    },
    {
      lines: ['2016/11/20 14:16:25 [info] 19#0: *2 peer closed connection in SSL handshake (104: Connection reset by peer) while SSL handshaking, client: 10.128.38.160, server: 0.0.0.0:443'],
      expect: { kind: 'tls-handshake-failed', closedBy: 'client', clientAddr: '10.128.38.160' },
      origin: 'https://github.com/nginx-clojure/nginx-clojure/issues/144',
    },
    {
      lines: ['2018/01/26 15:28:01 [crit] 32428#32428: *26 connect() to unix:/tmp/netdata.sock failed (2: No such file or directory) while connecting to upstream, client: 127.0.0.1, server: example.com, request: "GET /status?full&json HTTP/1.1", upstream: "http://unix:/tmp/netdata.sock:/status?full&json", host: "127.0.0.1"'],
      expect: { kind: 'upstream-refused', errno: 2, errnoName: 'ENOENT', level: 'crit', upstream: 'http://unix:/tmp/netdata.sock:/status?full&json' },
      origin: 'https://github.com/netdata/netdata/issues/3347',
    },
    {
      lines: ['2023/03/28 12:22:50 [error] 28#28: *1 connect() failed (113: No route to host) while connecting to upstream, client: 39.189.44.242, server: , request: "GET / HTTP/1.1", upstream: "http://172.27.0.7:3000/", host: "152.136.132.109:4488"'],
      expect: { kind: 'upstream-unreachable', errnoName: 'EHOSTUNREACH', port: 4488 },
      origin: 'https://github.com/vicalloy/outline-docker-compose/issues/53',
    },
    {
      lines: ['2020/06/01 08:53:59 [error] 32197#32197: *6552 connect() to [2606:4700:3030::681c:31a]:8080 failed (101: Network is unreachable) while connecting to upstream, client: 96.75.63.10, server: localhost, request: "GET /wp/wp-content/uploads/2015/03/itunes_image.jpg HTTP/1.1", upstream: "http://[2606:4700:3030::681c:31a]:8080/wp/wp-content/uploads/2015/03/itunes_image.jpg", host: "www.yuppiejunk.com"'],
      expect: { kind: 'upstream-unreachable', errnoName: 'ENETUNREACH', connId: '6552' },
      origin: 'https://github.com/engintron/engintron/issues/1198',
    },
    {
      lines: ['2024/05/21 04:43:58 [error] 26#26: recv() failed (111: Connection refused) while resolving, resolver: 127.0.0.1:53'],
      expect: { kind: 'resolver-failed', errnoName: 'ECONNREFUSED', phase: 'resolving' },
      origin: 'https://github.com/Budibase/budibase/issues/13730 (read as a client close before)',
    },
    {
      lines: ['2025/08/10 12:56:30 [error] 21784#2988: WSARecv() failed (10054: An existing connection was forcibly closed by the remote host) while resolving, resolver: [::1]:53'],
      expect: { kind: 'resolver-failed', errno: 10054, errnoName: 'ECONNRESET' },
      origin: 'nginx on Windows, https://github.com/nginx/nginx/issues/835',
    },
    {
      lines: ['2016/10/05 19:32:15 [error] 914385#914385: *50805 localhost could not be resolved (3: Host not found), client: 127.0.0.1, server: localhost, request: "GET / HTTP/1.1", host: "localhost"'],
      expect: { kind: 'resolver-failed', errnoName: 'NXDOMAIN', path: '/' },
      origin: 'https://github.com/engintron/engintron/issues/288',
    },
    {
      lines: ['2020/12/30 11:13:35 [error] 71#71: *3 no resolver defined to resolve xxx.xxx.aliyuncs.com, client: 10.42.5.0, server: nginx.fs.imagedz.com, request: "GET /sit-imagedt-shelf/01/01003fe8a1b79421798b52eb92e4a392.jpg HTTP/1.1", host: "xxx.xxx.xxx.com"'],
      expect: { kind: 'resolver-failed', clientAddr: '10.42.5.0' },
      origin: 'https://github.com/bitnami/bitnami-docker-nginx/issues/151',
    },
    {
      lines: ['2024/04/08 19:37:22 [info] 6652#12568: *4 client prematurely closed connection, so upstream connection is closed too while connecting to upstream, client: 127.0.0.1, server: localhost, request: "GET / HTTP/1.1", upstream: "http://backend_server/", host: "127.0.0.1"'],
      expect: { kind: 'client-closed', closedBy: 'client', phase: 'connecting to upstream', pid: 6652 },
      origin: 'nginx 1.24.0 on Windows, https://github.com/RekGRpth/ngx_http_upstream_queue_module/issues/2',
    },
    {
      lines: ['2026/11/24 21:59:14 [notice] 3422#3422: start worker processes'],
      expect: null,
      origin: 'nginx 1.22.1 start (local run): opens, closes nothing',
    },
    {
      lines: ['2022/05/24 13:18:37 [error] 21314#21314: client request body is buffered.'],
      expect: null,
      origin: 'an nginx log in a Go log-stats test fixture (public repository)',
    },
  ],
};
