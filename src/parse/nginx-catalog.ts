/**
 * Classifies an nginx error-log message by the catalog of nginx's own format strings
 * (`nginx-messages.ts`). A template is compiled once into its literal pieces (the text between
 * its `%V`, `%d`, … conversions); a message matches when it starts with the first piece and
 * holds the others in order: indexOf only, no regular expression per line. Templates are found by
 * the message's first words, so a line is compared with the few templates that start alike.
 */
import type { ClosedBy, EventKind } from '../model/event.js';
import { errnoName, errnoNameFromText } from '../model/errno.js';
import { isLetter } from './timestamps.js';
import {
  ACCEPT_ERRNO_KINDS,
  ERRNO_KINDS,
  NGINX_ACTIONS,
  NGINX_FAMILIES,
  NGINX_MESSAGES,
  type NginxMessage,
} from './nginx-messages.js';

/** What a message says, and about which end. */
export interface NginxVerdict {
  kind: EventKind;
  closedBy?: ClosedBy;
  /** The end the message speaks about; undefined for a message that is not about a connection. */
  side?: 'client' | 'upstream' | 'nginx' | 'resolver';
  /** The catalog entry that matched. */
  message?: NginxMessage;
}

interface Compiled {
  entry: NginxMessage;
  pieces: readonly string[];
  /** The template starts with a literal: the message must start with pieces[0]. */
  anchored: boolean;
  /** The template ends with a literal: what follows it must be the errno, the action or nothing. */
  closed: boolean;
  /** Literal characters: the more, the more specific. */
  weight: number;
  /** The verdicts made from this entry so far: each is made once, the bulk of a log allocates none. */
  verdicts: NginxVerdict[];
}

// nginx's conversions: %V %s %*s %d %i %ui %uz %z %O %P %l %uA %Xd %04Xi %02xd %03ui (ngx_string.c).
const CONVERSION = /%(?:\*s|\d*[xX]?u?[A-Za-z])/g;
// The `*N ` nginx puts before a message about connection N: the parser takes it as the connId.
const CONNECTION_NUMBER = '*%uA ';

function compile(entry: NginxMessage): Compiled {
  const template = entry.template.startsWith(CONNECTION_NUMBER) ? entry.template.slice(CONNECTION_NUMBER.length) : entry.template;
  const pieces = template.split(CONVERSION).filter((p) => p.length > 0);
  const conversions = [...template.matchAll(CONVERSION)];
  const last = conversions.at(-1);
  return {
    entry,
    pieces,
    anchored: conversions[0]?.index !== 0,
    closed: last === undefined || last.index + last[0].length < template.length,
    weight: pieces.reduce((n, p) => n + p.length, 0),
    verdicts: [],
  };
}

/**
 * A number for a text's first word (its first char and length) or first two words: a key no
 * string is cut or hashed for. Texts that share one are told apart by matching their templates.
 */
function wordKey(text: string, second: boolean): number {
  let end = text.indexOf(' ');
  if (end < 0) end = text.length;
  const first = (text.charCodeAt(0) & 127) * 64 + Math.min(end, 63);
  if (!second) return first;
  let next = text.indexOf(' ', end + 1);
  if (next < 0) next = text.length;
  return (first * 128 + (text.charCodeAt(end + 1) & 127)) * 64 + Math.min(next - end - 1, 63);
}

/**
 * Templates by their first two words where both are literal ("client sent", "upstream prematurely"),
 * else by their first word ("client %V closed …", "exiting"): a busy log's `client … closed
 * keepalive connection` is compared with a handful of templates, not with every `client …` one.
 */
const BY_TWO_WORDS = new Map<number, Compiled[]>();
const BY_FIRST_WORD = new Map<number, Compiled[]>();
const FLOATING: Compiled[] = [];

function file(map: Map<number, Compiled[]>, key: number, c: Compiled): void {
  const bucket = map.get(key);
  if (bucket) bucket.push(c);
  else map.set(key, [c]);
}

for (const c of NGINX_MESSAGES.map(compile)) {
  const first = c.pieces[0]!;
  if (!c.anchored) FLOATING.push(c);
  else if (first.indexOf(' ', first.indexOf(' ') + 1) > 0 && isLetter(first.charCodeAt(first.indexOf(' ') + 1))) file(BY_TWO_WORDS, wordKey(first, true), c);
  else file(BY_FIRST_WORD, wordKey(first, false), c);
}
for (const map of [BY_TWO_WORDS, BY_FIRST_WORD]) for (const bucket of map.values()) bucket.sort((a, b) => b.weight - a.weight);
FLOATING.sort((a, b) => b.weight - a.weight);

/** After a template's last literal nginx writes only its errno, its action or nothing. */
function endsClean(message: string, at: number): boolean {
  return at === message.length || message.startsWith(' (', at) || message.startsWith(' while ', at) || message.startsWith(', ', at);
}

function matches(c: Compiled, message: string): boolean {
  let at = 0;
  for (let i = 0; i < c.pieces.length; i++) {
    const piece = c.pieces[i]!;
    if (i === 0 && c.anchored) {
      if (!message.startsWith(piece)) return false;
      at = piece.length;
    } else {
      const found = message.indexOf(piece, at);
      if (found < 0) return false;
      at = found + piece.length;
    }
  }
  return !c.closed || endsClean(message, at);
}

const COMPILED_FAMILIES = NGINX_FAMILIES.map(compile);

function findCompiled(message: string): Compiled | undefined {
  // Every two-word key's second word starts with a letter: `client 10.0.0.5 …` needs no lookup.
  const pair = isLetter(message.charCodeAt(message.indexOf(' ') + 1)) ? BY_TWO_WORDS.get(wordKey(message, true)) : undefined;
  if (pair) for (const c of pair) if (matches(c, message)) return c;
  const single = BY_FIRST_WORD.get(wordKey(message, false));
  if (single) for (const c of single) if (matches(c, message)) return c;
  for (const c of FLOATING) if (matches(c, message)) return c;
  for (const c of COMPILED_FAMILIES) if (message.startsWith(c.entry.template)) return c;
  return undefined;
}

/** The catalog entry for a message (its part before `, client: …`), or undefined. */
export function findNginxMessage(message: string): NginxMessage | undefined {
  return findCompiled(message)?.entry;
}

/** The `while …` action at the end of a message, when it is one nginx sets. */
export function phaseOf(message: string): string | undefined {
  const at = message.lastIndexOf(' while ');
  if (at < 0) return undefined;
  const action = message.slice(at + 7);
  return Object.hasOwn(NGINX_ACTIONS, action) ? action : undefined;
}

/** The side a client-or-upstream call spoke about: its action, else its level (ngx_connection_error). */
function sideOf(phase: string | undefined, level: string, resolver: boolean): NginxVerdict['side'] {
  if (resolver) return 'resolver';
  const side = phase === undefined ? 'either' : NGINX_ACTIONS[phase]!;
  if (side !== 'either') return side;
  if (level === 'info') return 'client';
  if (level === 'error') return 'upstream';
  return undefined;
}

/** The errno nginx appends to a message: ` (104: Connection reset by peer)`, ` (104)`, Windows ` (10054: An existing …)`. */
export interface Errno {
  errno: number;
  text: string;
}

/** The first ` (N: text)` or ` (N)` of a message, or undefined. */
export function errnoIn(message: string): Errno | undefined {
  for (let open = message.indexOf(' ('); open >= 0; open = message.indexOf(' (', open + 2)) {
    let at = open + 2;
    let errno = 0;
    for (let c = message.charCodeAt(at); c >= 48 && c <= 57 && at < open + 12; c = message.charCodeAt(++at)) errno = errno * 10 + (c - 48);
    if (at === open + 2) continue;
    const after = message.charCodeAt(at);
    if (after === 41 /* ) */) return { errno, text: '' };
    if (after === 58 /* : */) {
      const close = message.indexOf(')', at);
      return { errno, text: message.slice(at + 2, close < 0 ? undefined : close) };
    }
  }
  return undefined;
}

/** The portable name of an errno nginx wrote: by its number, else by its strerror text. */
export function portableErrno(errno: Errno): string | undefined {
  return errnoName(errno.errno) ?? errnoNameFromText(errno.text);
}

/** The errno name an I/O failure is classified by: "" when the call failed without one (end of stream), undefined when unknown. */
function errnoKey(message: string, errno: Errno | undefined): string | undefined {
  if (errno) return portableErrno(errno);
  // OpenSSL's "unexpected eof while reading": the peer closed without close_notify.
  if (message.includes('(SSL:')) return message.includes('unexpected eof') ? '' : undefined;
  return '';
}

/** A message with what nginx wrote around it; its action and errno are read only when the message's template needs them. */
export interface NginxLine {
  message: string;
  level: string;
  /** The line names a resolver (`, resolver: …`): a failure of nginx's own DNS lookups. */
  resolver: boolean;
}

const OTHER: NginxVerdict = { kind: 'other' };

function verdictOf(c: Compiled, side: NonNullable<NginxVerdict['side']>, kind: EventKind, closedBy: ClosedBy | undefined): NginxVerdict {
  for (const v of c.verdicts) if (v.side === side && v.kind === kind && v.closedBy === closedBy) return v;
  const verdict: NginxVerdict = closedBy ? { kind, closedBy, side, message: c.entry } : { kind, side, message: c.entry };
  c.verdicts.push(verdict);
  return verdict;
}

/** What one nginx error-log message says happened, and about which end. */
export function classifyNginxLine(line: NginxLine): NginxVerdict {
  const c = findCompiled(line.message);
  if (c === undefined || c.entry.kind === 'other') return OTHER;
  const entry = c.entry;
  const side = entry.side === 'phase' ? sideOf(phaseOf(line.message), line.level, line.resolver) : entry.side;
  if (side === undefined) return OTHER;
  if (side === 'resolver') return verdictOf(c, side, 'resolver-failed', undefined);
  if (entry.kind === 'by-errno') {
    const name = errnoKey(line.message, errnoIn(line.message));
    if (name === undefined) return OTHER;
    const byErrno = side === 'client' || side === 'upstream' ? ERRNO_KINDS[side][name] : ACCEPT_ERRNO_KINDS[name];
    return byErrno === undefined ? OTHER : verdictOf(c, side, byErrno[0], byErrno[1]);
  }
  const kind = side === 'upstream' && entry.upstreamKind ? entry.upstreamKind : entry.kind;
  const closedBy = entry.closedByPeer ? (side === 'client' ? 'client' : 'server') : entry.closedBy;
  return verdictOf(c, side, kind, closedBy);
}
