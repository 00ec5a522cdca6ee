import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers.js';

// `docker compose logs` interleaves several programs in one file; nginx alone writes two formats
// to its container's output. Each line must reach the parser of its own format.
const COMPOSE_LOG = [
  'nginx-1  | 2026/11/24 06:40:01 [error] 29#29: *7 upstream prematurely closed connection while reading response header from upstream, client: 172.18.0.1, server: _, request: "GET /api/orders HTTP/1.1", upstream: "http://172.18.0.3:8000/api/orders", host: "localhost:8080"',
  'nginx-1  | 172.18.0.1 - - [24/Nov/2026:06:40:01 +0000] "GET /api/orders HTTP/1.1" 502 157 "-" "python-requests/2.31.0"',
  'api-1    | 2026-11-24 06:40:01,120 ERROR app.views: Traceback (most recent call last):',
  'tests-1  | FAILED tests/test_orders.py::test_list_orders - requests.exceptions.ConnectionError: (\'Connection aborted.\', RemoteDisconnected(\'Remote end closed connection without response\'))',
];

describe('a docker compose log holding several programs', () => {
  it('routes each line to its own format', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'compose.log'), COMPOSE_LOG.join('\n') + '\n');
    const result = await runCli(['events', dir, '--format', 'ndjson']);
    assert.equal(result.code, 0, result.stderr);
    const events = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { line: number; source: string; kind: string });
    const byLine = new Map(events.map((e) => [e.line, e]));
    assert.equal(byLine.get(1)?.source, 'nginx-error');
    assert.equal(byLine.get(1)?.kind, 'upstream-premature-close');
    assert.equal(byLine.get(2)?.source, 'nginx-access');
    assert.equal(byLine.get(4)?.source, 'pytest');
    assert.equal(byLine.get(4)?.kind, 'remote-disconnected');
    assert.doesNotMatch(result.stderr, /not an access log line|before the first log record/);
  });
});
