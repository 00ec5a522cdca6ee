import type { ConnectionEvent } from '../model/event.js';
import { newEvent, type ParseContext } from './parser.js';

/** What a server's configuration promises a listening port: how long it keeps an idle keep-alive connection. */
export interface KeepalivePromise {
  message: string;
  port?: number;
  timeoutMs?: number;
}

/** Emits one `keepalive-timeout` event of a configuration file (nginx's, HAProxy's): it has no time, only a port and a timeout. */
export function emitKeepalivePromise(ctx: ParseContext, no: number, text: string, promise: KeepalivePromise): void {
  const event: ConnectionEvent = newEvent(ctx, no, text, { source: 'server-config', kind: 'keepalive-timeout', time: null, timeQuality: 'none' });
  event.message = promise.message;
  if (promise.port !== undefined) event.port = promise.port;
  if (promise.timeoutMs !== undefined) event.timeoutMs = promise.timeoutMs;
  ctx.emit(event);
}
