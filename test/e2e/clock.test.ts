import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO, runCli, tempDir } from '../helpers.js';

interface Output {
  incidents: Array<{ cause: string; timeQuality: string; reasons: string[]; evidence: Array<{ file: string; kind: string }> }>;
  clock: Array<{ group: string; offset: { skewMs: number; zoneMs: number; matched: number } | null }>;
}

async function analyse(dir: string): Promise<Output> {
  const result = await runCli([dir, '--format', 'json']);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Output;
}

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Moves every nginx stamp (error log and access log) by `seconds`, as a server clock running fast would. */
async function skewNginx(dir: string, seconds: number): Promise<void> {
  const shift = (y: string, mo: number, d: string, h: string, mi: string, s: string) => {
    const t = new Date(Date.UTC(Number(y), mo, Number(d), Number(h), Number(mi), Number(s)) + seconds * 1000);
    return { y: t.getUTCFullYear(), mo: t.getUTCMonth(), d: pad(t.getUTCDate()), h: pad(t.getUTCHours()), mi: pad(t.getUTCMinutes()), s: pad(t.getUTCSeconds()) };
  };
  const errorLog = path.join(dir, 'nginx/error.log');
  await writeFile(
    errorLog,
    (await readFile(errorLog, 'utf8')).replace(/^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)/gm, (_m, y, mo, d, h, mi, s) => {
      const t = shift(y, Number(mo) - 1, d, h, mi, s);
      return `${t.y}/${pad(t.mo + 1)}/${t.d} ${t.h}:${t.mi}:${t.s}`;
    }),
  );
  const accessLog = path.join(dir, 'nginx/access.log');
  await writeFile(
    accessLog,
    (await readFile(accessLog, 'utf8')).replace(/\[(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d)/g, (_m, d, mon, y, h, mi, s) => {
      const t = shift(y, MONTHS.indexOf(mon), d, h, mi, s);
      return `[${t.d}/${MONTHS[t.mo]}/${t.y}:${t.h}:${t.mi}:${t.s}`;
    }),
  );
}

describe('one timeline across sources', () => {
  it('nginx in Asia/Shanghai, client in UTC, no --tz: the 444 line joins the failure', async () => {
    const out = await analyse(path.join(REPO, 'samples/19-tz-shanghai'));
    const [incident] = out.incidents;
    assert.equal(incident!.cause, 'server/nginx-444');
    assert.equal(incident!.timeQuality, 'inferred', 'pytest has no stamps: the time comes from the client log');
    assert.ok(incident!.evidence.some((e) => e.file === 'nginx/access.log' && e.kind === 'server-closed'));
    assert.ok(out.clock.find((c) => c.group === 'nginx')!.offset!.matched >= 10);
  });

  it('finds and applies a few seconds of skew added to the nginx clock', async () => {
    const dir = await tempDir();
    await cp(path.join(REPO, 'samples/19-tz-shanghai'), dir, { recursive: true });
    await skewNginx(dir, 6);
    const out = await analyse(dir);
    const offset = out.clock.find((c) => c.group === 'nginx')!.offset!;
    assert.equal(offset.zoneMs, 0, 'the zone came from the stamps; what remains is skew');
    assert.ok(Math.abs(offset.skewMs - 6000) < 1500, `skew ${offset.skewMs}`);
    const [incident] = out.incidents;
    assert.equal(incident!.cause, 'server/nginx-444');
    assert.ok(incident!.evidence.some((e) => e.file === 'nginx/access.log' && e.kind === 'server-closed'));
  });

  it('GitHub Actions prefixes give pytest failures exact times', async () => {
    const out = await analyse(path.join(REPO, 'samples/20-gha-prefix'));
    assert.equal(out.incidents[0]!.timeQuality, 'exact');
  });

  it('the seed alone is unknown because server logs are missing, not a guess', async () => {
    const out = await analyse(path.join(REPO, 'samples/21-seed-only'));
    assert.equal(out.incidents[0]!.cause, 'unknown/no-server-logs');
    assert.ok(out.incidents[0]!.reasons.includes('no server logs in the directory'), JSON.stringify(out.incidents[0]!.reasons));
  });
});

describe('--fail-on', () => {
  it('exits 1 only for the named attributions, 2 for a wrong one', async () => {
    assert.equal((await runCli(['samples/03-nginx-444', '--fail-on', 'server'])).code, 1);
    assert.equal((await runCli(['samples/03-nginx-444', '--fail-on', 'client,proxy-firewall'])).code, 0);
    const wrong = await runCli(['samples/03-nginx-444', '--fail-on', 'servr']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /unknown attribution "servr" \(did you mean "server"\?\)/);
  });
});
