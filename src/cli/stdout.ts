/** What reaches the terminal: the report's text made safe to show, and what a failed write means. */
import { fstatSync, readFileSync, statSync } from 'node:fs';
import type { OutputFormat } from '../report/event-writer.js';
import { EXIT } from './exit.js';
import { escapeControls, escapeJsonControls, holdsJsonControls } from '../report/output.js';

/**
 * The report's text as written: a table's control characters visible (a log line's escape
 * sequences must not act on the reader's terminal), JSON's C1 codes as its own \u escapes (the
 * same values). CSV is data: changed only when it goes to a terminal.
 */
export function safeReportText(format: OutputFormat, text: string, toTerminal = process.stdout.isTTY === true): string {
  if (format === 'table' || (format === 'csv' && toTerminal)) return escapeControls(text, true);
  if (isJsonFormat(format)) return escapeJsonControls(text);
  return text;
}

function isJsonFormat(format: OutputFormat): boolean {
  return format === 'json' || format === 'ndjson' || format === 'ecs';
}

/** Writes the report's text as safeReportText makes it. */
export function writeReportText(format: OutputFormat, text: string, stream: ReportStream = process.stdout): boolean {
  if (isJsonFormat(format)) {
    // Encoded once, here (its write would encode it anyway), and searched as bytes.
    const bytes = Buffer.allocUnsafe(3 * text.length);
    return writeJsonBytes(bytes.subarray(0, bytes.write(text, 'utf8')), stream);
  }
  return stream.write(safeReportText(format, text, stream.isTTY === true));
}

/**
 * Writes JSON text's UTF-8 bytes as safeReportText makes the text: a search of the bytes finds
 * what is to escape (a regexp over tens of MB of text costs several times more), and most reports
 * have nothing.
 */
export function writeJsonBytes(bytes: Buffer, stream: ReportStream = process.stdout): boolean {
  if (!holdsJsonControls(bytes)) return stream.write(bytes);
  return stream.write(escapeJsonControls(bytes.toString('utf8')));
}

type ReportStream = Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;

/**
 * A write to stdout failed: the report is lost, so the exit code says so (2), never 0. A reader that
 * stopped early (`| head`, EPIPE) chose to: no message. A full disk or a closed stdout: one line.
 */
export function onStdoutError(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') process.stderr.write(`whoreset: cannot write the report to standard output (${error.code ?? error.message}): the report is incomplete\n`);
  process.exit(EXIT.outputLost);
}

/**
 * Whether stdout was closed when we started (`>&-`): Node then opens /dev/null read-write in its
 * place, where a shell's `> /dev/null` opens it write-only. Linux only (/proc); elsewhere, false.
 */
export function stdoutWasClosed(): boolean {
  try {
    const flags = /^flags:\s*(\d+)/m.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'));
    const O_ACCMODE = 3;
    const O_RDWR = 2;
    return flags !== null && (parseInt(flags[1]!, 8) & O_ACCMODE) === O_RDWR && fstatSync(1).rdev === statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}
