/** The terminal report: the summary, then one line per incident within the terminal's width. */
import type { Analysis } from './analysis.js';
import type { BurstVerdict } from '../attribute/burst.js';
import { isoTime } from './event-record.js';
import { clientError, urlOf } from './incident-record.js';
import { requestOf } from '../attribute/advice.js';
import { escapeControls } from './output.js';
import { summaryLines } from './summary.js';
import { explainVerdicts } from './table-explain.js';
import { cutMiddle, shrinkWidest, textWidth } from './table-fit.js';
import { paintVerdict, type TableView } from './table-style.js';

interface Column {
  head: string;
  /** The part of a cell that, when every row has the same, is shown once in the head (`http://127.0.0.1:8080`, `tests/test_api.py`). */
  part?: (cell: string) => string | undefined;
  cell: (v: BurstVerdict) => string;
  /** Cut in the middle to fit; the others are kept whole or the column is dropped. */
  flexible: boolean;
}

/** Below this a cut text no longer says which test or URL it was. */
const MIN_FLEXIBLE = 12;
const GAP = '  ';

/** `23:03:11.426`, the date too when the incidents span more than one day. */
function timeCell(time: number | null, withDate: boolean): string {
  const iso = isoTime(time);
  if (iso === null) return '-';
  return withDate ? `${iso.slice(5, 10)} ${iso.slice(11, 23)}` : iso.slice(11, 23);
}

/** The cause without the verdict it repeats (`server/upstream-reset` under `server` is `upstream-reset`). */
function shortCause(v: BurstVerdict): string {
  return v.cause.startsWith(`${v.attribution}/`) ? v.cause.slice(v.attribution.length + 1) : v.cause;
}

/** `GET http://127.0.0.1:27100/api/export`, from the client's words or the deciding lines; `×13` for a burst. */
function requestCell(v: BurstVerdict): string {
  const method = requestOf(v.incident, v.deciding).method;
  const text = [method, urlOf(v)].filter((part) => part !== undefined && part !== null).join(' ');
  return `${text || '-'}${v.count > 1 ? ` ×${v.count}` : ''}`;
}

/** `http://host:port` of `GET http://host:port/path`. */
function originOf(cell: string): string | undefined {
  return /\b[a-z][a-z0-9+.-]*:\/\/[^/\s]+(?=\/)/.exec(cell)?.[0];
}

/** `tests/test_api.py` of `tests/test_api.py::test_x`. */
function testFileOf(cell: string): string | undefined {
  const end = cell.indexOf('::');
  return end > 0 ? cell.slice(0, end) : undefined;
}

/** The part every row names (`-`: the row names nothing), when there are two rows or more. */
function sharedPart(cells: readonly string[], partOf: (cell: string) => string | undefined): string | undefined {
  const named = cells.filter((cell) => cell !== '-');
  const parts = named.map(partOf);
  return named.length >= 2 && parts.every((part) => part !== undefined && part === parts[0]) ? parts[0] : undefined;
}

/** Columns, and the order they are given up in when even cut ones do not fit: the counts, the error, the time. */
function columns(verdicts: readonly BurstVerdict[]): Column[] {
  const days = new Set(verdicts.map((v) => isoTime(v.incident.time)?.slice(0, 10)).filter((d) => d !== undefined));
  return [
    { head: 'id', cell: (v) => v.incident.id, flexible: false },
    { head: 'time (UTC)', cell: (v) => timeCell(v.incident.time, days.size > 1), flexible: false },
    { head: 'verdict', cell: (v) => v.attribution, flexible: false },
    { head: 'cause', cell: shortCause, flexible: true },
    { head: 'test', cell: (v) => v.incident.test ?? '-', flexible: true, part: testFileOf },
    { head: 'request', cell: requestCell, flexible: true, part: originOf },
    { head: 'client error', cell: clientError, flexible: true },
    { head: 'conf.', cell: (v) => v.confidence.toFixed(2), flexible: false },
    { head: 'evid.', cell: (v) => String(v.incident.records.length + v.evidence.length), flexible: false },
  ];
}
const DROP_ORDER = ['evid.', 'conf.', 'client error', 'time (UTC)', 'cause'];
/** Of a flexible column's natural width, what a cut must leave before a less needed column is dropped instead. */
const KEPT_AT_LEAST = 0.6;

/** The column widths that fit `width`, and the columns kept; cells are escaped already. */
function layout(cols: Column[], rows: string[][], width: number): { keep: number[]; widths: number[] } {
  let keep = cols.map((_, i) => i);
  for (const drop of [undefined, ...DROP_ORDER]) {
    if (drop !== undefined) keep = keep.filter((i) => cols[i]!.head !== drop);
    // A head's shared part is cut before a row is: the rows and the head's first word set the width.
    const natural = keep.map((i) => Math.max(textWidth(cols[i]!.head.split(' (')[0]!), ...rows.map((row) => textWidth(row[i]!))));
    const fixed = keep.reduce((sum, i, k) => sum + (cols[i]!.flexible ? 0 : natural[k]!), 0) + GAP.length * (keep.length - 1);
    const flex = keep.map((i, k) => (cols[i]!.flexible ? natural[k]! : 0)).filter((_, k) => cols[keep[k]!]!.flexible);
    const room = width - fixed;
    const minimum = flex.reduce((sum, w) => sum + Math.min(w, MIN_FLEXIBLE), 0);
    const last = drop === DROP_ORDER.at(-1);
    if (minimum > room && !last) continue;
    const shrunk = shrinkWidest(flex, Math.max(room, 0), MIN_FLEXIBLE);
    // A text cut to little more than half of itself hardly says which: a less needed column goes first.
    if (!last && shrunk.some((w, k) => w < flex[k]! * KEPT_AT_LEAST)) continue;
    let f = 0;
    const widths = keep.map((i, k) => (cols[i]!.flexible ? shrunk[f++]! : natural[k]!));
    // Room left over goes to heads that name a shared part, so that part shows whole where it can.
    let spare = width - widths.reduce((a, b) => a + b, 0) - GAP.length * (keep.length - 1);
    for (const [k, i] of keep.entries()) {
      const grow = Math.min(Math.max(0, spare), textWidth(cols[i]!.head) - widths[k]!);
      if (grow > 0) [widths[k], spare] = [widths[k]! + grow, spare - grow];
    }
    return { keep, widths };
  }
  throw new Error('unreachable: the last layout is always returned');
}

/** The incidents' table: a header and one line per incident, no wider than the view. */
export function incidentTable(verdicts: readonly BurstVerdict[], view: TableView): string[] {
  const cols = columns(verdicts);
  // Escaped before measuring: a log's control character shows as \x1b, four columns wide.
  const rows = verdicts.map((v) => cols.map((c) => escapeControls(c.cell(v), false)));
  // A prefix every row shares (one server, one test file) is said once in the head: the rows keep what differs.
  for (const [i, col] of cols.entries()) {
    const shared = col.part && sharedPart(rows.map((row) => row[i]!), col.part);
    if (shared === undefined) continue;
    for (const row of rows) row[i] = row[i]!.replace(shared, '');
    cols[i] = { ...col, head: `${col.head} (${shared})` };
  }
  const { keep, widths } = layout(cols, rows, view.width);
  const line = (cells: string[], v?: BurstVerdict) =>
    keep
      .map((i, k) => {
        const text = cutMiddle(cells[i]!, widths[k]!);
        const padded = k === keep.length - 1 ? text : text + ' '.repeat(Math.max(0, widths[k]! - textWidth(text)));
        return v && cols[i]!.head === 'verdict' ? paintVerdict(padded, v.attribution, view) : padded;
      })
      .join(GAP)
      .trimEnd();
  return [line(cols.map((c) => c.head)), ...verdicts.map((v, r) => line(rows[r]!, v))];
}

/** The whole terminal report: summary, table, clock corrections, then --explain's detail or a hint. */
export function renderTable(analysis: Analysis, explain: boolean, view: TableView): string {
  const lines: string[] = [];
  if (analysis.verdicts.length === 0) {
    lines.push(`No connection failures found in ${analysis.filesRead} file(s).`);
  } else {
    lines.push(...summaryLines(analysis.verdicts, analysis.filesRead, view), '', ...incidentTable(analysis.verdicts, view));
  }
  for (const clock of analysis.clock) if (clock.offset) lines.push(escapeControls(clock.text, false));
  if (explain) lines.push(...explainVerdicts(analysis.verdicts, analysis.rules, view));
  else if (analysis.verdicts.length > 0) lines.push('Run with --explain for the evidence, the deciding rule and the next steps.');
  return lines.join('\n') + '\n';
}
