/** Clients whose failure is one line: Python httpx/aiohttp, Go net/http, Rust reqwest/hyper. */
import { errnoName as errnoNameOf } from '../../model/errno.js';
import type { EventKind, Source } from '../../model/event.js';
import { addressesIn, classifyFailure } from '../failure-text.js';
import { errnoFields, type Clock, type Emit, type Fields } from './common.js';

/** Method names as Go writes them in `Get "url": …`. */
const GO_METHODS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Delete: 'DELETE', Patch: 'PATCH', Head: 'HEAD', Options: 'OPTIONS' };
const GO_REQUEST = /\b(Get|Post|Put|Delete|Patch|Head|Options) "?(https?:\/\/[^"\s]+)"?: (.+)$/;
const GO_SIGNATURE = /\b(?:read|write|dial) (?:tcp|udp|unix)[46]?\b|net\/http: |http: server closed idle connection|proxyconnect tcp/;
const RUST_SIGNATURE = /error sending request for url|reqwest::Error|hyper::Error|hyper_util::|error trying to connect|\(os error \d+\)/;
const PY_CLIENT = /^(?:[\w.]*\.)?((?:httpx|httpcore)\.\w+|aiohttp\.client_exceptions\.\w+|(?:ServerDisconnectedError|ClientOSError|ClientConnectorError|ClientConnectorSSLError|ClientPayloadError|ServerTimeoutError|ClientConnectionError))(?::\s*(.*))?$/;

/** Emits the failure a one-line client's text names; returns what it emitted, or undefined. */
export function readOneLine(text: string, no: number, clock: Clock, emit: Emit): { source: Source; kind: EventKind } | undefined {
  // Python httpx / aiohttp exception lines.
  const py = PY_CLIENT.exec(text.trimStart());
  if (py) {
    const meaning = classifyFailure(text);
    if (meaning) {
      const fields: Fields = { exception: text.trimStart().split(':')[0] };
      errnoFields(text, meaning, fields);
      addressesIn(text, fields);
      emit('client', meaning.kind, no, text, clock, fields);
      return { source: 'client', kind: meaning.kind };
    }
  }
  // Go net/http.
  const go = GO_REQUEST.exec(text);
  if (go || GO_SIGNATURE.test(text)) {
    const meaning = classifyFailure(go ? `: ${go[3]!}` : text) ?? (go ? { kind: 'connection-error' as const } : undefined);
    if (meaning) {
      const fields: Fields = {};
      if (go) fields.method = GO_METHODS[go[1]!];
      errnoFields(text, meaning, fields);
      if (!fields.errnoName) fields.errnoName = meaning.errnoName;
      addressesIn(text, fields);
      const source = RUST_SIGNATURE.test(text) ? 'rust' : 'go';
      emit(source, meaning.kind, no, text, clock, fields);
      return { source, kind: meaning.kind };
    }
  }
  // Rust reqwest / hyper.
  if (RUST_SIGNATURE.test(text)) {
    const meaning = classifyFailure(text.replace(/error sending request for url \([^)]*\)/, '')) ?? { kind: 'connection-error' as const };
    const fields: Fields = {};
    errnoFields(text, meaning, fields);
    const osCode = /Os \{ code: (\d+)/.exec(text);
    if (osCode && fields.errno === undefined && errnoNameOf(Number(osCode[1]))) {
      fields.errno = Number(osCode[1]);
      fields.errnoName = errnoNameOf(fields.errno);
    }
    const hyper = /hyper::Error\((\w+)/.exec(text);
    if (hyper) fields.cause = `hyper::Error(${hyper[1]})`;
    addressesIn(text, fields);
    emit('rust', meaning.kind, no, text, clock, fields);
    return { source: 'rust', kind: meaning.kind };
  }
  return undefined;
}
