/**
 * Classifies an nginx error-log message by the catalog of nginx's own format strings
 * (`nginx-messages.ts`). A template is compiled once into its literal pieces (the text between
 * its `%V`, `%d`, … conversions); a message matches when it starts with the first piece and
 * holds the others in order: indexOf only, no regular expression per line. Templates are found by
 * the message's first word, so a line is compared with the few templates that start alike.
 */
import type { ClosedBy, EventKind } from '../model/event.js';
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
  };
}

function firstWord(text: string): string {
  const space = text.indexOf(' ');
  return space < 0 ? text : text.slice(0, space);
}

const BY_FIRST_WORD = new Map<string, Compiled[]>();
const FLOATING: Compiled[] = [];
for (const c of NGINX_MESSAGES.map(compile)) {
  if (!c.anchored) {
    FLOATING.push(c);
    continue;
  }
  const key = firstWord(c.pieces[0]!);
  const bucket = BY_FIRST_WORD.get(key);
  if (bucket) bucket.push(c);
  else BY_FIRST_WORD.set(key, [c]);
}
for (const bucket of BY_FIRST_WORD.values()) bucket.sort((a, b) => b.weight - a.weight);
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

/** The catalog entry for a message (its part before `, client: …`), or undefined. */
export function findNginxMessage(message: string): NginxMessage | undefined {
  const bucket = BY_FIRST_WORD.get(firstWord(message));
  if (bucket) for (const c of bucket) if (matches(c, message)) return c.entry;
  for (const c of FLOATING) if (matches(c, message)) return c.entry;
  for (const family of NGINX_FAMILIES) if (message.startsWith(family.template)) return family;
  return undefined;
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

export interface NginxLine {
  message: string;
  level: string;
  phase: string | undefined;
  /** The errno's portable name; "" when the call failed without one (end of stream); undefined when unknown. */
  errnoName: string | undefined;
  /** The line names a resolver (`, resolver: …`): a failure of nginx's own DNS lookups. */
  resolver: boolean;
}

const OTHER: NginxVerdict = { kind: 'other' };

/** What one nginx error-log message says happened, and about which end. */
export function classifyNginxLine(line: NginxLine): NginxVerdict {
  const entry = findNginxMessage(line.message);
  if (entry === undefined || entry.kind === 'other') return OTHER;
  const side = entry.side === 'phase' ? sideOf(line.phase, line.level, line.resolver) : entry.side;
  if (side === undefined) return OTHER;
  if (side === 'resolver') return { kind: 'resolver-failed', side, message: entry };
  if (entry.kind === 'by-errno') {
    const name = line.errnoName;
    if (name === undefined) return OTHER;
    const byErrno = side === 'client' || side === 'upstream' ? ERRNO_KINDS[side][name] : ACCEPT_ERRNO_KINDS[name];
    if (byErrno === undefined) return OTHER;
    const [kind, closedBy] = byErrno;
    return closedBy ? { kind, closedBy, side, message: entry } : { kind, side, message: entry };
  }
  const kind = side === 'upstream' && entry.upstreamKind ? entry.upstreamKind : entry.kind;
  const closedBy = entry.closedByPeer ? (side === 'client' ? 'client' : 'server') : entry.closedBy;
  return closedBy ? { kind, closedBy, side, message: entry } : { kind, side, message: entry };
}
