/** npm's error block (`npm ERR! code ECONNRESET`, `npm error network request to … failed, reason: …`). */
import { addressesIn, classifyFailure, mayNameFailure } from '../failure-text.js';
import { errnoFields, leadingTime, type Clock, type Emit, type Fields } from './common.js';

const NPM_LINE = /^npm (?:ERR!|error) (.*)$/;

export interface NpmRecord {
  no: number;
  head: string;
  clock: Clock;
  code?: string;
  network?: string;
  lines: number;
}

/** An npm error line: `{ record }` when it opens a block worth folding, `{}` for any other npm line, undefined for no npm line. */
export function startNpm(text: string, no: number, prefixTime: number | undefined): { record?: NpmRecord } | undefined {
  const m = NPM_LINE.exec(text);
  if (!m) return undefined;
  const body = m[1]!;
  const code = /^code (\S+)/.exec(body);
  const network = body.startsWith('network ') && mayNameFailure(body) ? body.slice(8) : undefined;
  if (!code && !network) return {};
  return { record: { no, head: text, clock: leadingTime(text, prefixTime), code: code?.[1], network, lines: 1 } };
}

/** Whether the line continues the block; its code and first network line are kept. */
export function continueNpm(r: NpmRecord, text: string): boolean {
  const m = NPM_LINE.exec(text);
  if (!m) return false;
  r.lines++;
  const body = m[1]!;
  const code = /^code (\S+)/.exec(body);
  if (code) r.code = code[1];
  else if (body.startsWith('network ') && r.network === undefined && mayNameFailure(body) && !/^network (?:This|and|In most|If you|'proxy')/.test(body)) {
    r.network = body.slice(8);
  }
  return true;
}

/** The block's failure, emitted, where its code or network line names one. */
export function flushNpm(r: NpmRecord, emit: Emit): void {
  const text = r.network ?? r.code ?? '';
  const meaning = classifyFailure(text) ?? (r.code ? classifyFailure(r.code) : undefined);
  if (!meaning) return;
  const fields: Fields = { exception: r.code ? `npm ERR! code ${r.code}` : undefined, message: r.network };
  errnoFields(text, meaning, fields);
  addressesIn(text, fields);
  emit('node', meaning.kind, r.no, r.network ? `npm ERR! network ${r.network}` : r.head, r.clock, fields);
}
