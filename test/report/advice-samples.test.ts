import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyze, DEFAULT_WINDOW_MS, loadRules } from '../../src/index.js';
import { analyseFiles, REPO, runCli } from '../helpers.js';

interface Output {
  incidents: Array<{ id: string; method: string | null; url: string | null; advice: string[] }>;
}

/** `{name}` left by the filler (curl's `%{time_total}` is not one), or `<name>` as the old filler wrote it. */
const UNFILLED = /(?<!%)\{\w+(?:\|[^{}]*)?\}|<[a-z][\w ]*>/;

const SAMPLES = path.join(REPO, 'samples');
const scenarios = readdirSync(SAMPLES).filter((name) => existsSync(path.join(SAMPLES, name, 'expected.json'))).sort();

describe('advice printed for the samples', () => {
  it('has no unfilled placeholder in any sample', async () => {
    // In this process: the CLI prints v.advice as it is (table and JSON alike).
    const rules = await loadRules([]);
    let lines = 0;
    for (const scenario of scenarios) {
      const { verdicts } = await analyze({ dir: path.join(SAMPLES, scenario), include: [], exclude: [], zones: new Map(), windowMs: DEFAULT_WINDOW_MS, rules });
      for (const verdict of verdicts) {
        for (const line of verdict.advice) {
          lines++;
          assert.doesNotMatch(line, UNFILLED, `${scenario} ${verdict.incident.id}`);
        }
      }
    }
    assert.ok(lines > 50, `only ${lines} advice lines`);
  });

  it('names the request from the deciding line when the client did not (sample 02: nginx names POST)', async () => {
    const result = await runCli(['samples/02-body-too-large', '--format', 'json']);
    const [incident] = (JSON.parse(result.stdout) as Output).incidents;
    assert.equal(incident!.method, 'POST');
    assert.match(incident!.advice.join('\n'), /curl -v -X POST http:\/\/127\.0\.0\.1:27040\/api\/upload/);
  });

  it('keeps the client\'s https scheme in url and advice', async () => {
    // requests' text for a reset on an HTTPS pool (urllib3/connectionpool.py, HTTPSConnectionPool.__str__).
    const output = await analyseFiles<Output>({
      'pytest.log': [
        '=================================== FAILURES ===================================',
        '_________________________________ test_items __________________________________',
        "E   requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.example.test', port=8443): Max retries exceeded with url: /v1/items (Caused by ProtocolError('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer')))",
        '=========================== short test summary info ============================',
        "FAILED tests/test_items.py::test_items - requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.example.test', port=8443): Max retries exceeded with url: /v1/items (Caused by ProtocolError('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer')))",
      ],
    });
    assert.equal(output.incidents.length, 1);
    assert.equal(output.incidents[0]!.url, 'https://api.example.test:8443/v1/items');
    for (const line of output.incidents[0]!.advice) assert.doesNotMatch(line, /http:\/\/api\.example\.test/);
  });
});
