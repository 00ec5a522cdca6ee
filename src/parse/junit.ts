/**
 * JUnit XML reports (pytest --junitxml, Surefire, Gradle, go-junit-report): a failure or error of a
 * testcase whose message names a connection failure becomes an event with the test's id.
 *
 * Streamed: tags are read per line with one regex, so pytest's single-line document and pretty-
 * printed ones both work without a DOM. Time = suite timestamp + durations of the testcases before
 * this one + its own (when the failure surfaced). pytest writes the timestamp without a zone.
 */
import type { ConnectionEvent } from '../model/event.js';
import { addHopFacts, addressesIn, classifyFailure, errnoInText } from './failure-text.js';
import { readException, type ExceptionReading } from './python-exception.js';
import type { FormatParser, LineParser, ParseContext } from './parser.js';
import { newEvent } from './parser.js';
import { isoStampAt } from './syslog-prefix.js';

/** A test case's time beyond a week is no duration (a hostile `1e308` once became the join's loop bound). */
const MAX_TESTCASE_SECONDS = 7 * 24 * 3600;

// XML allows no '<' inside a tag: stopping there keeps a run of unclosed tags linear.
const TAG = /<(testsuite|testcase|failure|error)\b([^<>]*?)(\/?)>/g;
// Starts only where a name starts: from inside a long word it backtracked quadratically.
const ATTR = /(?<![\w:-])([\w:-]+)="([^"]*)"/g;

function attrs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(ATTR)) out[m[1]!] = unescapeXml(m[2]!);
  return out;
}

export function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#(\d+)|#x([0-9a-fA-F]+)|(quot|apos|lt|gt|amp));/g, (_, dec: string, hex: string, name: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return { quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' }[name as 'quot']!;
  });
}

/** pytest's classname "tests.test_api" (or "tests.test_api.TestX") + name → "tests/test_api.py::test_x". */
export function junitTestId(classname: string | undefined, name: string | undefined, pytest: boolean): string | undefined {
  if (!name) return classname;
  if (!classname) return name;
  if (!pytest) return `${classname}.${name}`;
  const parts = classname.split('.');
  const classes: string[] = [];
  while (parts.length > 1 && /^[A-Z]/.test(parts[parts.length - 1]!)) classes.unshift(parts.pop()!);
  return [`${parts.join('/')}.py`, ...classes, name].join('::');
}

/** A one-line Python exception naming a failure, as pytest reads it (`requests.exceptions.HTTPError: 502 Server Error: …`). */
function pythonFailure(message: string): ExceptionReading | undefined {
  const python = message.includes('\n') ? undefined : readException(message);
  return python && python.kind !== 'other' ? python : undefined;
}

/**
 * The failing request and the hop the message names: a Python exception line is read as pytest
 * reads it (python-exception.ts); any other client's text by the shared failure-text readers.
 */
function withRequest(event: ConnectionEvent, message: string): ConnectionEvent {
  const python = pythonFailure(message);
  if (python) {
    const { exception: _class, kind: _kind, ...fields } = python;
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) (event as unknown as Record<string, unknown>)[key] = value;
    return event;
  }
  addressesIn(message, event);
  addHopFacts(event.kind, message, event);
  return event;
}

export function createJunitParser(ctx: ParseContext): LineParser {
  let suiteStart: { time: number; zoneless: boolean } | undefined;
  let pytest = false;
  let elapsedMs = 0;
  let current: { test?: string; endMs: number } | undefined;
  let reported = false;
  return {
    line(text, no) {
      if (text.indexOf('<') === -1) return;
      TAG.lastIndex = 0;
      for (const m of text.matchAll(TAG)) {
        const [, tag, attrText] = m;
        const a = attrs(attrText!);
        if (tag === 'testsuite') {
          const stamp = a['timestamp'] ? isoStampAt(a['timestamp'], 0) : undefined;
          suiteStart = stamp ? { time: stamp.time, zoneless: stamp.zoneless } : undefined;
          pytest = a['name'] === 'pytest';
          elapsedMs = 0;
        } else if (tag === 'testcase') {
          const seconds = a['time'] === undefined ? 0 : Number(a['time']);
          const valid = seconds >= 0 && seconds <= MAX_TESTCASE_SECONDS;
          if (!valid) ctx.problem(no, `testcase time="${a['time']!.slice(0, 40)}" is not a duration of 0 to ${MAX_TESTCASE_SECONDS} s: counted as 0`);
          elapsedMs += valid ? Math.round(seconds * 1000) : 0;
          current = { test: junitTestId(a['classname'], a['name'], pytest || (a['file'] ?? '').endsWith('.py')), endMs: elapsedMs };
          reported = false;
        } else if (current && !reported) {
          // <failure message="…" type="…"> / <error …>
          const message = a['message'] ?? '';
          const meaning = classifyFailure(`${a['type'] ?? ''} ${message}`) ?? pythonFailure(message);
          if (!meaning) continue;
          reported = true;
          const event = newEvent(ctx, no, message || text, {
            source: 'junit',
            kind: meaning.kind,
            time: suiteStart ? suiteStart.time + current.endMs : null,
            timeQuality: suiteStart ? (suiteStart.zoneless ? 'inferred' : 'exact') : 'none',
          });
          if (suiteStart?.zoneless) event.zoneless = true;
          if (current.test) event.test = current.test;
          const exc = /^([\w.]+(?:Error|Exception|Timeout|Disconnected))\b/.exec(message) ?? (a['type'] ? [a['type'], a['type']] : null);
          if (exc) event.exception = exc[1];
          const errno = errnoInText(message);
          if (errno?.errnoName) {
            event.errno = errno.errno;
            event.errnoName = errno.errnoName;
          } else if (meaning.errnoName) event.errnoName = meaning.errnoName;
          // Surefire puts the class in `type` and the text alone in `message`.
          const type = a['type'];
          ctx.emit(withRequest(event, type && !message.startsWith(type) ? `${type}: ${message}` : message));
        }
      }
    },
    end() {},
  };
}

export const JUNIT_FORMAT: FormatParser = {
  source: 'junit',
  title: 'JUnit XML report',
  detect(firstLines, fileName) {
    const head = firstLines.slice(0, 5).join('\n');
    if (/<testsuites?\b/.test(head)) return 0.95;
    if (/^<\?xml/.test(head) && /junit|TEST-/i.test(fileName)) return 0.6;
    return 0;
  },
  create: createJunitParser,
  examples: [
    {
      lines: [
        '<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="1" skipped="0" tests="3" time="5.312" timestamp="2026-11-24T06:40:01.123456" hostname="runner"><testcase classname="tests.test_api" name="test_health" time="0.004" /><testcase classname="tests.test_api" name="test_blocked_feature" time="0.410"><failure message="requests.exceptions.ConnectionError: (&apos;Connection aborted.&apos;, ConnectionResetError(104, &apos;Connection reset by peer&apos;))">self = &lt;requests.adapters.HTTPAdapter object&gt;</failure></testcase><testcase classname="tests.test_api" name="test_items" time="0.002" /></testsuite></testsuites>',
      ],
      expect: { source: 'junit', kind: 'reset', test: 'tests/test_api.py::test_blocked_feature', exception: 'requests.exceptions.ConnectionError', errnoName: 'ECONNRESET', time: Date.UTC(2026, 10, 24, 6, 40, 1, 537), zoneless: true, timeQuality: 'inferred' },
      origin: 'pytest 8/9 --junitxml (one-line document, as pytest writes it; values from samples/12-firewall-reset)',
    },
    {
      lines: [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuite name="com.example.ApiIT" time="1.2" tests="1" errors="1" skipped="0" failures="0" timestamp="2026-11-24T06:40:01">',
        '  <testcase name="fetchesItems" classname="com.example.ApiIT" time="1.2">',
        '    <error message="Connection reset" type="java.net.SocketException">java.net.SocketException: Connection reset',
        '\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:318)',
        '</error>',
        '  </testcase>',
        '</testsuite>',
      ],
      expect: { kind: 'reset', test: 'com.example.ApiIT.fetchesItems', exception: 'java.net.SocketException', line: 4 },
      origin: 'Maven Surefire TEST-*.xml shape (pretty-printed, error with type)',
    },
    {
      lines: [
        '<testsuite name="pytest" timestamp="2026-11-24T06:40:01.000000"><testcase classname="tests.test_partner" name="test_sync" time="0.2"><failure message="requests.exceptions.ProxyError: HTTPSConnectionPool(host=&apos;partner.example&apos;, port=443): Max retries exceeded with url: /sync?full=1 (Caused by ProxyError(&apos;Unable to connect to proxy&apos;, OSError(&apos;Tunnel connection failed: 403 Forbidden&apos;)))">…</failure></testcase></testsuite>',
      ],
      expect: { kind: 'proxy-error', closedBy: 'proxy', status: 403, host: 'partner.example', port: 443, path: '/sync?full=1', test: 'tests/test_partner.py::test_sync' },
      origin: 'pytest --junitxml escaping of a urllib3 2.x ProxyError message (connection.py _wrap_proxy_error + http.client "Tunnel connection failed")',
    },
    {
      lines: [
        '<testsuite name="com.example.PartnerIT" time="1.2" tests="1" errors="1" timestamp="2026-11-24T06:40:01">',
        '  <testcase name="syncs" classname="com.example.PartnerIT" time="1.2">',
        '    <error message="api.sendcloud.net:80 failed to respond" type="org.apache.http.NoHttpResponseException">org.apache.http.NoHttpResponseException: api.sendcloud.net:80 failed to respond',
      ],
      expect: { kind: 'remote-disconnected', host: 'api.sendcloud.net', port: 80, exception: 'org.apache.http.NoHttpResponseException' },
      origin: 'Maven Surefire error element (message and type attributes) for an Apache HttpClient 4.5 failure (denger/sendcloud4j issue #11)',
    },
    {
      lines: [
        '<testsuite name="pytest" errors="0" failures="1" skipped="0" tests="5" time="2.118" timestamp="2026-12-05T07:30:50.455224+00:00" hostname="vm"><testcase classname="test_catalogue" name="test_place_order" time="2.004"><failure message="requests.exceptions.HTTPError: 502 Server Error: Bad Gateway for url: http://127.0.0.1:38120/v2/orders">…</failure></testcase></testsuite>',
      ],
      expect: { kind: 'http-error', status: 502, exception: 'requests.exceptions.HTTPError', host: '127.0.0.1', port: 38120, path: '/v2/orders', test: 'test_catalogue.py::test_place_order' },
      origin: 'pytest 9 --junitxml of a requests HTTPError (nginx 502 after its upstream was killed; independent lab run): no connection word, read as pytest reads it',
    },
    {
      lines: ['<testsuite name="pytest" timestamp="2026-11-24T06:40:01.000000+00:00"><testcase classname="tests.test_x" name="test_y" time="0.1"><failure message="AssertionError: assert 1 == 2">…</failure></testcase></testsuite>'],
      expect: null,
      origin: 'a non-network failure',
    },
  ],
};
