import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyseFiles } from '../helpers.js';

interface Output {
  incidents: Array<{ origin: string; attribution: string; cause: string }>;
  summary: Record<string, number>;
}

const verdicts = (output: Output) => output.incidents.map((i) => `${i.origin} ${i.attribution} ${i.cause}`);

// One program's lines, as a job that kept nothing else leaves them: what each says decides alone or not at all.
describe('a lone record that names its side', () => {
  it("a client's own read timeout, nothing from the far side → client/timeout-too-short", async () => {
    const out = await analyseFiles<Output>({
      'ci/step-3.txt': ["requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='api.example.test', port=443): Read timed out. (read timeout=15)"],
    });
    assert.deepEqual(verdicts(out), ['client client client/timeout-too-short']);
  });

  it('the same read timeout beside the server access log stays unknown: the server may say why', async () => {
    const out = await analyseFiles<Output>({
      'ci/step-3.txt': ["requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='api.example.test', port=443): Read timed out. (read timeout=15)"],
      'nginx/access.log': ['127.0.0.1 - - [24/Nov/2026:23:03:11 +0000] "GET /health HTTP/1.1" 200 2 "-" "curl/8.5.0"'],
    });
    assert.deepEqual(out.incidents.map((i) => i.attribution), ['unknown']);
  });

  it('a connect timeout is not the client giving up on an answer', async () => {
    const out = await analyseFiles<Output>({
      'ci/step-3.txt': ["requests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='api.example.test', port=443): Max retries exceeded with url: / (Caused by ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x7f>, 'Connection to api.example.test timed out. (connect timeout=10)'))"],
    });
    assert.deepEqual(out.incidents.map((i) => i.attribution), ['unknown']);
  });

  it('connect ENETUNREACH to an IPv4 address → network, counted in the summary', async () => {
    const out = await analyseFiles<Output>({ 'client.log': ['Error: connect ENETUNREACH 10.20.30.40:443'] });
    assert.deepEqual(verdicts(out), ['client network network/unreachable']);
    assert.equal(out.summary.network, 1);
  });

  it('connect ENETUNREACH to an IPv6 address stays unknown (a runner without IPv6 routes)', async () => {
    const out = await analyseFiles<Output>({ 'client.log': ['Error: connect ENETUNREACH 2606:4700::6810:84e5:443 - Local (:::0)'] });
    assert.deepEqual(out.incidents.map((i) => i.attribution), ['unknown']);
  });

  it('an Envoy line with response code 0 and no flag → the client left', async () => {
    const out = await analyseFiles<Output>({ 'envoy.log': ['[2018-11-26T03:17:43.818Z] "POST /foo HTTP/2" 0 - 32 0 450 - "-" "grpc-go/1.16.0" "id" "svc" "10.0.0.2:80"'] });
    assert.deepEqual(verdicts(out), ['proxy client client/client-aborted']);
  });

  it("uWSGI's harakiri report names the request it killed → server", async () => {
    const out = await analyseFiles<Output>({
      'uwsgi.log': [
        'Thu Dec 19 10:01:17 2024 - *** HARAKIRI ON WORKER 2 (pid: 35705, try: 1, graceful: yes) ***',
        'Thu Dec 19 10:01:17 2024 - HARAKIRI !!! worker 2 status !!!',
        'Thu Dec 19 10:01:17 2024 - HARAKIRI [core 0] 127.0.0.1 - GET /slow/ since 1734573672',
        'Thu Dec 19 10:01:17 2024 - HARAKIRI !!! end of worker 2 status !!!',
      ],
    });
    assert.deepEqual(verdicts(out), ['server server server/worker-crash']);
  });
});
