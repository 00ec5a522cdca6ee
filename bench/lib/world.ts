import { join } from 'node:path';
import { ghPrefix, nginxAccessTime, nginxErrorTime, pyAsctime } from './clock.js';
import { Rng } from './prng.js';
import { Sink } from './sink.js';

/**
 * The simulated world: one clock, one nginx (master + 2 workers, proxying to an app on :9000),
 * one pytest process whose tests call nginx with requests/urllib3. Every writer stamps the
 * current simulated instant in its own program's format, so the four files really correlate.
 */

export const PORT = 8080;
export const HOST = `127.0.0.1:${PORT}`;
export const BASE = `http://${HOST}`;
const UPSTREAM = 'http://127.0.0.1:9000';
const UA = 'python-requests/2.34.2';
/** Mean gap between background requests: about one per test-suite request. */
const BG_MEAN_GAP_MS = 4;

export class World {
  /** The simulated clock: epoch ms (UTC), fractional. */
  t: number;
  readonly rng: Rng;
  readonly pytest: Sink;
  readonly error: Sink;
  readonly access: Sink;
  readonly client: Sink;

  readonly master = 2740;
  workers = [2741, 2742];
  private nextPid = 2743;
  private nextConn = 1;

  /**
   * Background load (a k6 script on another host) that nginx serves besides the tests: it is
   * why the access log is the biggest file, and it shows the server alive while a test idles.
   */
  private bgNext: number;
  private bg = { conn: 0, pid: 0, left: 0 };

  /** Without background load, the client log and pytest's output make most of the bytes (the client-heavy shape). */
  constructor(dir: string, seed: number, start: number, private readonly backgroundLoad = true) {
    this.t = start;
    this.bgNext = start;
    this.rng = new Rng(seed);
    this.pytest = new Sink(join(dir, 'pytest.log'));
    this.error = new Sink(join(dir, 'nginx', 'error.log'));
    this.access = new Sink(join(dir, 'nginx', 'access.log'));
    this.client = new Sink(join(dir, 'client.log'));
  }

  get bytes(): number {
    return this.pytest.bytes + this.error.bytes + this.access.bytes + this.client.bytes;
  }

  /** Advance the clock by a uniform amount in [lo, hi] ms. */
  wait(lo: number, hi: number): void {
    this.t += lo + this.rng.next() * (hi - lo);
  }

  close(): void {
    for (const s of [this.pytest, this.error, this.access, this.client]) s.close();
  }

  // ---- nginx ---------------------------------------------------------------------------

  /** A new accepted connection: its *N id and the worker that owns it. */
  accept(): { conn: number; pid: number } {
    return { conn: this.nextConn++, pid: this.rng.pick(this.workers) };
  }

  /** "2026/11/24 14:40:01 [info] 2741#2741: *56 message" */
  errorLine(level: string, pid: number, conn: number | null, msg: string): void {
    this.background();
    this.writeError(this.t, level, pid, conn, msg);
  }

  private writeError(t: number, level: string, pid: number, conn: number | null, msg: string): void {
    const c = conn === null ? '' : `*${conn} `;
    this.error.write(`${nginxErrorTime(t)} [${level}] ${pid}#${pid}: ${c}${msg}\n`);
  }

  /** Writes the background requests due by now, so both nginx files stay in time order. */
  private background(): void {
    const r = this.rng;
    while (this.backgroundLoad && this.bgNext <= this.t) {
      const t = this.bgNext;
      if (this.bg.left === 0) {
        const c = this.accept();
        this.bg = { conn: c.conn, pid: c.pid, left: r.range(1, 6) };
      }
      const n = r.range(1, 500);
      const rt = (0.8 + r.next() * 5) / 1000;
      this.access.write(
        `10.1.0.23 - - [${nginxAccessTime(t)}] "GET /api/items/${n} HTTP/1.1" 200 ${30 + String(n).length} "-" "k6/0.54.0 (https://k6.io/)" ${rt.toFixed(3)} 200\n`,
      );
      if (--this.bg.left === 0) this.writeError(t + 0.5, 'info', this.bg.pid, this.bg.conn, 'client 10.1.0.23 closed keepalive connection');
      this.bgNext += r.next() * BG_MEAN_GAP_MS * 2;
    }
  }

  /** The context nginx's http log handler appends: client, server, request, upstream, host. */
  requestContext(method: string, path: string, upstream: boolean): string {
    const up = upstream ? `, upstream: "${UPSTREAM}${path}"` : '';
    return `, client: 127.0.0.1, server: localhost, request: "${method} ${path} HTTP/1.1"${up}, host: "${HOST}"`;
  }

  /** log_format combined + " $request_time $upstream_status". */
  accessLine(method: string, path: string, status: number, bytes: number, requestTime: number, upstreamStatus: string): void {
    this.background();
    this.access.write(
      `127.0.0.1 - - [${nginxAccessTime(this.t)}] "${method} ${path} HTTP/1.1" ${status} ${bytes} "-" "${UA}" ${requestTime.toFixed(3)} ${upstreamStatus}\n`,
    );
  }

  /** The worker died: what the master logs, and the worker that replaces it. */
  killWorker(pid: number): void {
    const m = this.master;
    const next = this.nextPid++;
    this.errorLine('notice', m, null, `signal 17 (SIGCHLD) received from ${pid}`);
    this.errorLine('alert', m, null, `worker process ${pid} exited on signal 9`);
    this.wait(0.2, 1);
    this.errorLine('notice', m, null, `start worker process ${next}`);
    this.errorLine('notice', m, null, 'signal 29 (SIGIO) received');
    this.workers = this.workers.map((w) => (w === pid ? next : w));
    // The background connection dies with its worker (k6 reconnects and logs the error itself).
    if (this.bg.pid === pid) this.bg.left = 0;
  }

  nginxStartup(): void {
    const m = this.master;
    for (const msg of [
      'using the "epoll" event method',
      'nginx/1.24.0 (Ubuntu)',
      'built by gcc 13.2.0 (Ubuntu 13.2.0-23ubuntu4)',
      'OS: Linux 6.8.0-1017-azure',
      'getrlimit(RLIMIT_NOFILE): 65536:65536',
      'start worker processes',
      ...this.workers.map((w) => `start worker process ${w}`),
    ]) {
      this.errorLine('notice', m, null, msg);
    }
  }

  // ---- client (Python logging, "%(asctime)s %(levelname)s %(name)s: %(message)s") --------

  clientLine(level: string, logger: string, msg: string): void {
    this.client.write(`${pyAsctime(this.t)} ${level} ${logger}: ${msg}\n`);
  }

  /** Continuation lines of a logged record (a traceback): no stamp of their own. */
  clientRaw(lines: readonly string[]): void {
    this.client.write(lines.join('\n') + '\n');
  }

  newConnection(n: number): void {
    this.clientLine('DEBUG', 'urllib3.connectionpool', `Starting new HTTP connection (${n}): ${HOST}`);
  }

  /** urllib3's per-response debug line; `length` is Content-Length, or None when chunked. */
  responseLine(method: string, path: string, status: number, length: number | 'None'): void {
    this.clientLine('DEBUG', 'urllib3.connectionpool', `${BASE} "${method} ${path} HTTP/1.1" ${status} ${length}`);
  }

  // ---- pytest, behind GitHub Actions' line prefix --------------------------------------

  pytestLine(text: string): void {
    this.pytest.write(ghPrefix(this.t) + text + '\n');
  }

  /** A block printed at once: each line a few microseconds after the one before. */
  pytestBlock(lines: readonly string[]): void {
    let out = '';
    for (const l of lines) {
      out += ghPrefix(this.t) + l + '\n';
      this.t += 0.003;
    }
    this.pytest.write(out);
  }
}
