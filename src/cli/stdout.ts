/** What reaches the terminal: the report's text made safe to show, and what a failed write means. */
import { fstatSync, readFileSync, statSync } from 'node:fs';
import type { OutputFormat } from '../report/event-writer.js';
import { EXIT } from './exit.js';
import { escapeControls, escapeJsonControls } from '../report/output.js';

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

/** A character past ASCII, or DEL: what escapeJsonControls looks for is among them. */
const BEYOND_ASCII = /[^\x00-\x7e]/;

/** Writes the report's text as safeReportText makes it. */
export function writeReportText(format: OutputFormat, text: string, stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> = process.stdout): boolean {
  const toTerminal = stream.isTTY === true;
  // A report is mostly ASCII: then JSON has nothing to escape, and the bytes of such text are its
  // Latin-1 ones (a copy, where UTF-8 is an encoding pass over tens of MB).
  const asIs = isJsonFormat(format) || (format === 'csv' && !toTerminal);
  if (asIs && !BEYOND_ASCII.test(text)) return stream.write(text, 'latin1');
  return stream.write(safeReportText(format, text, toTerminal));
}

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
