import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { progressText, startProgress } from '../../src/cli/progress.js';
import { parseInstant, selectionOf } from '../../src/cli/report-options.js';
import { runCli } from '../helpers.js';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream };
}

describe('progress on stderr', () => {
  it('says bytes, time and rate, and the files once discovery found them', () => {
    assert.equal(progressText(300 * 1024 * 1024, 3000), 'whoreset: reading… 300.0 MiB in 3 s (100.0 MiB/s)');
    assert.equal(progressText(300 * 1024 * 1024, 3000, { files: 12, bytes: 600 * 1024 * 1024 }), 'whoreset: reading… 12 files (600.0 MiB): 300.0 MiB in 3 s (100.0 MiB/s)');
  });
  it('shows nothing in the first second, nor when piped or --quiet', async () => {
    for (const [isTTY, quiet] of [[false, false], [true, true], [true, false]] as const) {
      const { written, stream } = fakeStream(isTTY);
      const progress = startProgress(stream, quiet);
      await sleep(300);
      progress.stop();
      assert.deepEqual(written, [], `isTTY ${isTTY}, quiet ${quiet}`);
    }
  });
  it('on a terminal after a second: a line rewritten in place, cleared at the end', async () => {
    const { written, stream } = fakeStream(true);
    const progress = startProgress(stream);
    progress.found?.({ files: 3, bytes: 2 * 1024 * 1024 });
    await sleep(1400);
    progress.stop();
    assert.ok(written.length >= 2, JSON.stringify(written));
    assert.match(written[0]!, /^\r\x1b\[Kwhoreset: reading… 3 files \(2\.0 MiB\): /);
    assert.equal(written.at(-1), '\r\x1b[K');
  });
});

describe('--quiet and the selection options', () => {
  it('--quiet leaves only the report', async () => {
    const loud = await runCli(['samples/05-upstream-reset', '--include', 'pytest.log']);
    assert.notEqual(loud.stderr, '');
    const quiet = await runCli(['samples/05-upstream-reset', '--include', 'pytest.log', '--quiet']);
    assert.equal(quiet.stderr, '');
    assert.equal(quiet.stdout, loud.stdout);
  });
  it('events -q leaves only the events: no warnings, no --unclaimed count', async () => {
    const args = ['events', 'samples/05-upstream-reset', '--include', 'pytest.log', '--format', 'ndjson'];
    const loud = await runCli(args);
    assert.match(loud.stderr, /--include left out/);
    const quiet = await runCli([...args, '-q']);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, '');
    assert.equal(quiet.stdout, loud.stdout);
    assert.equal((await runCli(['events', 'samples/05-upstream-reset', '--unclaimed', '--quiet'])).stderr, '');
  });
  it('--incident, --cause, --since and --until pick incidents', async () => {
    const pick = async (...args: string[]) => ((JSON.parse((await runCli(['samples/29-busy-same-second', '--format', 'json', ...args])).stdout) as { incidents: Array<{ id: string }> }).incidents.map((i) => i.id));
    assert.deepEqual(await pick(), ['I1', 'I2', 'I3', 'I4']);
    assert.deepEqual(await pick('--incident', 'I3,I1'), ['I1', 'I3']);
    assert.deepEqual(await pick('--cause', 'server/body-too-large'), ['I2']);
    assert.deepEqual(await pick('--since', '2026-12-03T03:49:31.5Z', '--until', '2026-12-03 03:49:32'), ['I3']);
  });
  it('reads a time without a zone as UTC, and refuses what is not a time', () => {
    assert.equal(parseInstant('2026-12-03T03:49:31.5'), Date.UTC(2026, 11, 3, 3, 49, 31, 500));
    assert.equal(parseInstant('2026-12-03T05:49:31+02:00'), Date.UTC(2026, 11, 3, 3, 49, 31));
    assert.ok(Number.isNaN(parseInstant('yesterday')));
    assert.match(selectionOf({ incident: [], cause: [], until: '3pm' }) as string, /^--until: expected an ISO 8601 date-time/);
  });
});
