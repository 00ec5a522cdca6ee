import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nginxErrorFormat } from '../../src/parse/nginx-error.js';
import { pytestFormat } from '../../src/parse/pytest.js';
import { pythonLoggingFormat } from '../../src/parse/python-logging.js';
import { parseLines } from '../../src/parse/run-lines.js';

const parse = (lines: string[]) => parseLines(pythonLoggingFormat, lines, 'client.log');
const REQUEST = 'urllib3.connectionpool: http://127.0.0.1:18080 "GET /api/items HTTP/1.1" 200 17';

describe('Python logging client-log parser', () => {
  it('reads the urllib3 request line in every common layout, with its zone-less time', () => {
    const { events } = parse([
      `2026-11-24 21:58:40,596 DEBUG ${REQUEST}`,
      '2026-11-24 21:58:45,825 - urllib3.connectionpool - DEBUG - http://127.0.0.1:18080 "GET /api/items HTTP/1.1" 200 17',
      'DEBUG:urllib3.connectionpool:http://127.0.0.1:18080 "GET /api/items HTTP/1.1" 200 17',
      '[2026-11-24 21:58:40,596] DEBUG in connectionpool: http://127.0.0.1:18080 "GET /api/items HTTP/1.1" 200 17',
      `DEBUG 2026-11-24 22:07:50,491 ${REQUEST}`,
      `DEBUG    Thread-8 (poller) ${REQUEST}`,
    ]);
    assert.deepEqual(events.map((e) => [e.kind, e.method, e.path, e.host, e.port, e.status, e.level]), Array(6).fill(['request', 'GET', '/api/items', '127.0.0.1', 18080, 200, 'DEBUG']));
    assert.deepEqual(events.map((e) => [e.time, e.timeQuality, e.zoneless]), [
      [Date.UTC(2026, 10, 24, 21, 58, 40, 596), 'inferred', true],
      [Date.UTC(2026, 10, 24, 21, 58, 45, 825), 'inferred', true],
      [null, 'none', undefined],
      [Date.UTC(2026, 10, 24, 21, 58, 40, 596), 'inferred', true],
      [Date.UTC(2026, 10, 24, 22, 7, 50, 491), 'inferred', true],
      [null, 'none', undefined],
    ]);
  });

  it('folds a logged traceback chain (whose first part may lack its "Traceback" line) into one event', () => {
    // urllib3 2.7.0 MaxRetryError after nginx `return 444`, as logger.exception() printed it.
    const { events } = parse([
      '2026-11-24 21:58:41,619 ERROR client: GET /api/drop failed',
      "urllib3.exceptions.ProtocolError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
      '',
      'The above exception was the direct cause of the following exception:',
      '',
      'Traceback (most recent call last):',
      '    raise MaxRetryError(_pool, url, reason) from reason  # type: ignore[arg-type]',
      "urllib3.exceptions.MaxRetryError: HTTPConnectionPool(host='127.0.0.1', port=18080): Max retries exceeded with url: /api/drop (Caused by ProtocolError('Connection aborted.', RemoteDisconnected('Remote end closed connection without response')))",
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '    raise ConnectionError(e, request=request)',
      "requests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=18080): Max retries exceeded with url: /api/drop (Caused by ProtocolError('Connection aborted.', RemoteDisconnected('Remote end closed connection without response')))",
      '2026-11-24 21:58:44,125 DEBUG urllib3.connectionpool: Starting new HTTP connection (4): 127.0.0.1:18080',
    ]);
    assert.equal(events.length, 2);
    const e = events[0]!;
    assert.equal(e.id, 'client.log:14');
    assert.equal(e.kind, 'remote-disconnected');
    assert.equal(e.exception, 'requests.exceptions.ConnectionError');
    assert.equal(e.cause, 'RemoteDisconnected');
    assert.deepEqual([e.host, e.port, e.path], ['127.0.0.1', 18080, '/api/drop']);
    assert.equal(e.time, Date.UTC(2026, 10, 24, 21, 58, 41, 619));
    assert.equal(e.level, 'ERROR');
    assert.equal(events[1]!.kind, 'other');
  });

  it('reads retries, Windows and macOS errnos, DNS and an error logged as one line', () => {
    const { events } = parse([
      "2026-11-24 22:08:10,827 WARNING urllib3.connectionpool: Retrying (Retry(total=2, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ProtocolError('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))': /api/blocked",
      "2026-11-24 22:08:11,000 WARNING urllib3.connectionpool: Retrying (Retry(total=1, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ProtocolError('Connection aborted.', ConnectionResetError(10054, 'An existing connection was forcibly closed by the remote host', None, 10054, None))': /api/x\r",
      "2026-11-24 22:08:12,000 ERROR client: upload failed: ('Connection aborted.', ConnectionResetError(54, 'Connection reset by peer'))",
      "2026-11-24 22:08:13,000 WARNING urllib3.connectionpool: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NameResolutionError(\"<urllib3.connection.HTTPSConnection object at 0x7f>: Failed to resolve 'pypi.org' ([Errno -3] Temporary failure in name resolution)\")': /simple/",
      '2026-11-24 22:08:14,000 DEBUG urllib3.connectionpool: Resetting dropped connection: 127.0.0.1',
    ]);
    assert.deepEqual(events.map((e) => [e.kind, e.errno, e.errnoName, e.path]), [
      ['reset', 104, 'ECONNRESET', '/api/blocked'],
      ['reset', 10054, 'ECONNRESET', '/api/x'],
      ['reset', 54, 'ECONNRESET', undefined],
      ['dns-failure', -3, 'EAI_AGAIN', '/simple/'],
      ['other', undefined, undefined, undefined],
    ]);
    assert.equal(events[4]!.host, '127.0.0.1');
  });

  it('reports text before the first record, and uses a CI prefix time for time-less layouts', () => {
    const { events, problems } = parse([
      'Collecting requests',
      `2026-11-24T06:40:01.5000000Z DEBUG:${REQUEST.replace(': ', ':')}`,
    ]);
    assert.deepEqual(problems.map((p) => p.line), [1]);
    assert.equal(events[0]!.time, Date.parse('2026-11-24T06:40:01.500Z'));
    assert.equal(events[0]!.timeQuality, 'exact');
    assert.equal(events[0]!.zoneless, undefined);
  });

  it('claims client logs, and neither nginx error logs nor pytest output nor JSON', () => {
    const client = [`2026-11-24 21:58:40,596 DEBUG ${REQUEST}`];
    const nginx = ['2026/11/24 21:58:40 [error] 3425#3425: *1 recv() failed (104: Connection reset by peer) while reading response header from upstream'];
    const pytest = ['============================= test session starts ==============================', 'collected 6 items'];
    assert.ok(pythonLoggingFormat.detect(client, 'x') > 0.5);
    assert.equal(pythonLoggingFormat.detect(nginx, 'client.log'), 0);
    assert.equal(pythonLoggingFormat.detect(['{"level": "DEBUG", "msg": "x"}'], 'client.json'), 0);
    assert.equal(pythonLoggingFormat.detect(pytest, 'client.log'), 0);
    assert.equal(nginxErrorFormat.detect(client, 'error.log'), 0);
    assert.equal(pytestFormat.detect(client, 'pytest.log'), 0);
  });
});
