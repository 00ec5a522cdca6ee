/**
 * `npm run check:spreadsheet [sample dir]`: opens whoreset's CSV and XLSX in headless LibreOffice
 * and checks the type LibreOffice gives each cell: times are dates, dt/line/confidence numbers,
 * decisive booleans, event rows linked to their incident. LibreOffice converts each file to flat
 * ODS (XML), whose cells name their own type. Needs `soffice` (apt-get install -y libreoffice-calc);
 * not part of `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = path.join(REPO, 'dist/src/cli/main.js');
/**
 * LibreOffice's CSV filter options: comma, double quote, UTF-8 (76), from line 1, no column types,
 * English (1033), quoted fields not forced to text, "Detect special numbers" on (token 8; with it
 * off LibreOffice imports everything but plain decimals as text, whatever their form).
 */
const CSV_FILTER = 'CSV:44,34,76,1,,1033,false,true';

type CellType = 'string' | 'float' | 'date' | 'boolean' | 'percentage' | 'currency' | 'time' | 'empty';

interface Cell {
  type: CellType;
  /** A link to a cell of the workbook. */
  linked: boolean;
}

/** The sheets of a flat ODS file: rows of typed cells (repeated cells and rows expanded, trailing empties dropped). */
function sheetsOf(fods: string): Map<string, Cell[][]> {
  const sheets = new Map<string, Cell[][]>();
  for (const table of fods.matchAll(/<table:table table:name="([^"]*)"[^>]*>([\s\S]*?)<\/table:table>/g)) {
    const rows: Cell[][] = [];
    for (const row of table[2]!.matchAll(/<table:table-row([^>]*?)(?:\/>|>([\s\S]*?)<\/table:table-row>)/g)) {
      const cells: Cell[] = [];
      for (const cell of (row[2] ?? '').matchAll(/<table:(?:covered-)?table-cell([^>]*?)(?:\/>|>([\s\S]*?)<\/table:(?:covered-)?table-cell>)/g)) {
        const attributes = cell[1]!;
        const formula = /table:formula="of:=(TRUE|FALSE)\(\)"/.exec(attributes);
        const type = (formula ? 'boolean' : (/office:value-type="(\w+)"/.exec(attributes)?.[1] ?? 'empty')) as CellType;
        const repeat = Math.min(Number(/table:number-columns-repeated="(\d+)"/.exec(attributes)?.[1] ?? 1), 1024);
        // A link within the workbook is `#sheet.A2`; one LibreOffice reads as a file's is not counted.
        const linked = /<text:a xlink:href="#[^"]+"/.test(cell[2] ?? '');
        for (let k = 0; k < repeat; k++) cells.push({ type, linked });
      }
      while (cells.length > 0 && cells[cells.length - 1]!.type === 'empty') cells.pop();
      if (cells.length > 0) rows.push(cells);
    }
    sheets.set(table[1]!, rows);
  }
  return sheets;
}

/** A column must hold this type in every data row where it is not empty, and in at least one. */
interface Expectation {
  column: string;
  type: CellType;
  /** Every data row's cell links to a cell of the workbook (an event's incident). */
  linked?: boolean;
}

const INCIDENT_COLUMNS: Expectation[] = [
  { column: 'timeUtc', type: 'date' },
  { column: 'confidence', type: 'float' },
  { column: 'evidenceCount', type: 'float' },
];
const EVENT_COLUMNS: Expectation[] = [
  { column: 'timeUtc', type: 'date' },
  { column: 'line', type: 'float' },
  { column: 'dt', type: 'float' },
  { column: 'decisive', type: 'boolean' },
];

function check(label: string, rows: Cell[][] | undefined, header: string[], expectations: readonly Expectation[]): boolean {
  if (rows === undefined || rows.length < 2) {
    console.log(`${label}: FAIL no data rows`);
    return false;
  }
  let ok = true;
  for (const want of expectations) {
    const index = header.indexOf(want.column);
    const cells = rows.slice(1).map((row) => row[index] ?? { type: 'empty' as const, linked: false });
    const counts = new Map<string, number>();
    for (const cell of cells) counts.set(cell.type, (counts.get(cell.type) ?? 0) + 1);
    const wrong = cells.filter((cell) => cell.type !== want.type && cell.type !== 'empty').length;
    const links = cells.filter((cell) => cell.linked).length;
    const pass = index >= 0 && wrong === 0 && (counts.get(want.type) ?? 0) > 0 && (!want.linked || links === cells.length);
    ok &&= pass;
    const seen = [...counts].map(([type, n]) => `${type} ${n}`).join(', ');
    console.log(`${label} ${want.column}: ${seen}${want.linked ? `, linked ${links}` : ''} — want ${want.type}${want.linked ? ', linked' : ''}: ${pass ? 'ok' : 'FAIL'}`);
  }
  return ok;
}

/** The header row's texts, from the fods XML of its first row (LibreOffice writes them as text:p). */
function headerOf(fods: string, sheet: string): string[] {
  const table = new RegExp(`<table:table table:name="${sheet}"[^>]*>([\\s\\S]*?)</table:table-row>`).exec(fods)![1]!;
  return [...table.matchAll(/<table:table-cell[^>]*>\s*<text:p>([^<]*)<\/text:p>/g)].map((m) => m[1]!.trim());
}

function convert(dir: string, files: readonly string[], filter?: string): void {
  const profile = `file://${path.join(dir, 'profile')}`;
  execFileSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=${profile}`, ...(filter ? [`--infilter=${filter}`] : []), '--convert-to', 'fods', '--outdir', path.join(dir, 'out'), ...files], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
}

function main(): number {
  const sample = path.resolve(process.argv[2] ?? path.join(REPO, 'samples/12-firewall-reset'));
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore' });
  } catch {
    console.error('check:spreadsheet: soffice not found: install LibreOffice Calc (apt-get install -y libreoffice-calc)');
    return 2;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'whoreset-spreadsheet-'));
  try {
    const whoreset = (args: string[]) => execFileSync(process.execPath, [CLI, sample, ...args], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 });
    writeFileSync(path.join(dir, 'incidents.csv'), whoreset(['--format', 'csv']));
    writeFileSync(path.join(dir, 'events.csv'), whoreset(['--events', '--format', 'csv', '--bom']));
    writeFileSync(path.join(dir, 'report.xlsx'), whoreset(['--format', 'xlsx']));
    console.log(`check:spreadsheet: ${path.relative(REPO, sample) || sample} in ${execFileSync('soffice', ['--version']).toString().trim()}`);
    convert(dir, [path.join(dir, 'incidents.csv'), path.join(dir, 'events.csv')], CSV_FILTER);
    convert(dir, [path.join(dir, 'report.xlsx')]);
    const read = (name: string) => readFileSync(path.join(dir, 'out', name), 'utf8');
    const [incidentsCsv, eventsCsv, workbook] = [read('incidents.fods'), read('events.fods'), read('report.fods')];
    let ok = true;
    // LibreOffice names a CSV's one sheet after the file.
    ok = check('incidents.csv', sheetsOf(incidentsCsv).get('incidents'), headerOf(incidentsCsv, 'incidents'), INCIDENT_COLUMNS) && ok;
    const eventsHeader = headerOf(eventsCsv, 'events');
    ok = check('events.csv (--bom)', sheetsOf(eventsCsv).get('events'), eventsHeader, EVENT_COLUMNS) && ok;
    if (eventsHeader[0] !== 'incident') {
      console.log(`events.csv (--bom): FAIL the first header reads ${JSON.stringify(eventsHeader[0])}, not "incident" (the BOM leaked into it)`);
      ok = false;
    }
    const sheets = sheetsOf(workbook);
    ok = check('report.xlsx incidents', sheets.get('incidents'), headerOf(workbook, 'incidents'), [...INCIDENT_COLUMNS, { column: 'count', type: 'float' }]) && ok;
    ok = check('report.xlsx events', sheets.get('events'), headerOf(workbook, 'events'), [...EVENT_COLUMNS, { column: 'incident', type: 'string', linked: true }]) && ok;
    console.log(ok ? 'check:spreadsheet: every column has the type it should' : 'check:spreadsheet: FAILED');
    return ok ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
