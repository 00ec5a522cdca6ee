import { join } from 'node:path';
import { nginxErrorTime } from './clock.js';
import { Rng } from './prng.js';
import { Sink } from './sink.js';
import { HOST } from './world.js';

/**
 * nginx's messages for a request whose upstream failed, as ngx_http_upstream.c and
 * ngx_event_connect.c (nginx 1.24.0) log them, each followed by the request context of
 * ngx_http_log_error(): the lines a broken backend fills an error log with.
 */
const FAILURES: ReadonlyArray<{ level: string; message: string; upstream: boolean }> = [
  { level: 'error', message: 'upstream prematurely closed connection while reading response header from upstream', upstream: true },
  { level: 'error', message: 'recv() failed (104: Connection reset by peer) while reading response header from upstream', upstream: true },
  { level: 'error', message: 'upstream timed out (110: Connection timed out) while reading response header from upstream', upstream: true },
  { level: 'error', message: 'connect() failed (111: Connection refused) while connecting to upstream', upstream: true },
  { level: 'error', message: 'no live upstreams while connecting to upstream', upstream: true },
];
const PATHS = ['/api/items', '/api/orders', '/api/users/me', '/api/search?q=shoes', '/api/cart', '/health', '/api/upload', '/api/reports/daily'];
const CLIENTS = ['10.1.0.23', '10.1.0.24', '10.1.0.57', '127.0.0.1'];

/**
 * A directory holding only nginx/error.log, every line a valid failure of a request (issue 17's
 * hostile case): the number of failures grows with the bytes, and no client log claims any, so
 * each opens a far-side incident of its own. Same seed and size → same bytes.
 */
export function generateErrorLogOnly(dir: string, target: number, seed: number, start: number): { bytes: number; files: Record<string, number>; farFailures: number; end: string } {
  const rng = new Rng(seed);
  const sink = new Sink(join(dir, 'nginx', 'error.log'));
  const workers = [2741, 2742];
  let t = start;
  let conn = 1;
  let lines = 0;
  while (sink.bytes < target) {
    // A few failures a second, as when a backend is down for the whole job.
    t += rng.next() * 400;
    const pid = rng.pick(workers);
    const { level, message, upstream } = rng.pick(FAILURES);
    const path = rng.pick(PATHS);
    const method = path.startsWith('/api/upload') ? 'POST' : 'GET';
    const up = upstream ? `, upstream: "http://127.0.0.1:9000${path}"` : '';
    sink.write(`${nginxErrorTime(t)} [${level}] ${pid}#${pid}: *${conn++} ${message}, client: ${rng.pick(CLIENTS)}, server: localhost, request: "${method} ${path} HTTP/1.1"${up}, host: "${HOST}"\n`);
    lines++;
  }
  sink.close();
  return { bytes: sink.bytes, files: { 'nginx/error.log': sink.bytes }, farFailures: lines, end: new Date(Math.floor(t)).toISOString() };
}
