import { SOURCES, type EventKind, type Source } from '../model/event.js';

/**
 * The event kinds and sources as runtime lists, so rule files can be checked against them. Typed
 * `satisfies Record<…, true>`: a kind or source added to (or removed from) the model breaks the
 * build here until this list follows.
 */
const KINDS = {
  reset: true,
  'remote-disconnected': true,
  'broken-pipe': true,
  aborted: true,
  'read-timeout': true,
  'connect-timeout': true,
  refused: true,
  'dns-failure': true,
  'proxy-error': true,
  'tls-error': true,
  'incomplete-read': true,
  'connection-error': true,
  'http-error': true,
  'upstream-reset': true,
  'upstream-timeout': true,
  'upstream-premature-close': true,
  'upstream-refused': true,
  'no-live-upstreams': true,
  'body-too-large': true,
  'rate-limited': true,
  'conn-limited': true,
  'capacity-exhausted': true,
  'client-closed': true,
  'client-timeout': true,
  'keepalive-closed': true,
  'server-closed': true,
  'bad-request': true,
  unauthorized: true,
  'server-error': true,
  'worker-crash': true,
  'worker-exhausted': true,
  'fd-exhausted': true,
  reload: true,
  'tls-handshake-failed': true,
  'proxy-closed': true,
  'proxy-denied': true,
  'firewall-drop': true,
  'resolver-failed': true,
  'upstream-bad-response': true,
  'upstream-unreachable': true,
  'upstream-tls-failed': true,
  'upstream-disabled': true,
  'protocol-error': true,
  'keepalive-timeout': true,
  'keepalive-expired': true,
  'keepalive-fresh': true,
  request: true,
  response: true,
  other: true,
} as const satisfies Record<EventKind, true>;


export const EVENT_KINDS: readonly EventKind[] = Object.keys(KINDS) as EventKind[];
/** Every source, in the model's one list (model/event.ts keeps it equal to the type). */
export const EVENT_SOURCES: readonly Source[] = SOURCES;

