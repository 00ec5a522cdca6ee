/**
 * Every sample's HTML report rendered in real headless Chromium (Debian's /usr/bin/chromium, driven
 * by puppeteer-core, which downloads nothing): no console error, no request leaving the file, each
 * incident's five lanes with a mark per line of evidence, the deciding line highlighted, and a
 * screenshot of each page. One browser for all samples.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { analyze, DEFAULT_WINDOW_MS } from '../../src/analyze.js';
import { loadRules } from '../../src/attribute/load.js';
import { writeHtml } from '../../src/report/html.js';
import { evidenceItems } from '../../src/report/incident-record.js';
import { LANES } from '../../src/report/lane.js';
import { BufferedOutput } from '../../src/report/output.js';
import { REPO } from '../helpers.js';

const CHROMIUM = process.env['WHORESET_CHROMIUM'] ?? '/usr/bin/chromium';
/** Where the screenshots go: a few of them are committed under docs/. */
const SHOTS = process.env['WHORESET_SCREENSHOTS'] ?? path.join(tmpdir(), 'whoreset-html-screenshots');
const SAMPLES = path.join(REPO, 'samples');
const samples = readdirSync(SAMPLES).filter((name) => existsSync(path.join(SAMPLES, name, 'expected.json'))).sort();

// CI installs chromium (.ci/run): there its absence is a failure, never a skip.
const absent = !existsSync(CHROMIUM);
if (absent && process.env['CI']) throw new Error(`${CHROMIUM} is missing: CI must install chromium (apt-get install -y chromium) to render the HTML reports`);
const skip = absent ? `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) to render the HTML reports` : false;

interface Seen {
  incident: string;
  lanes: string[];
  marks: number;
  decisiveMarks: number;
  rows: number;
  decisiveRows: number;
  /** Marks whose box lies outside their lane's track. */
  misplaced: number;
}

describe('HTML report in headless Chromium', { skip }, () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      // As root with no sandbox; no background networking: this machine has no network.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      // The report is one file: anything else it asks for is a fault (and would need the network).
      if (request.url().startsWith('file:')) void request.continue();
      else {
        problems.push(`request: ${request.url()}`);
        void request.abort();
      }
    });
  });

  after(async () => {
    await browser?.close();
  });

  it('there are samples to render', () => assert.ok(samples.length >= 20, `only ${samples.length} samples`));

  const rules = loadRules([]);
  for (const sample of samples) {
    it(sample, async () => {
      const analysis = await analyze({ dir: path.join(SAMPLES, sample), include: [], exclude: [], zones: new Map(), windowMs: DEFAULT_WINDOW_MS, rules: await rules });
      let html = '';
      writeHtml(analysis, new BufferedOutput((chunk) => (html += chunk)));
      const file = path.join(SHOTS, `${sample}.html`);
      await writeFile(file, html);
      problems.length = 0;
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const seen = await page.$$eval('article.incident', (articles) =>
        articles.map((article) => {
          const marks = [...article.querySelectorAll<HTMLElement>('.timeline .mark')];
          const misplaced = marks.filter((mark) => {
            const track = mark.closest('.track, .untimed')!.getBoundingClientRect();
            const box = mark.getBoundingClientRect();
            return box.width === 0 || box.left < track.left - 1 || box.right > track.right + 1 || box.top < track.top - 1 || box.bottom > track.bottom + 1;
          }).length;
          return {
            incident: article.id,
            lanes: [...article.querySelectorAll<HTMLElement>('.timeline .lane[data-lane]')].map((lane) => lane.dataset['lane']!),
            marks: marks.length,
            decisiveMarks: article.querySelectorAll('.timeline .mark.decisive').length,
            rows: article.querySelectorAll('table.evidence tbody tr').length,
            decisiveRows: article.querySelectorAll('table.evidence tr.decisive').length,
            misplaced,
          };
        }),
      );
      assert.deepEqual(problems, [], `${sample}: the page must load with no error and ask for nothing`);
      assert.equal(seen.length, analysis.verdicts.length, `${sample}: one article per incident`);
      for (const [k, verdict] of analysis.verdicts.entries()) {
        const items = evidenceItems(verdict);
        const decisive = items.filter((item) => item.decisive).length;
        const expected: Seen = { incident: verdict.incident.id, lanes: [...LANES], marks: items.length, decisiveMarks: decisive, rows: items.length, decisiveRows: decisive, misplaced: 0 };
        assert.deepEqual(seen[k], expected, `${sample} ${verdict.incident.id}`);
        // A verdict from a rule names the line it rests on: the page must show it.
        if (verdict.ruleId !== null) assert.ok(decisive > 0, `${sample} ${verdict.incident.id}: decided by ${verdict.ruleId} but no deciding line`);
      }
      // Every mark is a link to a row of the page: the timeline is walked with Tab and Enter.
      const broken = await page.$$eval('.mark[href]', (marks) => marks.filter((mark) => document.getElementById(mark.getAttribute('href')!.slice(1)) === null).length);
      assert.equal(broken, 0, `${sample}: marks linking nowhere`);
      await page.screenshot({ path: path.join(SHOTS, `${sample}.png`) });
      const first = await page.$('article.incident');
      if (first) await first.screenshot({ path: path.join(SHOTS, `${sample}-incident.png`) });
    });
  }

  it('is walked by keyboard: Tab reaches the skip link first, then shows a focus ring on the links', async () => {
    await page.goto(pathToFileURL(path.join(SHOTS, `${samples.find((s) => s.startsWith('05-')) ?? samples[0]}.html`)).href);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => location.hash), '#incidents');
    let mark = false;
    for (let n = 0; n < 40 && !mark; n++) {
      await page.keyboard.press('Tab');
      mark = await page.evaluate(() => document.activeElement?.classList.contains('mark') === true);
    }
    assert.ok(mark, 'a timeline mark is reached with Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.equal(outline, 'solid', 'the focused mark shows its focus ring');
  });
});
