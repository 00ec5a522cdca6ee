import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyseFiles } from '../helpers.js';

interface Output {
  incidents: Array<{ origin: string; attribution: string; cause: string; reasons: string[]; method: string | null; url: string | null }>;
}

/** Runs the CLI on a directory holding these files only (relative path → lines). */
const analyseOnly = (files: Record<string, string[]>) => analyseFiles<Output>(files);

function verdicts(output: Output): string[] {
  return output.incidents.map((i) => `${i.origin} ${i.attribution} ${i.cause}`);
}

// Each directory holds one hop's log only, as a job that kept nothing else leaves it.
describe('every side can open an incident', () => {
  it('only nginx error.log: upstream prematurely closed → server', async () => {
    const out = await analyseOnly({
      'nginx/error.log': [
        // samples/07-proxy-read-timeout's layout; message from ngx_http_upstream.c
        '2026/11/24 23:03:11 [error] 27215#27215: *2 upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1, server: api.lab.test, request: "GET /api/export HTTP/1.1", upstream: "http://127.0.0.1:27101/api/export", host: "127.0.0.1:27100"',
      ],
    });
    assert.deepEqual(verdicts(out), ['server server server/upstream-reset']);
    assert.equal(out.incidents[0]!.method, 'GET');
  });

  for (const [code, expected] of [
    ['SD--', 'proxy server server/upstream-reset'],
    ['CD--', 'proxy client client/client-aborted'],
    ['PR--', 'proxy proxy-firewall proxy-firewall/proxy-rejected'],
  ] as const) {
    it(`only a HAProxy log with ${code} → ${expected}`, async () => {
      // HAProxy 2.6 httplog as samples/09-proxy-rejected's syslog receiver wrote it.
      const server = code === 'PR--' ? 'fe_api/<NOSRV> -1/-1/-1/-1/0 403 192' : 'be_api/s1 0/0/0/1/200 200 1054';
      const line = `Nov 24 23:03:21 vm haproxy[27288]: 127.0.0.1:41636 [24/Nov/2026:23:03:21.667] fe_api ${server} - - ${code} 1/1/0/0/0 0/0 "GET /api/export HTTP/1.1"`;
      assert.deepEqual(verdicts(await analyseOnly({ 'haproxy.log': [line] })), [expected]);
    });
  }

  it('only a kernel log with a REJECT line for the port → proxy-firewall', async () => {
    const out = await analyseOnly({
      'kern.log': ['2026-11-24T23:03:36.550830+00:00 ci-runner kernel: [12345.678901] FW-REJECT IN=eth0 OUT= SRC=10.200.7.2 DST=10.200.7.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=38858 DF PROTO=TCP SPT=35910 DPT=8080 WINDOW=64240 RES=0x00 SYN URGP=0'],
    });
    assert.deepEqual(verdicts(out), ['firewall proxy-firewall proxy-firewall/firewall-reset']);
  });

  it('a kernel LOG line whose prefix says nothing of a verdict opens no incident', async () => {
    const out = await analyseOnly({
      'kern.log': ['2026-11-24T23:03:36.550830+00:00 ci-runner kernel: [12345.678901] NEW-CONN IN=eth0 OUT= SRC=10.200.7.2 DST=10.200.7.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=38858 DF PROTO=TCP SPT=35910 DPT=8080 WINDOW=64240 RES=0x00 SYN URGP=0'],
    });
    assert.deepEqual(verdicts(out), []);
  });

  it('only curl: (56) Received HTTP code 403 from proxy after CONNECT → proxy-firewall', async () => {
    const out = await analyseOnly({ 'ci/step-2.txt': ['2026-11-24T23:04:35.5756084Z curl: (56) Received HTTP code 403 from proxy after CONNECT'] });
    assert.deepEqual(verdicts(out), ['client proxy-firewall proxy-firewall/proxy-denied']);
  });

  it('only routine lines (keep-alive closes, a reload) → no incident', async () => {
    const out = await analyseOnly({
      'nginx/error.log': [
        '2026/11/24 23:03:09 [info] 27190#27190: *4 client 127.0.0.1 closed keepalive connection',
        '2026/11/24 23:03:08 [info] 27190#27190: *1 client closed connection while waiting for request, client: 127.0.0.1, server: 127.0.0.1:27080',
        '2026/11/24 23:03:10 [notice] 27189#27189: signal 1 (SIGHUP) received from 27044, reconfiguring',
      ],
    });
    assert.deepEqual(verdicts(out), []);
  });

  it("only the seed's trace → unknown, saying what to collect", async () => {
    const out = await analyseOnly({
      'pytest.log': [
        "INTERNALERROR> Traceback (most recent call last): INTERNALERROR>   File \"/venv/lib/python3.9/site-packages/requests/adapters.py\", line 486, in send INTERNALERROR>     resp = conn.urlopen( INTERNALERROR> urllib3.exceptions.ProtocolError: ('Connection aborted.', ConnectionResetError(54, 'Connection reset by peer'))",
      ],
    });
    assert.equal(out.incidents.length, 1);
    assert.equal(out.incidents[0]!.attribution, 'unknown');
    assert.ok(out.incidents[0]!.reasons.some((r) => r.includes('no server logs')), JSON.stringify(out.incidents[0]));
  });

  it('a client failure and the far side of the same request are one incident', async () => {
    const out = await analyseOnly({
      'client.log': [
        "2026-11-24 23:03:11,426 ERROR tests.reporter: failed: requests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=27100): Max retries exceeded with url: /api/export (Caused by ProtocolError('Connection aborted.', RemoteDisconnected('Remote end closed connection without response')))",
      ],
      'nginx/error.log': [
        '2026/11/24 23:03:11 [error] 27215#27215: *2 upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1, server: api.lab.test, request: "GET /api/export HTTP/1.1", upstream: "http://127.0.0.1:27101/api/export", host: "127.0.0.1:27100"',
      ],
    });
    assert.deepEqual(verdicts(out), ['client server server/upstream-reset']);
  });
});
