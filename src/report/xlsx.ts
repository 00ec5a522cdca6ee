import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Analysis } from './analysis.js';
import { TIME_UTC_HEADER } from './event-record.js';
import { clientError, evidenceItems, urlOf } from './incident-record.js';
import { laneOf } from './lane.js';
import { escapeControls } from './output.js';

type CellValue = string | number | boolean | Date | null | ExcelJS.CellHyperlinkValue;

interface Column {
  header: string;
  width: number;
  numFmt?: string;
}

const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss.000';
/** The most characters a cell holds in Excel. */
const CELL_MAX = 32_767;
/** The workbook's and its zip entries' date: a fixed one, so the same analysis gives the same bytes. */
const FIXED_DATE = new Date(Date.UTC(1980, 0, 1));

// exceljs leaves out a column of width 9 (its default), so no width here is 9.
const INCIDENT_COLUMNS: readonly Column[] = [
  { header: 'id', width: 7 },
  { header: TIME_UTC_HEADER, width: 24, numFmt: DATE_FORMAT },
  { header: 'timeQuality', width: 12 },
  { header: 'test', width: 40 },
  { header: 'clientError', width: 44 },
  { header: 'errnoName', width: 13 },
  { header: 'method', width: 8 },
  { header: 'url', width: 40 },
  { header: 'attribution', width: 15 },
  { header: 'cause', width: 30 },
  { header: 'ruleId', width: 30 },
  { header: 'confidence', width: 11, numFmt: '0.00' },
  { header: 'count', width: 7 },
  { header: 'evidenceCount', width: 10 },
  { header: 'advice', width: 80 },
  { header: 'reasons', width: 60 },
];

const EVENT_COLUMNS: readonly Column[] = [
  { header: 'incident', width: 10 },
  { header: TIME_UTC_HEADER, width: 24, numFmt: DATE_FORMAT },
  { header: 'dt', width: 10, numFmt: '+0.000;-0.000;0' },
  { header: 'lane', width: 10 },
  { header: 'source', width: 13 },
  { header: 'kind', width: 22 },
  { header: 'timeQuality', width: 12 },
  { header: 'file', width: 26 },
  { header: 'line', width: 7 },
  { header: 'link', width: 11 },
  { header: 'tie', width: 34 },
  { header: 'decisive', width: 10 },
  { header: 'method', width: 8 },
  { header: 'path', width: 28 },
  { header: 'status', width: 7 },
  { header: 'errnoName', width: 13 },
  { header: 'excerpt', width: 100 },
];

/** Log text as a cell holds it: control characters visible (XML cannot carry most of them), cut to Excel's limit. */
function text(value: string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  return escapeControls(value, false).replace(/[\ufffe\uffff]/g, '\ufffd').slice(0, CELL_MAX);
}

function date(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

function sheet(workbook: ExcelJS.Workbook, name: string, columns: readonly Column[], rows: Iterable<CellValue[]>): void {
  const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(row);
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

/** The workbook: an incidents sheet and an events sheet whose rows link to their incident's row. */
export function xlsxWorkbook(analysis: Analysis): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'whoreset';
  workbook.created = FIXED_DATE;
  workbook.modified = FIXED_DATE;
  const verdicts = analysis.verdicts;
  sheet(
    workbook,
    'incidents',
    INCIDENT_COLUMNS,
    verdicts.map((v) => {
      const i = v.incident;
      return [
        i.id,
        date(i.time),
        i.timeQuality,
        text(i.test),
        text(clientError(v)),
        i.anchor.errnoName ?? null,
        text(i.method),
        text(urlOf(v)),
        v.attribution,
        v.cause,
        v.ruleId,
        v.confidence,
        v.count,
        i.records.length + v.evidence.length,
        text(v.advice.join('\n')),
        text(v.reasons.join('\n')),
      ];
    }),
  );
  function* events(): Iterable<CellValue[]> {
    for (const [index, v] of verdicts.entries()) {
      const incident = v.incident.id;
      for (const { event, dt, join, decisive } of evidenceItems(v)) {
        yield [
          { text: incident, hyperlink: `incidents!A${index + 2}`, tooltip: `incident ${incident} on the incidents sheet` },
          date(event.time),
          dt,
          laneOf(event.source, analysis.sides),
          event.source,
          event.kind,
          event.timeQuality,
          text(event.file),
          event.line,
          join?.link ?? null,
          text(join?.tie),
          decisive,
          text(event.method),
          text(event.path),
          event.status ?? null,
          event.errnoName ?? null,
          text(event.excerpt),
        ];
      }
    }
  }
  sheet(workbook, 'events', EVENT_COLUMNS, events());
  return workbook;
}

/**
 * Sets every entry's DOS date and time in a zip to 1980-01-01 00:00 (the zip library stamps the
 * time of writing): found through the central directory, whose records say where each local one is.
 */
export function fixZipTimes(zip: Buffer): Buffer {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('xlsx.ts: the workbook is not a zip (no end of central directory)');
  const DOS_DATE_1980 = 0x21;
  let p = zip.readUInt32LE(end + 16);
  for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('xlsx.ts: a broken central directory');
    zip.writeUInt32LE(DOS_DATE_1980 << 16, p + 12);
    const local = zip.readUInt32LE(p + 42);
    zip.writeUInt32LE(DOS_DATE_1980 << 16, local + 10);
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return zip;
}

/**
 * exceljs writes a link to a cell with both its `location` and a relationship to an external file
 * named like the cell ("incidents!A2"), which LibreOffice and WPS then open as a file
 * (exceljs/exceljs#1893); a link with its location alone goes to the cell, in Excel too.
 */
export async function internalLinksOnly(bytes: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))) {
    const dropped = new Set<string>();
    const sheet = (await zip.file(name)!.async('string')).replace(/<hyperlink ([^>]*?) r:id="([^"]+)"([^>]*? location="[^"]*"[^>]*)\/>/g, (_all, before: string, id: string, after: string) => {
      dropped.add(id);
      return `<hyperlink ${before}${after}/>`;
    });
    if (dropped.size === 0) continue;
    zip.file(name, sheet);
    const relsName = name.replace(/sheet(\d+)\.xml$/, '_rels/sheet$1.xml.rels');
    const rels = await zip.file(relsName)?.async('string');
    if (rels !== undefined) zip.file(relsName, rels.replace(/<Relationship Id="([^"]+)"[^>]*\/>/g, (relation: string, id: string) => (dropped.has(id) ? '' : relation)));
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** `--format xlsx`: the workbook's bytes, the same for the same analysis. */
export async function xlsxBytes(analysis: Analysis): Promise<Buffer> {
  return fixZipTimes(await internalLinksOnly(Buffer.from(await xlsxWorkbook(analysis).xlsx.writeBuffer())));
}

export async function writeXlsx(analysis: Analysis, stream: NodeJS.WritableStream): Promise<void> {
  const bytes = await xlsxBytes(analysis);
  await new Promise<void>((resolve) => stream.write(bytes, () => resolve()));
}
