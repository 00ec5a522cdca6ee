import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { analyze, DEFAULT_WINDOW_MS, type Analysis } from '../../src/analyze.js';
import { loadRules } from '../../src/attribute/load.js';
import { evidenceItems } from '../../src/report/incident-record.js';
import { xlsxBytes } from '../../src/report/xlsx.js';
import { REPO, runCli } from '../helpers.js';

async function analysisOf(sample: string): Promise<Analysis> {
  return analyze({ dir: path.join(REPO, 'samples', sample), include: [], exclude: [], zones: new Map(), windowMs: DEFAULT_WINDOW_MS, rules: await loadRules([]) });
}

async function readBack(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

/**
 * A sheet's links to cells, read from its XML: exceljs reads no link that has only a location, and
 * one with a relationship too is what xlsx.ts must not write (LibreOffice opens it as a file).
 */
async function internalLinks(bytes: Buffer, sheet: string): Promise<Map<string, string>> {
  const xml = await (await JSZip.loadAsync(bytes)).file(sheet)!.async('string');
  const links = new Map<string, string>();
  for (const [element] of xml.matchAll(/<hyperlink [^>]*\/>/g)) {
    assert.doesNotMatch(element, /r:id=/, 'a link to a cell has no relationship to a file');
    links.set(/ref="([^"]+)"/.exec(element)![1]!, /location="([^"]+)"/.exec(element)![1]!);
  }
  return links;
}

/** The header row's names → column numbers. */
function columnsOf(sheet: ExcelJS.Worksheet): Map<string, number> {
  const columns = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, n) => columns.set(String(cell.value), n));
  return columns;
}

describe('xlsx', () => {
  for (const sample of ['12-firewall-reset', '29-busy-same-second', '16-stale-keepalive']) {
    it(`reads back with typed cells, a frozen filtered header and linked events: samples/${sample}`, async () => {
      const analysis = await analysisOf(sample);
      const bytes = await xlsxBytes(analysis);
      const workbook = await readBack(bytes);
      const links = await internalLinks(bytes, 'xl/worksheets/sheet2.xml');
      assert.deepEqual(workbook.worksheets.map((s) => s.name), ['incidents', 'events']);
      const [incidents, events] = workbook.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet];
      for (const sheet of [incidents, events]) {
        assert.equal(sheet.views[0]?.state, 'frozen');
        assert.equal((sheet.views[0] as ExcelJS.WorksheetViewFrozen).ySplit, 1);
        assert.ok(sheet.autoFilter, `${sheet.name}: auto-filter`);
        assert.ok(sheet.columns.every((c) => (c.width ?? 0) >= 6), `${sheet.name}: widths set`);
      }
      assert.equal(incidents.rowCount, analysis.verdicts.length + 1);
      const inc = columnsOf(incidents);
      for (const [k, v] of analysis.verdicts.entries()) {
        const row = incidents.getRow(k + 2);
        assert.equal(row.getCell(inc.get('id')!).value, v.incident.id);
        const time = row.getCell(inc.get('timeUtc')!);
        if (v.incident.time === null) assert.equal(time.value, null);
        else {
          assert.ok(time.value instanceof Date, `${v.incident.id}: a date cell`);
          assert.equal((time.value as Date).getTime(), v.incident.time);
          assert.match(time.numFmt, /^yyyy-mm-dd hh:mm:ss\.000$/);
        }
        assert.equal(row.getCell(inc.get('confidence')!).type, ExcelJS.ValueType.Number);
        assert.equal(row.getCell(inc.get('attribution')!).value, v.attribution);
      }
      const items = analysis.verdicts.flatMap((v) => evidenceItems(v).map((item) => ({ v, item })));
      assert.equal(events.rowCount, items.length + 1);
      const ev = columnsOf(events);
      for (const [k, { v, item }] of items.entries()) {
        const row = events.getRow(k + 2);
        const cell = row.getCell(ev.get('incident')!);
        assert.equal(cell.text, v.incident.id);
        const target = links.get(cell.address) ?? '';
        assert.ok(target?.startsWith('incidents!'), `${cell.address} links into the incidents sheet: ${target}`);
        assert.equal(incidents.getCell(target.slice('incidents!'.length)).value, v.incident.id, `event row ${k + 2} links to its incident's row`);
        const time = row.getCell(ev.get('timeUtc')!).value;
        assert.equal(time instanceof Date ? time.getTime() : time, item.event.time);
        assert.equal(row.getCell(ev.get('dt')!).value, item.dt);
        assert.equal(row.getCell(ev.get('line')!).type, ExcelJS.ValueType.Number);
        assert.equal(row.getCell(ev.get('decisive')!).value, item.decisive);
        assert.equal(row.getCell(ev.get('link')!).value, item.join?.link ?? null);
      }
      assert.ok(items.some(({ item }) => item.decisive), 'a deciding line to check');
    });
  }

  it('writes the same bytes for the same analysis (no time of writing inside)', async () => {
    const analysis = await analysisOf('05-upstream-reset');
    const first = await xlsxBytes(analysis);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    assert.ok(first.equals(await xlsxBytes(analysis)));
  });

  it('is written by the CLI to a file, and refused with --events', async () => {
    const result = await runCli(['samples/05-upstream-reset', '--format', 'xlsx', '--events']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--events writes rows/);
  });
});
