import type { Attribution } from '../attribute/rule.js';

/** No colour codes in cli-table3's frames: tables are pasted into CI logs and tickets as often as they are read live. */
export const PLAIN_STYLE = { head: [] as string[], border: [] as string[] };

/** How a terminal report is laid out: its width in columns and whether it may colour. */
export interface TableView {
  width: number;
  colour: boolean;
}

/** Where the width is not known (a pipe, a file): wide enough for a line per incident, narrow enough for a CI log viewer. */
export const DEFAULT_WIDTH = 120;

/**
 * Colour on a terminal, never in a pipe, unless the environment says otherwise. FORCE_COLOR wins and
 * colours a pipe too (`0` or `false`: never), as Node and the force-color.org convention read it;
 * then NO_COLOR when present and not empty (no-color.org), NODE_DISABLE_COLORS and TERM=dumb.
 */
export function wantsColour(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (!isTTY) return false;
  if ((env['NO_COLOR'] ?? '') !== '' || env['NODE_DISABLE_COLORS'] !== undefined) return false;
  return env['TERM'] !== 'dumb';
}

/** The view of stdout: its columns on a terminal (COLUMNS otherwise, then DEFAULT_WIDTH). */
export function stdoutView(stream: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): TableView {
  const fromEnv = Number(env['COLUMNS']);
  const width = stream.isTTY && stream.columns ? stream.columns : Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_WIDTH;
  return { width: Math.max(40, width), colour: wantsColour(stream.isTTY === true, env) };
}

/** SGR codes: red for the server, magenta for a proxy or firewall, yellow for the client, cyan for the network, dim for unknown. */
const VERDICT_SGR: Record<Attribution, string> = { server: '31', 'proxy-firewall': '35', client: '33', network: '36', unknown: '2' };

export function paint(text: string, sgr: string, view: TableView): string {
  return view.colour ? `\x1b[${sgr}m${text}\x1b[0m` : text;
}

export function paintVerdict(text: string, attribution: Attribution, view: TableView): string {
  return paint(text, VERDICT_SGR[attribution], view);
}

/** Bold: the line that decided the verdict. */
export function paintDeciding(text: string, view: TableView): string {
  return paint(text, '1', view);
}
