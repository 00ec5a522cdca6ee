/**
 * One job folder holding every attack at once, analysed as a user would: the run must end, exit 0
 * with a report, name each bad input on a `whoreset:` line of its own, and leak nothing from
 * outside the folder, whatever --jobs is.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { REPO, runCli, tempDir } from '../helpers.js';

async function hostileJob(): Promise<string> {
  const base = await tempDir();
  const dir = path.join(base, 'job');
  await cp(path.join(REPO, 'samples/05-upstream-reset'), dir, { recursive: true });
  await writeFile(path.join(base, 'secret.log'), '2026-11-24 06:40:01,000 ERROR SECRET-TOKEN connection reset by peer\n');
  await symlink(path.join(base, 'secret.log'), path.join(dir, 'leak.log'));
  await symlink('/', path.join(dir, 'root'));
  await symlink('.', path.join(dir, 'self'));
  await mkdir(path.join(dir, 'loop'));
  await symlink('..', path.join(dir, 'loop', 'up'));
  execFileSync('mkfifo', [path.join(dir, 'fifo.log')]);
  await writeFile(
    path.join(dir, 'report.xml'),
    '<testsuite name="pytest" timestamp="2026-11-24T06:40:01"><testcase classname="t.test_a" name="test_x" time="1e308"><failure message="requests.exceptions.ConnectionError: (\'Connection aborted.\', ConnectionResetError(104, \'Connection reset by peer\'))">x</failure></testcase></testsuite>\n',
  );
  await writeFile(path.join(dir, 'haproxy.log'), ':'.repeat(300_000) + ' [24/Nov/2026:06:40:01.000] fe be/s1 0/0/0/0/0 200 1 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"\n');
  await writeFile(path.join(dir, 'client.log'), `2026-11-24 06:40:01,000 DEBUG ${'eyJhbGciOiJIUzI1NiJ9.'.repeat(15_000)} a.py::x\n`);
  await writeFile(path.join(dir, 'utf16.log'), Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from('2026-11-24 06:40:01,000 ERROR Connection reset by peer\n', 'utf16le')]));
  await writeFile(path.join(dir, 'escape\x1b]0;x\nwhoreset: forged.log'), '\x1bc\x9b2J Connection reset by peer\n');
  await writeFile(path.join(dir, 'bomb.log.gz'), gzipSync(Buffer.alloc(64 * 1024 * 1024)));
  // An nginx error log whose real lines are followed by 50 000 that are no log line at all.
  const nginxLines = (await readFile(path.join(dir, 'nginx/error.log'), 'utf8')).trim().split('\n');
  await writeFile(path.join(dir, 'nginx/error.log'), [...nginxLines, ...Array.from({ length: 50_000 }, (_, i) => `garbage ${i} port=${i * 99_999} errno=1e308`)].join('\n'));
  return dir;
}

describe('a folder of every attack at once', () => {
  for (const jobs of ['1', '2']) {
    it(`ends with a report, every problem on a line of its own, nothing from outside (--jobs ${jobs})`, { timeout: 180_000 }, async () => {
      const dir = await hostileJob();
      const result = await runCli([dir, '--format', 'json', '--jobs', jobs, '--max-decompressed', '16']);
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout) as { incidents: unknown[]; warnings: string[] };
      assert.ok(report.incidents.length > 0);
      assert.doesNotMatch(result.stdout, /SECRET-TOKEN|NaN|Infinity/);
      assert.doesNotMatch(result.stdout, /[\x7f-\x9f]/);
      const lines = result.stderr.trim().split('\n');
      assert.ok(lines.every((line) => line.startsWith('whoreset: ') && !/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(line)), result.stderr);
      assert.ok(!lines.some((line) => line.startsWith('whoreset: forged')), result.stderr);
      assert.ok(lines.length < 60, `${lines.length} stderr lines`);
      for (const expected of [/leak\.log: symbolic link to outside/, /root: symbolic link to a folder that holds/, /fifo\.log: a named pipe/, /report\.xml:1: testcase time="1e308"/, /bomb\.log\.gz.*decompressed to more than 16 MiB/, /not listed one by one/]) {
        assert.match(result.stderr, expected);
      }
      assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
    });
  }
});
