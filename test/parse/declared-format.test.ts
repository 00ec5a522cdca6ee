import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FormatLoadError, loadFormats } from '../../src/attribute/format-load.js';
import { compileDeclaredFormat, type DeclaredFormat } from '../../src/parse/declared-format.js';
import { timeReader } from '../../src/parse/declared-time.js';
import { BUILT_IN_FORMATS_DIR, BUILT_IN_SIDES, runFormats } from '../../src/parse/formats.js';
import { parseLines } from '../../src/parse/run-lines.js';
import { tempDir } from '../helpers.js';

/** A small valid format; each test breaks one thing. */
function format(): DeclaredFormat {
  return {
    id: 'toyproxy',
    title: 'toy proxy',
    source: 'toyproxy',
    side: 'proxy',
    detect: { regex: '^toy ' },
    line: { regex: '^toy (?<time>\\S+) (?<method>[A-Z]+) (?<url>\\S+) (?<result>[a-z]+)' },
    time: { layout: 'epoch' },
    kinds: [{ when: { result: ['dropped'] }, kind: 'proxy-closed', closedBy: 'proxy' }, { when: { result: { regex: '^ok' } }, kind: 'request' }],
    examples: [
      { line: 'toy 1732430401.5 GET http://api.test:8080/x dropped', expect: { kind: 'proxy-closed', host: 'api.test', port: 8080, path: '/x', time: '2024-11-24T06:40:01.500Z' }, origin: 'test' },
      { line: 'toy 1732430401.5 GET http://api.test:8080/x weird', expect: null, origin: 'test: no kinds entry takes it' },
    ],
  };
}

/** The problems loading these formats gives, as "pointer: message". */
async function problemsOf(...formats: object[]): Promise<string[]> {
  const dir = await tempDir();
  for (const [i, f] of formats.entries()) {
    const id = (f as { id?: string }).id ?? `f${i}`;
    await mkdir(path.join(dir, String(i)));
    await writeFile(path.join(dir, String(i), `${id}.json`), JSON.stringify(f));
  }
  try {
    await loadFormats([dir]);
    return [];
  } catch (error) {
    assert.ok(error instanceof FormatLoadError, String(error));
    return error.problems.map((p) => `${p.pointer}: ${p.message}`);
  }
}

describe('declared formats: loading', () => {
  it('the built-in formats load cleanly, each with examples', async () => {
    const formats = await loadFormats([BUILT_IN_FORMATS_DIR]);
    assert.ok(formats.length >= 1);
    for (const f of formats) assert.ok(f.examples.some((e) => e.expect !== null), `${f.id} has no positive example`);
  });

  it('a valid format loads', async () => {
    assert.deepEqual(await problemsOf(format()), []);
  });

  it('schema errors name the pointer and what was expected', async () => {
    const f = { ...format(), sid: 'proxy' } as Record<string, unknown>;
    delete f.side;
    const problems = await problemsOf(f);
    assert.ok(problems.some((p) => p.startsWith('/sid: unknown key "sid"') && p.includes('"side"?')), problems.join('\n'));
    assert.ok(problems.some((p) => p === '/: missing required key "side"'), problems.join('\n'));
    const badSide = await problemsOf({ ...format(), side: 'middlebox' });
    assert.ok(badSide.some((p) => p.startsWith('/side: "middlebox" is not allowed') && p.includes('server, proxy, client')), badSide.join('\n'));
  });

  it('an unknown kind, an unsafe regex and a group the kinds table cannot find are refused', async () => {
    const f = format();
    f.kinds[0]!.kind = 'proxy-close';
    assert.deepEqual(await problemsOf(f), ['/kinds/0/kind: unknown event kind "proxy-close" (did you mean "proxy-closed"?)']);
    const g = format();
    g.line = { regex: '^toy (?<time>\\S+) ((?<method>[A-Z]+) )+' };
    const unsafe = await problemsOf(g);
    assert.equal(unsafe.length, 1);
    assert.match(unsafe[0]!, /^\/line\/regex: unsafe regular expression/);
    const h = format();
    h.kinds[0]!.when = { reslt: ['dropped'] };
    const missing = await problemsOf(h);
    assert.ok(missing.some((p) => p.startsWith('/kinds/0/when/reslt: the line gives no field "reslt" (did you mean "result"?)')), missing.join('\n'));
  });

  it('a time group needs a layout it can read', async () => {
    const f = format();
    delete f.time;
    assert.ok((await problemsOf(f)).includes('/time: the line gives a time field: "time": { "layout": … } must say how to read it'));
    const g = format();
    g.time = { layout: '%Y-%m-%d %H:%M:%Q' };
    const problems = await problemsOf(g);
    assert.match(problems[0]!, /^\/time\/layout: unknown directive %Q/);
  });

  it('a source keeps one side: a built-in one its own, a new one the first declared', async () => {
    const builtIn = await problemsOf({ ...format(), source: 'haproxy', side: 'server' });
    assert.ok(builtIn.some((p) => p.startsWith('/side: source "haproxy" speaks for the proxy side')), builtIn.join('\n'));
    const twice = await problemsOf(format(), { ...format(), id: 'toyproxy-2', side: 'server' });
    assert.ok(twice.some((p) => p.startsWith('/side: source "toyproxy" speaks for the proxy side')), twice.join('\n'));
  });

  it('samples are checked at load: a line that gives no event, or other fields, is named', async () => {
    const f = format();
    f.examples[0]!.line = 'toy 1732430401.5 GET';
    const problems = await problemsOf(f);
    assert.deepEqual(problems, ['/examples/0/line: gives no event: /line/regex does not match it: toy 1732430401.5 GET']);
    const g = format();
    g.examples[1]!.expect = { kind: 'request' };
    assert.deepEqual(await problemsOf(g), ['/examples/1/line: gives no event: no /kinds entry takes its fields: toy 1732430401.5 GET http://api.test:8080/x weird']);
    const h = format();
    h.examples[1]!.line = 'toy 1732430401.5 GET http://api.test:8080/x dropped';
    assert.deepEqual(await problemsOf(h), ['/examples/1/expect: expected no event, got kind "proxy-closed" from: toy 1732430401.5 GET http://api.test:8080/x dropped']);
    const i = format();
    i.examples[0]!.line = 'TOY 1732430401.5 GET http://api.test:8080/x dropped';
    assert.ok((await problemsOf(i)).some((p) => p.startsWith('/examples/0/line: does not match /detect/regex')));
  });

  it('invalid JSON is located by line and column', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'broken.json'), '{\n  "id": "broken",\n  "title": }\n');
    await assert.rejects(loadFormats([dir]), (error: FormatLoadError) => /broken\.json:3:12: invalid JSON/.test(error.message));
  });
});

describe('declared formats: compiled', () => {
  it('reads a JSON line by key paths', () => {
    const parser = compileDeclaredFormat({
      ...format(),
      line: { json: { time: 'ts', message: 'msg', method: 'request.method', host: 'request.host', path: 'request.uri', status: 'status' } },
      kinds: [{ when: { message: ['aborting'] }, kind: 'client-closed', closedBy: 'client' }, { kind: 'from-status' }],
    });
    const { events } = parseLines(parser, ['{"ts":1732430401.25,"msg":"aborting","request":{"method":"GET","host":"a.test","uri":"/q?x=1"},"status":0}', '{"ts":1732430402,"msg":"handled request","request":{"method":"GET","host":"a.test","uri":"/r"},"status":504}', 'not json']);
    assert.deepEqual(
      events.map((e) => [e.kind, e.closedBy, e.path, e.status, e.time]),
      [
        ['client-closed', 'client', '/q?x=1', undefined, 1732430401250],
        ['upstream-timeout', undefined, '/r', 504, 1732430402000],
      ],
    );
  });

  it('time layouts: zoned stamps are exact, zone-less ones wall clock read as UTC unless the format gives a zone', () => {
    assert.deepEqual(timeReader({ layout: '%a %b %d %H:%M:%S.%f %Y' })('Wed Oct 11 14:32:52.123456 2000'), { time: Date.UTC(2000, 9, 11, 14, 32, 52, 123), zoneless: true });
    assert.deepEqual(timeReader({ layout: '%Y/%m/%d %H:%M:%S', zone: '+02:00' })('2026/11/24 08:40:01'), { time: Date.UTC(2026, 10, 24, 6, 40, 1), zoneless: false });
    assert.deepEqual(timeReader({ layout: 'clf' })('24/Nov/2026:06:40:01 +0100'), { time: Date.UTC(2026, 10, 24, 5, 40, 1), zoneless: false });
    assert.deepEqual(timeReader({ layout: 'iso8601' })('2026-11-24T06:40:01.5-07:00'), { time: Date.UTC(2026, 10, 24, 13, 40, 1, 500), zoneless: false });
    assert.deepEqual(timeReader({ layout: 'epoch-ms' })('1732430401250'), { time: 1732430401250, zoneless: false });
    assert.equal(timeReader({ layout: 'iso8601' })('2026-13-24T06:40:01Z'), undefined);
  });

  it('a declared proxy source speaks for the path', () => {
    assert.equal(BUILT_IN_SIDES.sideOf('heroku-router' as never), 'proxy');
  });

  it("a run's declared sources are its own: a later run in the same process does not inherit them", () => {
    const declaring = (side: 'server' | 'proxy') => runFormats([{ ...format(), source: 'edge-router', side }]).sides;
    assert.equal(declaring('proxy').sideOf('edge-router' as never), 'proxy');
    assert.equal(runFormats().sides.isFarSide('edge-router' as never), false);
    assert.equal(declaring('server').sideOf('edge-router' as never), 'server');
    assert.deepEqual(declaring('server').declared.slice(-1), ['edge-router']);
  });
});
