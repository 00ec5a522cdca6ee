import assert from 'node:assert/strict';
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ConnectionEvent } from '../../src/model/event.js';
import { dropInvalidFields, MAX_TIME_MS } from '../../src/parse/field-ranges.js';
import { JUNIT_FORMAT } from '../../src/parse/junit.js';
import { parseLines } from '../../src/parse/run-lines.js';
import { utcOf } from '../../src/parse/timestamps.js';
import { parseZone } from '../../src/time/zone.js';
import { REPO, runCli, tempDir } from '../helpers.js';

/** A usage error: exit 2, one `whoreset:` line naming the option, no stack trace. */
function assertUsageError(result: { code: number; stderr: string }, option: string): void {
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, new RegExp(`^whoreset: ${option}`));
  assert.doesNotMatch(result.stderr, /\n\s+at /);
}

describe('options out of range are usage errors', () => {
  const sample = path.join(REPO, 'samples/05-upstream-reset');
  for (const value of ['1e12', 'Infinity', 'NaN', '0', '-1', '3601']) {
    it(`--window ${value}`, async () => assertUsageError(await runCli([sample, '--window', value]), '--window'));
  }
  for (const value of ['0', '65', '1.5', 'NaN']) {
    it(`--jobs ${value}`, async () => assertUsageError(await runCli([sample, '--jobs', value]), '--jobs'));
    it(`events --jobs ${value}`, async () => assertUsageError(await runCli(['events', sample, '--jobs', value]), '--jobs'));
  }
  for (const spec of ['nginx=+99:99', 'nginx=+14:60', 'nginx=-15:00', 'nginx=Mars/Olympus']) {
    it(`--tz ${spec}`, async () => assertUsageError(await runCli([sample, '--tz', spec]), `--tz ${spec.replace('+', '\\+')}`));
  }
  it('--tz of an unknown source lists the known ones', async () => {
    const result = await runCli([sample, '--tz', 'ngnix=UTC']);
    assertUsageError(result, '--tz ngnix');
    assert.match(result.stderr, /known: .*nginx-error/);
  });
  it('accepts the widest real zones', () => {
    assert.ok(parseZone('+14:00'));
    assert.ok(parseZone('-12:00'));
    assert.equal(parseZone('+14:01'), undefined);
  });
});

describe('dates that do not exist are no times', () => {
  it('refuses February 30 and 29 outside leap years, and years past 9999', () => {
    assert.equal(utcOf(2026, 2, 30, 0, 0, 0), undefined);
    assert.equal(utcOf(2026, 2, 29, 0, 0, 0), undefined);
    assert.equal(utcOf(2026, 4, 31, 0, 0, 0), undefined);
    assert.equal(utcOf(2024, 2, 29, 0, 0, 0), Date.UTC(2024, 1, 29));
    assert.equal(utcOf(2000, 2, 29, 0, 0, 0), Date.UTC(2000, 1, 29));
    assert.equal(utcOf(2100, 2, 29, 0, 0, 0), undefined);
    assert.equal(utcOf(10000, 1, 1, 0, 0, 0), undefined);
  });
});

describe('numeric event fields out of range are dropped', () => {
  const event = (fields: Partial<ConnectionEvent>): ConnectionEvent => ({
    id: 'x:1', source: 'nginx-error', kind: 'upstream-reset', time: Date.UTC(2026, 0, 1), timeQuality: 'exact', file: 'x', line: 1, excerpt: 'x', ...fields,
  });
  it('keeps what is in range', () => {
    const e = event({ port: 65535, clientPort: 0, status: 599, errno: -3, pid: 1, utcOffset: 480 });
    assert.deepEqual(dropInvalidFields(e), []);
    assert.equal(e.port, 65535);
  });
  it('drops NaN, Infinity, fractions and out-of-range values, one message each', () => {
    const e = event({ time: MAX_TIME_MS + 1, port: 70000, clientPort: NaN, status: 42, errno: Infinity, pid: 1.5, utcOffset: 99 * 60 });
    const dropped = dropInvalidFields(e);
    assert.equal(dropped.length, 7, dropped.join('; '));
    for (const field of ['port', 'clientPort', 'status', 'errno', 'pid', 'utcOffset'] as const) assert.equal(e[field], undefined, field);
    assert.equal(e.time, null);
    assert.equal(e.timeQuality, 'none');
  });
});

describe('a JUnit testcase time that is no duration', () => {
  const doc = (time: string) =>
    `<testsuites><testsuite name="pytest" timestamp="2026-11-24T06:40:01"><testcase classname="tests.test_api" name="test_a" time="${time}"><failure message="requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))">x</failure></testcase></testsuite></testsuites>`;
  for (const time of ['1e308', '1e13', '-5', 'NaN', 'Infinity']) {
    it(`time="${time}" counts as 0, with a problem`, () => {
      const { events, problems } = parseLines(JUNIT_FORMAT, [doc(time)]);
      assert.equal(events[0]!.time, Date.UTC(2026, 10, 24, 6, 40, 1));
      assert.match(problems[0]!.message, /testcase time=.* is not a duration/);
    });
  }
  it('beside a server log, the analysis ends (it used to hang at 100 % CPU)', { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    await cp(path.join(REPO, 'samples/05-upstream-reset/nginx'), path.join(dir, 'nginx'), { recursive: true });
    await writeFile(path.join(dir, 'report.xml'), doc('1e308'));
    const result = await runCli([dir, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /report\.xml:1: testcase time="1e308"/);
    assert.doesNotMatch(result.stdout, /NaN|Infinity/);
  });
});
