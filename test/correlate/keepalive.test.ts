import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyseFiles } from '../helpers.js';

interface Output {
  incidents: Array<{ cause: string; ruleId: string; evidence: Array<{ file: string; kind: string; link?: string; tie?: string; decisive: boolean }> }>;
}

// samples/51-stale-session (urllib3 2.7.0, nginx 1.22.1 keepalive_timeout 1s): the trace's last lines and nginx's access log of that second.
const CLIENT = [
  '2026-12-03 04:15:28,848 DEBUG urllib3.connectionpool: Resetting dropped connection: 127.0.0.1',
  '2026-12-03 04:15:28,856 DEBUG urllib3.connectionpool: http://127.0.0.1:27760 "GET /api/items HTTP/1.1" 200 32',
  '2026-12-03 04:15:29,856 DEBUG urllib3.connectionpool: Resetting dropped connection: 127.0.0.1',
  '2026-12-03 04:15:29,865 DEBUG urllib3.connectionpool: http://127.0.0.1:27760 "GET /api/items HTTP/1.1" 200 32',
  "2026-12-03 04:15:30,866 ERROR tests.poller: poll of /api/items failed after 0.9990 s idle: ConnectionError(ProtocolError('Connection aborted.', RemoteDisconnected('Remote end closed connection without response')))",
];
const ACCESS = [
  '127.0.0.1 - - [03/Dec/2026:04:15:28 +0000] "GET /api/items HTTP/1.1" 200 32 "-" "python-requests/2.34.2" 0.004 200',
  '127.0.0.1 - - [03/Dec/2026:04:15:29 +0000] "GET /api/items HTTP/1.1" 200 32 "-" "python-requests/2.34.2" 0.002 200',
  '127.0.0.1 - - [03/Dec/2026:04:15:31 +0000] "GET /api/health HTTP/1.1" 200 12 "-" "python-requests/2.34.2" 0.001 200',
];
const nginxConf = (timeout: string, port: number) => ['http {', `    keepalive_timeout ${timeout};`, '    server {', `        listen 127.0.0.1:${port};`, '    }', '}'];

async function verdict(files: Record<string, readonly string[]>) {
  const { incidents } = await analyseFiles<Output>({ 'client.log': CLIENT, 'nginx/access.log': ACCESS, ...files });
  assert.equal(incidents.length, 1);
  return incidents[0]!;
}

describe('stale keep-alive from the client trace and the server config', () => {
  it('nginx.conf for the pool\'s port, wherever it sits: decided on the trace, the tie says how', async () => {
    const incident = await verdict({ 'deploy/etc/site.conf': nginxConf('1s', 27760) });
    assert.equal(incident.ruleId, 'client/stale-keepalive-trace');
    const decisive = incident.evidence.filter((e) => e.decisive);
    assert.deepEqual(
      decisive.map((e) => [e.file, e.kind, e.link, e.tie]),
      [
        ['client.log', 'keepalive-expired', 'connection', 'same pool 127.0.0.1:27760, no new connection: idle 1.001 s ≥ keepalive_timeout 1s (http block), deploy/etc/site.conf:2'],
        ['deploy/etc/site.conf', 'keepalive-timeout', 'port', 'same port 27760: keepalive_timeout 1s (http block), deploy/etc/site.conf:2'],
      ],
    );
  });

  it("HAProxy's timeout http-keep-alive for the port does the same", async () => {
    const cfg = ['defaults', '    mode http', '    timeout client 10s', '    timeout http-keep-alive 1s', 'frontend fe_api', '    bind 127.0.0.1:27760', '    default_backend be', 'backend be', '    server s1 127.0.0.1:9000'];
    const incident = await verdict({ 'haproxy.cfg': cfg });
    assert.equal(incident.ruleId, 'client/stale-keepalive-trace');
    assert.ok(incident.evidence.some((e) => e.decisive && e.tie === 'same port 27760: timeout http-keep-alive 1s (line 4)'));
  });

  it('a config for another port, or one far longer: the trace does not decide (the absence rule still may)', async () => {
    for (const conf of [nginxConf('1s', 8080), nginxConf('30s', 27760)]) {
      const incident = await verdict({ 'nginx.conf': conf });
      assert.equal(incident.ruleId, 'client/stale-keepalive');
      assert.ok(!incident.evidence.some((e) => e.kind === 'keepalive-expired'));
    }
  });

  it('no config: only an idle near nginx\'s default 75 s is read as expired, at the inferred rule\'s confidence', async () => {
    const idle = [CLIENT[3]!, CLIENT[4]!.replace('04:15:30,866', '04:16:45,066')];
    const access = [ACCESS[1]!, '127.0.0.1 - - [03/Dec/2026:04:16:45 +0000] "GET /api/health HTTP/1.1" 200 12 "-" "python-requests/2.34.2" 0.001 200'];
    const { incidents } = await analyseFiles<Output>({ 'client.log': idle, 'nginx/access.log': access });
    assert.equal(incidents[0]!.ruleId, 'client/stale-keepalive-trace-inferred');
    assert.ok(incidents[0]!.evidence.some((e) => e.tie?.includes("idle 75.2 s ≥ nginx's default keepalive_timeout 75 s (inferred: no nginx config in the directory)")));
  });
});
