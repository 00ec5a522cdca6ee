/**
 * pytest console output. Each failed test's section, and each INTERNALERROR block (also when a paste
 * flattened it onto one line), is folded into ONE event at the line of its decisive exception.
 * The short test summary only adds events for tests that had no section (`--tb=no`) and fills in
 * node ids; a failure seen in both is one event. Lines have no time of their own: the CI prefix's,
 * else the last live-log record's (zone-less), is used.
 */
import type { ConnectionEvent } from '../model/event.js';
import type { FormatParser, LineParser, ParseContext } from './parser.js';
import { newEvent } from './parser.js';
import { createClientParser } from './client-failures.js';
import { exceptionClass, readException, readExceptionChain } from './python-exception.js';
import { isDigit, isLetter, WallClock } from './timestamps.js';
import { detach } from '../read/detach.js';
import { nearByteAt, nearWordAt, sameBytes } from './line-bytes.js';
import { PYTEST_MODE, pytestRuns, type PytestRun } from './pytest-run.js';
import type { LineRun } from '../read/lines.js';

const INTERNAL = 'INTERNALERROR>';
const BANNER = /^={3,} (.+?) ={3,}$/;
const SECTION_HEADER = /^_{3,} (.+?) _{3,}$/;
const SUB_HEADER = /^-{3,} (.+?) -{3,}$/;
const SUMMARY_LINE = /^(?:FAILED|ERROR) (\S+::\S+?)(?: - (.*))?$/;
const SHORT_SESSION_MS = 10_000;
/** `pytest -v` prints each test's outcome as it finishes: "tests/t.py::test_x FAILED   [ 12%]". */
// The file part holds no ':', so it ends at the first ".py::" (\S+ tried each of many, quadratically).
const PROGRESS_LINE = /^([^\s:]+\.py::\S+) (?:FAILED|ERROR)\b/;
// "tests/test_api.py:8: in test_x", "/lib/socket.py:706: ConnectionResetError", "x.py:3: Error: msg"
const LOCATION = /^(\S+?\.py):\d+: ?(.*)$/;
// What line() looks for, as bytes (bytes()).
const FAILED_WORD = Buffer.from('FAILED');
const ERROR_WORD = Buffer.from('ERROR');
const HTTP_WORD = Buffer.from('HTTP/');
const URL_ARGUMENT = Buffer.from("url = '");
const REQUEST_ARGUMENT = Buffer.from("<Request('");
const SCHEME = Buffer.from('://');
const FINAL_STATS = /\b(?:passed|failed|error|errors|skipped|no tests ran)\b.* in [\d.]+s/;

interface Candidate {
  text: string;
  no: number;
  prefixTime: number | undefined;
}

interface Section {
  /** The header's name: "test_x", "TestClass.test_x", "test_x[param]" ("ERROR at setup of" removed). */
  name: string;
  no: number;
  prefixTime: number | undefined;
  /** The test's own file: the first relative path among the location lines. */
  testFile?: string;
  candidates: Candidate[];
  /** Past "Captured log call" etc.: printed output, not the traceback. */
  captured: boolean;
  /** The request, from the arguments --tb=long shows of requests' and urllib3's frames. */
  request?: { method: string; url: string };
  /** An HTTP error status an assertion was about (`where 413 = <Response [413]>.status_code`). */
  assertedStatus?: number;
  /** The last response urllib3 logged in the captured log: the request whose body was cut, for an incomplete read. */
  lastResponse?: { method: string; url: string };
  /** Location lines seen so far: the test's own frame is quoted before the first (long) or right after it (short). */
  locations: number;
  /** The request the test's own source line makes with a literal URL (`requests.get('http://…')`). */
  call?: { method: string; url: string };
}

// `requests.get('http://h:p/x')`, `session.post("https://…")`, `client.request("PUT", "http://…")`: literal URLs only.
const CALL = /\.(get|post|put|patch|delete|head|options)\(\s*(['"])(https?:\/\/[^'"\s{}]+)\2|\.request\(\s*(['"])([A-Za-z]+)\4\s*,\s*(['"])(https?:\/\/[^'"\s{}]+)\6/;

/** The request a quoted source line makes, when it names its URL literally. */
function callIn(text: string): { method: string; url: string } | undefined {
  if (!text.includes('://')) return undefined;
  const m = CALL.exec(text);
  if (!m) return undefined;
  return m[1] ? { method: m[1].toUpperCase(), url: m[3]! } : { method: m[5]!.toUpperCase(), url: m[7]! };
}

/** pytest's assertion rewriting names the response it compared: requests' `<Response [413]>`, httpx's `<Response [413 Request Entity Too Large]>`. */
const ASSERTED_STATUS = /\bwhere (\d{3}) = <Response \[\1\b/;

/**
 * A client library's debug line for a response: urllib3's `http://127.0.0.1:8080 "GET /api/x HTTP/1.1" 200 None`,
 * httpx's `HTTP Request: GET http://127.0.0.1:8080/api/x "HTTP/1.1 200 OK"`.
 */
const CLIENT_RESPONSE = /(https?:\/\/[^\s"/]{1,300}) "([A-Z]{3,7}) (\/[^\s"]{0,2048}) HTTP\/[\d.]{1,3}" \d{3} |HTTP Request: ([A-Z]{3,7}) (https?:\/\/[^\s"]{1,2048}) "HTTP\/[\d.]{1,3} \d{3}/;

/**
 * A frame's arguments naming the request: requests' and urllib3's
 * `self = <…Session object at 0x…>, method = 'GET', url = 'http://127.0.0.1:8080/api/x'`, httpx's
 * `request = <Request('GET', 'http://127.0.0.1:8080/api/x')>`.
 */
const REQUEST_ARGUMENTS = /\bmethod = '([A-Z]{3,7})', url = '([^'\s]{1,2048})'|<Request\('([A-Z]{3,7})', '([^'\s]{1,2048})'\)>/;

function fillMissing(event: ConnectionEvent, fields: Pick<ConnectionEvent, 'method' | 'path' | 'host' | 'port'>): void {
  for (const key of ['method', 'path', 'host', 'port'] as const) if (event[key] === undefined && fields[key] !== undefined) (event as unknown as Record<string, unknown>)[key] = fields[key];
}

/** The request's fields from a frame's url: an absolute one (requests' frames) names host and port too. */
function requestFields(request: { method: string; url: string }): Pick<ConnectionEvent, 'method' | 'path' | 'host' | 'port'> {
  if (request.url.startsWith('/')) return { method: request.method, path: request.url };
  try {
    const url = new URL(request.url);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return { method: request.method, path: url.pathname + url.search, host: url.hostname, port };
  } catch {
    return { method: request.method };
  }
}

/** "tests/t.py::TestC::test_x[a::b]" → "TestC.test_x[a::b]", the way section headers name it. */
function headerName(nodeId: string): string {
  const bracket = nodeId.indexOf('[');
  const head = bracket < 0 ? nodeId : nodeId.slice(0, bracket);
  return head.split('::').slice(1).join('.') + (bracket < 0 ? '' : nodeId.slice(bracket));
}

/** What line() makes of a traceback's line at column 0 that names no request (core/pytest.ts reads lines the same way). */
const TRACEBACK_LINE = { declined: 0, inert: 1, location: 2 } as const;
type TracebackLine = (typeof TRACEBACK_LINE)[keyof typeof TRACEBACK_LINE];

/**
 * A line of printable ASCII starting with a word followed by a space (`Traceback (most recent call
 * last):`, `During handling of …`) is no exception line and no location: inert. One starting with
 * '/' is no location (inert), or one of an absolute path, which names no test file, and with `in …`
 * after it no exception: line() only counts it. Anything else is declined: line() reads it.
 */
function tracebackLine(b: Buffer, start: number, end: number): TracebackLine {
  for (let i = start; i < end; i++) if (b[i]! < 32 || b[i]! > 126) return TRACEBACK_LINE.declined;
  const first = b[start]!;
  if (first === 47 /* / */) {
    const tail = locationTail(b, start, end);
    if (tail < 0) return TRACEBACK_LINE.inert;
    return tail + 3 <= end && b[tail] === 105 && b[tail + 1] === 110 && b[tail + 2] === 32 ? TRACEBACK_LINE.location : TRACEBACK_LINE.declined;
  }
  if (!isLetter(first)) return TRACEBACK_LINE.declined;
  let at = start + 1;
  while (at < end && (isLetter(b[at]!) || isDigit(b[at]!) || b[at] === 95 || b[at] === 46)) at++;
  return at < end && b[at] === 32 ? TRACEBACK_LINE.inert : TRACEBACK_LINE.declined;
}

/** Where LOCATION's tail starts on a line of printable ASCII, or -1 where LOCATION does not match it. */
function locationTail(b: Buffer, start: number, end: number): number {
  // The shortest run of non-spaces ending in ".py" followed by ":", digits and ":".
  for (let i = start + 1; i + 3 < end; i++) {
    if (b[i] === 32) return -1;
    if (b[i] !== 46 || b[i + 1] !== 112 || b[i + 2] !== 121 || b[i + 3] !== 58) continue;
    let d = i + 4;
    while (d < end && isDigit(b[d]!)) d++;
    if (d === i + 4 || d >= end || b[d] !== 58) continue;
    return d + 1 < end && b[d + 1] === 32 ? d + 2 : d + 1;
  }
  return -1;
}

function isRelativePath(path: string): boolean {
  return !path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path);
}

class PytestParser implements LineParser {
  private section: Section | undefined;
  private internal: Candidate[] = [];
  /** Section events held until the summary can name their node id, or the session ends. */
  private pending: ConnectionEvent[] = [];
  /** The first held event of each section name: a summary line names its test (one lookup, not a search of thousands). */
  private pendingByName = new Map<string, ConnectionEvent>();
  private lastLiveTime: number | undefined;
  private readonly clock = new WallClock();
  /** When the session started: a section printed soon after it dates its failure closely enough. */
  private sessionStartedAt: number | undefined;
  /** When each failed test finished, from `-v` progress lines: the failure's own time. */
  private finishedAt = new Map<string, { time: number; zoneless: boolean }>();
  /** A CI console runs other steps beside pytest: their curl errors are read by the client parser. */
  private otherSteps: LineParser | undefined;
  /** The compiled reader of the lines bytes() passes over (pytest-run.ts), taken at the first run. */
  private reader: PytestRun | undefined;

  constructor(private readonly ctx: ParseContext) {}

  line(text: string, no: number, prefixTime: number | undefined): void {
    if (text.startsWith(INTERNAL)) {
      this.closeSection();
      if (text.indexOf(INTERNAL, INTERNAL.length) > 0) {
        this.flushInternal();
        for (const piece of text.split(INTERNAL).slice(1)) this.internal.push({ text: unprefixed(piece), no, prefixTime });
        this.flushInternal();
      } else {
        this.internal.push({ text: unprefixed(text.slice(INTERNAL.length)), no, prefixTime });
      }
      return;
    }
    if (this.internal.length > 0) this.flushInternal();
    if (this.section === undefined && text.startsWith('curl: (')) return (this.otherSteps ??= createClientParser(this.ctx, { generic: false })).line(text, no, prefixTime);
    const first = text.charCodeAt(0);
    if (first >= 48 && first <= 57) {
      // A live-log record ("2026-11-24 06:40:01 [ INFO] ...") lends its time to what follows.
      const t = this.clock.at(text);
      if (t !== undefined) this.lastLiveTime = t;
    }
    if (first === 61 /* = */) return this.banner(text, prefixTime);
    if (this.section === undefined && text.includes('.py::')) {
      const progress = PROGRESS_LINE.exec(text);
      const time = prefixTime ?? this.lastLiveTime;
      if (progress && time !== undefined) this.finishedAt.set(detach(progress[1]!), { time, zoneless: prefixTime === undefined });
    }
    if (first === 95 /* _ */) {
      const m = SECTION_HEADER.exec(text);
      if (m) {
        this.closeSection();
        this.section = { name: m[1]!.replace(/^ERROR at (?:setup|teardown) of /, ''), no, prefixTime, candidates: [], captured: false, locations: 0 };
        return;
      }
    }
    if ((first === 70 /* F */ || first === 69) /* E */ && (text.startsWith('FAILED ') || text.startsWith('ERROR '))) {
      const m = SUMMARY_LINE.exec(text);
      if (m) return this.summary(m[1]!, m[2], text, no, prefixTime);
    }
    const section = this.section;
    if (section === undefined) return;
    if (section.captured) {
      const response = text.includes(' HTTP/') || text.includes('"HTTP/') ? CLIENT_RESPONSE.exec(text) : null;
      if (response) section.lastResponse = response[2] ? { method: response[2], url: response[1]! + response[3]! } : { method: response[4]!, url: response[5]! };
      return;
    }
    if (first === 45 /* - */ && SUB_HEADER.test(text)) {
      section.captured = true;
      return;
    }
    if (first === 69 /* E */ && (text.length === 1 || text.charCodeAt(1) === 32)) {
      const content = text.slice(1).trimStart();
      if (content.startsWith('+') && content.includes('<Response [')) {
        const status = Number(ASSERTED_STATUS.exec(content)?.[1]);
        if (status >= 400) section.assertedStatus ??= status;
      }
      if (exceptionClass(content)) section.candidates.push({ text: content, no, prefixTime });
      return;
    }
    if (text.includes("url = '") || text.includes("<Request('")) {
      const args = REQUEST_ARGUMENTS.exec(text);
      const [method, url] = args ? [args[1] ?? args[3]!, args[2] ?? args[4]!] : [];
      // The outermost frame (requests') names the whole URL; urllib3's below it only the path.
      if (method && url && (section.request === undefined || (section.request.url.startsWith('/') && !url.startsWith('/')))) section.request = { method, url };
    }
    const location = LOCATION.exec(text);
    // --tb=long marks the test's failing line with ">" before its location; --tb=short quotes it right after.
    if (!location && section.call === undefined && (first === 62 /* > */ ? section.locations === 0 : section.locations === 1 && section.testFile !== undefined)) {
      section.call = callIn(text);
    }
    if (location) {
      section.locations++;
      if (section.testFile === undefined && isRelativePath(location[1]!)) section.testFile = location[1]!;
      // --tb=line writes the whole exception after the location; --tb=long only its short class.
      const tail = location[2]!;
      if (!tail.startsWith('in ') && exceptionClass(tail)) section.candidates.push({ text: tail, no, prefixTime });
      return;
    }
    // --tb=native prints Python's own traceback: its exception lines stand at column 0.
    if (exceptionClass(text)) section.candidates.push({ text, no, prefixTime });
  }

  /**
   * line() on bytes where it passes a line over: outside an INTERNALERROR block, a line starting with
   * none of what line() looks for at column 0, and
   * - outside a failure's section, no `-v` progress line of a failed test (its prefix's time is the failure's);
   * - in a section's captured output, no urllib3 or httpx response;
   * - in its traceback, a line naming no request that is indented (source, carets) or that
   *   tracebackLine finds inert, or a location of library code, which it counts as line() does.
   * Most of a console: the progress lines of tests that passed, and the tracebacks' frames.
   */
  bytes(b: Buffer, start: number, end: number): boolean {
    if (this.internal.length > 0) return false;
    if (start === end) return true;
    const first = b[start]!;
    // A live-log record's time, a banner, a section header, INTERNALERROR>, a summary line (and a section's exception lines).
    if ((first >= 48 && first <= 57) || first === 61 || first === 95 || first === 73 || first === 70 || first === 69) return false;
    const section = this.section;
    if (section === undefined) {
      if (first === 99 /* c: curl: ( */) return false;
      // PROGRESS_LINE's outcome follows the line's first space (its node id holds none): FAILED or ERROR there, or line() takes no note.
      const space = nearByteAt(b, 32, start, end);
      return !(b[space] === 32 && (sameBytes(b, space + 1, FAILED_WORD) || sameBytes(b, space + 1, ERROR_WORD)));
    }
    if (section.captured) return nearWordAt(b, HTTP_WORD, start, end) === end;
    if (nearWordAt(b, URL_ARGUMENT, start, end) < end || nearWordAt(b, REQUEST_ARGUMENT, start, end) < end || nearWordAt(b, SCHEME, start, end) < end) return false;
    if (first === 32) return true;
    const reading = tracebackLine(b, start, end);
    if (reading === TRACEBACK_LINE.location) section.locations++;
    return reading !== TRACEBACK_LINE.declined;
  }

  /** LineParser.run: the lines bytes() would pass over, taken in the compiled reader; they change nothing here. */
  run(b: Buffer, end: number, limit: number, ascii: boolean, run: LineRun): void {
    if (this.internal.length > 0) return;
    const section = this.section;
    const mode = section === undefined ? PYTEST_MODE.outside : section.captured ? PYTEST_MODE.captured : PYTEST_MODE.traceback;
    const reader = (this.reader ??= pytestRuns.take());
    run.at = reader.run(b, run.block, run.at, end, limit, ascii, mode);
    run.no += reader.taken;
    if (section !== undefined) section.locations += reader.locations;
  }

  end(): void {
    this.flushInternal();
    this.closeSection();
    this.flushPending();
    this.otherSteps?.end();
    if (this.reader) pytestRuns.give(this.reader);
    this.reader = undefined;
  }

  private banner(text: string, prefixTime: number | undefined): void {
    const m = BANNER.exec(text);
    if (!m) return;
    this.closeSection();
    const title = m[1]!;
    if (title === 'test session starts' || FINAL_STATS.test(title)) this.flushPending();
    if (title === 'test session starts') this.sessionStartedAt = prefixTime ?? this.lastLiveTime;
  }

  private summary(nodeId: string, message: string | undefined, text: string, no: number, prefixTime: number | undefined): void {
    this.closeSection();
    const name = headerName(nodeId);
    const held = this.pendingByName.get(name);
    if (held) {
      held.test = nodeId;
      return;
    }
    const reading = message === undefined ? undefined : readException(message);
    // Object.assign onto the new event, not a spread: on Node 20 `{ ...event, more }` costs a microsecond or more.
    this.ctx.emit(this.timedByProgress(Object.assign(this.base(no, text, prefixTime), { kind: reading?.kind ?? 'other' }, reading, { test: nodeId })));
  }

  private closeSection(): void {
    const section = this.section;
    if (section === undefined) return;
    this.section = undefined;
    const suffix = section.name.replace(/^([^[]*)/, (head) => head.replace(/\./g, '::'));
    const test = section.testFile === undefined ? section.name : `${section.testFile}::${suffix}`;
    const chain = readExceptionChain(section.candidates.map((c) => c.text));
    if (chain === undefined) {
      this.hold(section.name, Object.assign(this.base(section.no, `___ ${section.name} ___`, section.prefixTime), { kind: 'other' as const, test }));
      return;
    }
    const decisive = section.candidates[chain.decisive]!;
    const event: ConnectionEvent = Object.assign(this.base(decisive.no, decisive.text, decisive.prefixTime), chain.reading, { test });
    // A test that asserted on a response failed on its error status as surely as raise_for_status() would.
    if (event.kind === 'other' && section.assertedStatus !== undefined && event.exception === 'AssertionError') {
      event.kind = 'http-error';
      event.status = section.assertedStatus;
    }
    if (section.request !== undefined) fillMissing(event, requestFields(section.request));
    if (section.call) withCall(event, section.call);
    // A body cut short comes after its headers, which urllib3 logged: the failed request is the last it logged.
    if (event.kind === 'incomplete-read' && section.lastResponse !== undefined) fillMissing(event, requestFields(section.lastResponse));
    this.hold(section.name, event);
  }

  private hold(name: string, event: ConnectionEvent): void {
    this.pending.push(event);
    if (!this.pendingByName.has(name)) this.pendingByName.set(name, event);
  }

  private flushInternal(): void {
    if (this.internal.length === 0) return;
    const block = this.internal;
    this.internal = [];
    const chain = readExceptionChain(block.map((c) => c.text));
    const at = chain === undefined ? block[block.length - 1]! : block[chain.decisive]!;
    this.ctx.emit(Object.assign(this.base(at.no, at.text, at.prefixTime), { kind: 'other' as const }, chain?.reading, { test: 'INTERNALERROR' }));
  }

  /** At the end of a session: its failures are all printed, its tests' times no longer needed. */
  private flushPending(): void {
    for (const event of this.pending) this.ctx.emit(this.timedByProgress(event));
    this.pending = [];
    this.pendingByName.clear();
    this.finishedAt.clear();
  }

  /**
   * A failure section is printed at the end of the session: its time says only that the failure
   * came before. The test's `-v` progress line, printed as it finished, gives the failure's time.
   */
  private timedByProgress(event: ConnectionEvent): ConnectionEvent {
    const finished = event.test === undefined ? undefined : this.finishedAt.get(event.test);
    if (finished) {
      // The rest and then its fields set: the bytes of `{ ...rest, time, timeQuality, zoneless? }`, without a spread's cost.
      const { zoneless: _printed, ...rest } = event;
      const timed: ConnectionEvent = rest;
      timed.time = finished.time;
      timed.timeQuality = finished.zoneless ? 'inferred' : 'exact';
      if (finished.zoneless) timed.zoneless = true;
      return timed;
    }
    if (event.time === null) return event;
    // A session shorter than the correlation window pins the failure down anyway.
    const short = this.sessionStartedAt !== undefined && event.time - this.sessionStartedAt <= SHORT_SESSION_MS;
    if (short) return event;
    const { ...bounded } = event;
    bounded.timeIsUpperBound = true;
    return bounded;
  }

  private base(no: number, excerpt: string, prefixTime: number | undefined): Omit<ConnectionEvent, 'kind'> {
    const time = prefixTime ?? this.lastLiveTime ?? null;
    const event = newEvent(this.ctx, no, excerpt, { source: 'pytest', kind: 'other', time, timeQuality: prefixTime !== undefined ? 'exact' : time !== null ? 'inferred' : 'none' });
    if (prefixTime === undefined && time !== null) event.zoneless = true;
    return event;
  }
}

/**
 * The test's own call names the request the exception text rarely does ("Connection aborted."):
 * its method, and its URL where the exception names no other host.
 */
function withCall(event: ConnectionEvent, call: { method: string; url: string }): void {
  const fields = requestFields(call);
  if (fields.host === undefined) return;
  if (event.host !== undefined && (event.host !== fields.host || (event.port !== undefined && event.port !== fields.port))) return;
  fillMissing(event, fields);
}

/** "INTERNALERROR> " is followed by one space of its own; the rest is the traceback's indentation. */
function unprefixed(piece: string): string {
  return (piece.startsWith(' ') ? piece.slice(1) : piece).trimEnd();
}


// Lines only pytest writes; one of them among the first lines is near-certain.
const STRONG = /^(?:={3,} (?:test session starts|FAILURES|ERRORS|short test summary info) ={3,}|INTERNALERROR>|platform \S+ -- Python \S+, pytest-)/;
const WEAK = /^(?:_{3,} \S.* _{3,}|E {3}|collected \d+ items?|rootdir: |\S+\.py(?:::\S+)? (?:PASSED|FAILED|ERROR|SKIPPED)|\S+\.py [.FEsxX]+ *\[ *\d+%\]|(?:FAILED|ERROR) \S+::)/;

export const pytestFormat: FormatParser = {
  source: 'pytest',
  title: 'pytest console output',
  detect(firstLines, fileName) {
    if (firstLines.some((l) => STRONG.test(l))) return 0.95;
    const weak = firstLines.filter((l) => WEAK.test(l)).length;
    const hint = /pytest|test/i.test(fileName) ? 0.05 : 0;
    return weak === 0 ? 0 : Math.min(0.9, 0.3 + weak / Math.max(firstLines.length, 1) + hint);
  },
  create: (ctx) => new PytestParser(ctx),
  examples: [
    {
      lines: [
        "INTERNALERROR> Traceback (most recent call last): INTERNALERROR>   File \"/Users/fengjincong/.virtualenvs/EprosTest/.venv/lib/python3.9/site-packages/requests/adapters.py\", line 486, in send INTERNALERROR>     resp = conn.urlopen( INTERNALERROR> urllib3.exceptions.ProtocolError: ('Connection aborted.', ConnectionResetError(54, 'Connection reset by peer'))",
      ],
      expect: { kind: 'reset', errno: 54, errnoName: 'ECONNRESET', exception: 'urllib3.exceptions.ProtocolError', cause: 'ConnectionResetError', test: 'INTERNALERROR' },
      origin: 'a flattened INTERNALERROR paste from a user question (seed 000_1e7c7e6d4372ced5), shortened',
    },
    {
      lines: [
        '______________________________ test_direct_reset _______________________________',
        'tests/test_api.py:8: in test_direct_reset',
        "    requests.get('http://127.0.0.1:19001/api/x', timeout=5)",
        "E   requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
      ],
      expect: { kind: 'reset', line: 4, errno: 104, exception: 'requests.exceptions.ConnectionError', test: 'tests/test_api.py::test_direct_reset', method: 'GET', host: '127.0.0.1', port: 19001, path: '/api/x' },
      origin: 'pytest 9.0.3 --tb=short, requests 2.34.2 against a socket closed with SO_LINGER 0 (local run)',
    },
    {
      lines: [
        '__________________________________ test_slow ___________________________________',
        'tests/test_api.py:10: in test_slow',
        'E   requests.exceptions.HTTPError: 504 Server Error: Gateway Time-out for url: http://127.0.0.1:18080/api/slow',
      ],
      expect: { kind: 'http-error', status: 504, host: '127.0.0.1', port: 18080, path: '/api/slow' },
      origin: 'pytest 9.0.3 --tb=short, raise_for_status() behind nginx 1.22.1 proxy_read_timeout (local run)',
    },
    {
      lines: ["FAILED tests/test_api.py::TestDrop::test_drop - requests.exceptions.ConnectionError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))"],
      expect: { kind: 'remote-disconnected', test: 'tests/test_api.py::TestDrop::test_drop', cause: 'RemoteDisconnected' },
      origin: 'pytest 9.0.3 -rA --tb=no short test summary, nginx `return 444` (local run, wide terminal)',
    },
    {
      lines: ['FAILED tests/test_api.py::test_direct_reset - requests.exceptions.ConnectionE...'],
      expect: { kind: 'connection-error', exception: 'requests.exceptions.ConnectionError' },
      origin: 'pytest 9.0.3 --tb=no short test summary cut at 80 columns (local run)',
    },
    {
      lines: [
        '_________________________________ test_report __________________________________',
        '',
        '    def test_report():',
        ">       r = session.post('http://127.0.0.1:8080/api/report?dry=1', json={'n': 1})",
        '',
        'tests/test_api.py:21: ',
        '_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ ',
        '/usr/lib/python3/dist-packages/requests/sessions.py:637: in post',
        '    return self.request("POST", url, data=data, json=json, **kwargs)',
        "E   requests.exceptions.ConnectionError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
      ],
      expect: { kind: 'remote-disconnected', method: 'POST', host: '127.0.0.1', port: 8080, path: '/api/report?dry=1', test: 'tests/test_api.py::test_report' },
      origin: 'pytest --tb=long (the default "auto" for the test\'s own frame): the ">" line quotes the failing call; requests 2.x sessions.py frame',
    },
    {
      lines: ['tests/test_api.py::test_items PASSED                                     [ 16%]'],
      expect: null,
      origin: 'pytest 9.0.3 -v progress line (local run)',
    },
  ],
};
