import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pytestFormat } from '../../src/parse/pytest.js';
import { parseLines } from '../../src/parse/run-lines.js';

const parse = (lines: string[]) => parseLines(pytestFormat, lines, 'job/pytest.log');

// The seed's INTERNALERROR block (pytest on macOS, Python 3.9), as pytest wrote it before the paste
// flattened it; the middle frames are left out.
const INTERNAL_BLOCK = [
  'INTERNALERROR> Traceback (most recent call last):',
  'INTERNALERROR>   File "/Users/fengjincong/.virtualenvs/EprosTest/.venv/lib/python3.9/site-packages/requests/adapters.py", line 486, in send',
  'INTERNALERROR>     resp = conn.urlopen(',
  'INTERNALERROR>   File "/Library/Developer/CommandLineTools/Library/Frameworks/Python3.framework/Versions/3.9/lib/python3.9/socket.py", line 704, in readinto',
  'INTERNALERROR>     return self._sock.recv_into(b)',
  "INTERNALERROR> urllib3.exceptions.ProtocolError: ('Connection aborted.', ConnectionResetError(54, 'Connection reset by peer'))",
];

// pytest 9.0.3, requests 2.34.2, a socket closed with SO_LINGER 0 (local run), frames shortened.
const SECTION_LONG = [
  '=================================== FAILURES ===================================',
  '______________________________ test_direct_reset _______________________________',
  '',
  '>               return self._sock.recv_into(b)',
  'E               ConnectionResetError: [Errno 104] Connection reset by peer',
  '',
  '/root/.pyenv/versions/3.11.7/lib/python3.11/socket.py:706: ConnectionResetError',
  '',
  'During handling of the above exception, another exception occurred:',
  '',
  ">       requests.get('http://127.0.0.1:19001/api/x', timeout=5)",
  '',
  'tests/test_api.py:8: ',
  '_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ ',
  '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/requests/api.py:87: in get',
  '>           raise ConnectionError(err, request=request)',
  "E           requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
  '',
  '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/requests/adapters.py:711: ConnectionError',
  '------------------------------ Captured log call -------------------------------',
  'DEBUG    urllib3.connectionpool:connectionpool.py:241 Starting new HTTP connection (1): 127.0.0.1:19001',
  "requests.exceptions.ConnectionError: ('Connection aborted.', BrokenPipeError(32, 'Broken pipe'))",
];

describe('pytest parser', () => {
  it('folds a multi-line INTERNALERROR block into one event at its exception line', () => {
    const { events } = parse(['collected 3 items', ...INTERNAL_BLOCK, 'ok']);
    assert.equal(events.length, 1);
    const e = events[0]!;
    assert.equal(e.line, 7);
    assert.equal(e.kind, 'reset');
    assert.equal(e.errno, 54);
    assert.equal(e.errnoName, 'ECONNRESET');
    assert.equal(e.exception, 'urllib3.exceptions.ProtocolError');
    assert.equal(e.cause, 'ConnectionResetError');
    assert.equal(e.test, 'INTERNALERROR');
    assert.ok(e.excerpt.startsWith('urllib3.exceptions.ProtocolError:'));
  });

  it('reads the same block flattened onto one line', () => {
    const { events } = parse([INTERNAL_BLOCK.join(' ')]);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.kind, 'reset');
    assert.equal(events[0]!.exception, 'urllib3.exceptions.ProtocolError');
  });

  it('folds a failed-test section into one event: outermost requests class, innermost cause, node id', () => {
    const { events } = parse(SECTION_LONG);
    assert.equal(events.length, 1, JSON.stringify(events));
    const e = events[0]!;
    assert.equal(e.line, 17);
    assert.equal(e.exception, 'requests.exceptions.ConnectionError');
    assert.equal(e.cause, 'ConnectionResetError');
    assert.equal(e.kind, 'reset');
    assert.equal(e.test, 'tests/test_api.py::test_direct_reset');
    assert.equal(e.timeQuality, 'none');
    assert.equal(e.time, null);
  });

  it('makes one event of a failure seen in a section and in the short summary, with the node id from the summary', () => {
    const lines = [
      ...SECTION_LONG.slice(0, 4).map((l) => l.replace('test_direct_reset', 'TestApi.test_direct_reset')),
      'E   requests.exceptions.ConnectionError: HTTPConnectionPool(host=\'127.0.0.1\', port=8080): Max retries exceeded with url: /api/x (Caused by ProtocolError(\'Connection aborted.\', RemoteDisconnected(\'Remote end closed connection without response\')))',
      '=========================== short test summary info ============================',
      'FAILED tests/test_api.py::TestApi::test_direct_reset - requests.exceptions.ConnectionE...',
      '========================= 1 failed, 1 passed in 2.48s ==========================',
    ];
    const { events } = parse(lines);
    assert.equal(events.length, 1);
    const e = events[0]!;
    assert.equal(e.test, 'tests/test_api.py::TestApi::test_direct_reset');
    assert.equal(e.kind, 'remote-disconnected');
    assert.equal(e.host, '127.0.0.1');
    assert.equal(e.port, 8080);
    assert.equal(e.path, '/api/x');
    assert.equal(e.line, 5);
  });

  it("names each session's failures from its own summary, the first section of a name taking its summary line", () => {
    const section = (name: string, exception: string) => [`${'_'.repeat(10)} ${name} ${'_'.repeat(10)}`, `E   ${exception}`];
    const session = (n: number) => [
      '============================= test session starts ==============================',
      '=================================== FAILURES ===================================',
      // A setup error and the test's own failure: both sections are named test_x.
      ...section('ERROR at setup of test_x', `requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer')) ${n}`),
      ...section('test_x', `requests.exceptions.ReadTimeout: HTTPConnectionPool(host='127.0.0.1', port=8080): Read timed out. (read timeout=5) ${n}`),
      '=========================== short test summary info ============================',
      `FAILED tests/test_${n}.py::test_x - requests.exceptions.ConnectionError`,
      `========================= 1 failed, 1 error in ${n}.01s ==========================`,
    ];
    const { events } = parse([...session(1), ...session(2)]);
    assert.deepEqual(
      events.map((e) => [e.kind, e.test]),
      [
        ['reset', 'tests/test_1.py::test_x'],
        ['read-timeout', 'test_x'],
        ['reset', 'tests/test_2.py::test_x'],
        ['read-timeout', 'test_x'],
      ],
    );
  });

  it('takes summary lines of tests without a section (--tb=no)', () => {
    const { events } = parse([
      '=========================== short test summary info ============================',
      'PASSED tests/test_api.py::test_items',
      "FAILED tests/test_api.py::test_dns - requests.exceptions.ConnectionError: HTTPConnectionPool(host='no-such-host.invalid', port=80): Max retries exceeded with url: /x (Caused by NameResolutionError(\"<urllib3.connection.HTTPConnection object at 0x7f>: Failed to resolve 'no-such-host.invalid' ([Errno -2] Name or service not known)\"))",
      "ERROR tests/test_api.py::test_temp - requests.exceptions.ConnectionError: HTTPSConnectionPool(host='pypi.org', port=443): Max retries exceeded with url: / (Caused by NameResolutionError(\"<urllib3.connection.HTTPSConnection object at 0x7f>: Failed to resolve 'pypi.org' ([Errno -3] Temporary failure in name resolution)\"))",
    ]);
    assert.deepEqual(events.map((e) => [e.test, e.kind, e.errnoName, e.cause]), [
      ['tests/test_api.py::test_dns', 'dns-failure', 'EAI_NONAME', 'NameResolutionError'],
      ['tests/test_api.py::test_temp', 'dns-failure', 'EAI_AGAIN', 'NameResolutionError'],
    ]);
  });

  it('reads Windows WinError 10054 as ECONNRESET, and a CRLF log with GitHub Actions prefixes', () => {
    const { events } = parse([
      '2026-11-24T06:40:03.1234567Z ________________________________ test_upload ________________________________\r',
      '2026-11-24T06:40:03.1234567Z tests\\test_api.py:21: in test_upload\r',
      "2026-11-24T06:40:03.2000000Z E   requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(10054, 'An existing connection was forcibly closed by the remote host', None, 10054, None))\r",
      '2026-11-24T06:40:03.3000000Z =========================== short test summary info ============================\r',
    ]);
    assert.equal(events.length, 1);
    const e = events[0]!;
    assert.equal(e.errno, 10054);
    assert.equal(e.errnoName, 'ECONNRESET');
    assert.equal(e.test, 'tests\\test_api.py::test_upload');
    assert.equal(e.time, Date.parse('2026-11-24T06:40:03.200Z'));
    assert.equal(e.timeQuality, 'exact');
    assert.equal(e.zoneless, undefined);
  });

  it('gives a section the time of the last live-log record, zone-less', () => {
    const { events } = parse([
      '-------------------------------- live log call ---------------------------------',
      '2026-11-24 22:01:12 [   DEBUG] urllib3.connectionpool: Starting new HTTP connection (1): 127.0.0.1:18080',
      'FAILED                                                                   [ 66%]',
      '______________________________ TestDrop.test_drop ______________________________',
      "E           requests.exceptions.ConnectionError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
    ]);
    const e = events[0]!;
    assert.equal(e.time, Date.UTC(2026, 10, 24, 22, 1, 12));
    assert.equal(e.timeQuality, 'inferred');
    assert.equal(e.zoneless, true);
    assert.equal(e.test, 'TestDrop.test_drop');
  });

  it('reads a localised strerror and a broken pipe, and keeps non-network failures as other', () => {
    const { events } = parse([
      '__________________________________ test_put ___________________________________',
      "E   requests.exceptions.ConnectionError: ('Connection aborted.', BrokenPipeError(32, 'Datenübergabe unterbrochen (broken pipe)'))",
      '__________________________________ test_de ___________________________________',
      "E   urllib3.exceptions.ProtocolError: ('Connection aborted.', OSError('连接被对方重设'))",
      '_________________________________ test_assert __________________________________',
      'E       assert 1 == 2',
      'tests/test_api.py:18: AssertionError',
      '========================= 3 failed in 0.20s ==========================',
    ]);
    assert.deepEqual(events.map((e) => [e.kind, e.errnoName, e.exception]), [
      ['broken-pipe', 'EPIPE', 'requests.exceptions.ConnectionError'],
      ['reset', 'ECONNRESET', 'urllib3.exceptions.ProtocolError'],
      ['other', undefined, 'AssertionError'],
    ]);
  });

  it('detects pytest output from content, and not an nginx error log', () => {
    assert.ok(pytestFormat.detect(['============================= test session starts ==============================', 'platform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0'], 'x.log') > 0.9);
    assert.equal(pytestFormat.detect(['2026/11/24 21:58:40 [error] 3425#3425: *1 recv() failed (104: Connection reset by peer)'], 'pytest.log'), 0);
    assert.equal(pytestFormat.detect(['{"a": 1}'], 'test.json'), 0);
  });
});
