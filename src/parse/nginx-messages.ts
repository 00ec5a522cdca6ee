/**
 * Every message nginx writes to its error log about a connection, as DATA (nginx-messages.json)
 * derived from the nginx source at release-1.31.4 (commit 39ffdd8ece695aeb3874c7d3eaf863dc64e82482):
 * the format string of each ngx_log_error / ngx_connection_error / ngx_ssl_connection_error call
 * in src/event, src/os/unix, src/os/win32, src/http (incl. v2, v3, proxy, grpc, fastcgi, uwsgi,
 * scgi, limit_req, limit_conn), src/stream, src/core (resolver, connection, PROXY protocol) and the
 * process/cycle code, with the levels that path logs at and the file:function it comes from.
 * Configuration-time (emerg) and internal-bug (alert "… already closed", allocation) messages are
 * not connection messages and are left out; `nginx-error.ts` classifies every other line `other`.
 */
import { readFileSync } from 'node:fs';
import type { ClosedBy, EventKind } from '../model/event.js';

/** nginx-messages.json, read from the package root (package.json's `files` ships it). */
const CATALOG = JSON.parse(readFileSync(new URL('../../../src/parse/nginx-messages.json', import.meta.url), 'utf8')) as {
  nginx: { tag: string; commit: string };
  messages: NginxMessage[];
};

/** The nginx release the catalog was read from. */
export const NGINX_SOURCE: Readonly<{ tag: string; commit: string }> = CATALOG.nginx;

/**
 * Which end of the connection a message speaks about. `phase`: the same call logs for the client
 * and the upstream connection, and the `while …` action (or, without one, the level) tells which.
 */
export type NginxSide = 'client' | 'upstream' | 'nginx' | 'resolver' | 'phase';

export interface NginxMessage {
  /** nginx's format string, as in the source (`%V`, `%d`, … are its conversions). */
  template: string;
  /** `by-errno`: an I/O call's failure, whose kind the errno and the side decide (ERRNO_KINDS). */
  kind: EventKind | 'by-errno';
  side: NginxSide;
  /** The levels the path logs at (ngx_connection_error: info on a client connection, error on an upstream one, alert otherwise). */
  levels: readonly string[];
  /** The kind when a `phase` message turns out to speak about the upstream (a TLS handshake to it). */
  upstreamKind?: EventKind;
  closedBy?: ClosedBy;
  /** The peer of the side spoken about closed: the client, or the upstream (closedBy server). */
  closedByPeer?: true;
  /** The number in its parentheses is a DNS response code (ngx_resolver_strerror), not an errno. */
  rcode?: true;
  /** file:function at NGINX_SOURCE.commit. */
  sources: readonly string[];
}

/**
 * The `while …` actions (log->action) nginx sets, and the connection each speaks about. `either`:
 * both connections of a proxied pair log under it; the level then tells which (a client
 * connection has log_error NGX_ERROR_INFO, an upstream peer NGX_ERROR_ERR: ngx_http_request.c,
 * ngx_http_upstream.c, ngx_stream_handler.c, ngx_stream_proxy_module.c).
 */
export const NGINX_ACTIONS: Readonly<Record<string, 'client' | 'upstream' | 'either' | 'resolver' | 'nginx'>> = {
  'waiting for request': 'client',
  'reading client request line': 'client',
  'reading client request headers': 'client',
  'reading client request': 'client',
  'reading client pipelined request line': 'client',
  'reading PROXY protocol': 'client',
  'SSL handshaking': 'client',
  keepalive: 'client',
  'closing request': 'client',
  'sending to client': 'client',
  'sending response to client': 'client',
  'sending early hints to client': 'client',
  'sending mp4 to client': 'client',
  'sending flv to client': 'client',
  'processing HTTP/2 connection': 'client',
  'prereading client data': 'client',
  'proxying and reading from client': 'client',
  'proxying and sending to client': 'client',
  'returning text': 'client',
  'connecting to upstream': 'upstream',
  'SSL handshaking to upstream': 'upstream',
  'sending request to upstream': 'upstream',
  'sending PROXY protocol header to upstream': 'upstream',
  'reading response header from upstream': 'upstream',
  'reading response from upstream': 'upstream',
  'reading upstream': 'upstream',
  'proxying and reading from upstream': 'upstream',
  'proxying and sending to upstream': 'upstream',
  'proxying upgraded connection': 'either',
  'proxying connection': 'either',
  proxying: 'either',
  resolving: 'resolver',
  'requesting certificate status': 'nginx',
  'logging request': 'nginx',
  'passing connection to port': 'nginx',
};

type ErrnoKind = readonly [kind: EventKind, closedBy?: ClosedBy];

/** The peer or the path ended the connection ("": an end of stream, no errno): the same names on either side. */
const ENDED = ['', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ENOTCONN', 'ESHUTDOWN'];
/** No route to the peer. */
const NO_ROUTE = ['EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN'];

/** Each of `names` read as `kind`. */
function each(names: readonly string[], kind: ErrnoKind): Record<string, ErrnoKind> {
  return Object.fromEntries(names.map((name) => [name, kind]));
}

/**
 * An I/O call's failure by its errno name and the side it speaks about: the errno names that
 * ngx_connection_error logs below alert (the peer or the path ended the connection). "" is a
 * failure without an errno: an end of stream (an SSL "unexpected eof", kevent's EV_EOF).
 * ENOENT, EACCES and EAGAIN come from connect() to a unix socket (no socket, no permission, a
 * full listen queue: ngx_event_connect.c): nginx could not open its connection to the upstream.
 */
export const ERRNO_KINDS: Readonly<Record<'client' | 'upstream', Readonly<Record<string, ErrnoKind>>>> = {
  client: { ...each(ENDED, ['client-closed', 'client']), ETIMEDOUT: ['client-timeout'], ...each(NO_ROUTE, ['client-closed']) },
  upstream: {
    ...each(ENDED, ['upstream-reset', 'server']),
    '': ['upstream-premature-close', 'server'],
    ETIMEDOUT: ['upstream-timeout'],
    ...each(['ECONNREFUSED', 'ENOENT', 'EACCES', 'EAGAIN'], ['upstream-refused']),
    ...each(NO_ROUTE, ['upstream-unreachable']),
  },
};

/** nginx's own accept() failures that say it ran out of descriptors (ngx_event_accept.c). */
export const ACCEPT_ERRNO_KINDS: Readonly<Record<string, ErrnoKind>> = {
  EMFILE: ['fd-exhausted'],
  ENFILE: ['fd-exhausted'],
};

/**
 * Families for messages a later or earlier nginx words differently: a message no template above
 * matches but that starts so still says who sent what (tried after every template).
 */
export const NGINX_FAMILIES: readonly NginxMessage[] = [
  { template: 'client sent ', kind: 'bad-request', side: 'client', levels: ['info', 'error'], sources: ['src/http/ngx_http_request.c', 'src/http/v2/ngx_http_v2.c', 'src/http/v3/ngx_http_v3_request.c'] },
  { template: 'upstream sent ', kind: 'upstream-bad-response', side: 'upstream', levels: ['error'], sources: ['src/http/ngx_http_upstream.c', 'src/http/modules/ngx_http_proxy_module.c'] },
];

/**
 * The catalog, as data in nginx-messages.json. Kind `other`: a message that names a peer but no
 * failure of its connection (nginx goes on: a bad userid cookie, an ignored duplicate header),
 * listed so that neither a shorter template nor a family takes it.
 */
export const NGINX_MESSAGES: readonly NginxMessage[] = CATALOG.messages;
