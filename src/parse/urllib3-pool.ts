/**
 * urllib3's connection pool as its DEBUG trace shows it, one file at a time: which pool (host:port)
 * last opened a connection, and when it last completed a request. A failed request whose pool's
 * last line is a completed request went out on that pooled connection: no new one was opened.
 *
 * The wordings are connectionpool.py's, the same in 1.26 and 2.x:
 *   `Starting new HTTP connection (%d): %s:%s` / `Starting new HTTPS connection (%d): %s:%s` (_new_conn),
 *   `Resetting dropped connection: %s` (the pooled connection was found closed: a new one is opened),
 *   `%s://%s:%s "%s %s %s" %s %s` (_make_request, after the response's headers were read).
 */
import type { EventKind, PooledReuse } from '../model/event.js';
import { excerptOf } from '../model/event.js';

export const NEW_CONNECTION = /Starting new HTTPS? connection \(\d+\): (\S+?):(\d+)$/;
export const DROPPED = /Resetting dropped connection: (\S+)$/;
/** What follows the authority of a completed request: `"GET /x HTTP/1.1" 200 `. */
const REQUEST_LINE = /"[A-Z]+ \S+ HTTP\/[\d.]+" \d{3} /y;

/**
 * Failures where the request got no response at all: on a reused connection, the server had closed
 * it (FIN: RemoteDisconnected; RST when the request hit the closed socket: reset, broken pipe).
 */
const NO_RESPONSE: ReadonlySet<EventKind> = new Set<EventKind>(['remote-disconnected', 'reset', 'broken-pipe', 'aborted']);

/**
 * The thread a record names, as Python names threads unless told otherwise (threading.py:
 * `MainThread`, `Thread-N` and `Thread-N (target)`; concurrent.futures: `ThreadPoolExecutor-N_M`).
 */
const THREAD = /\b(?:MainThread|Thread-\d+(?: \(\w+\))?|ThreadPoolExecutor-\d+_\d+)(?=[\s:\]])/;

interface PoolLine {
  opened: boolean;
  time: number;
  no: number;
  /**
   * The line (what a request's entry reports), or undefined where it was read from bytes: `bytes`
   * from `start` to `end`, until the reader reads again (releaseBytes decodes them then).
   */
  text: string | undefined;
  bytes: Buffer | undefined;
  start: number;
  end: number;
}

export class PoolTrace {
  /** Per named thread, per pool ("host:port" as urllib3 wrote it), its last line. */
  private readonly threads = new Map<string, Map<string, PoolLine>>();

  /** The last authority a completed request named, as written. */
  private lastAuthority = '';
  /** The thread-less layout's pools, and what poolsOf returns for them: no lookup nor object per record. */
  private readonly unthreaded = { pools: new Map<string, PoolLine>(), thread: '' };

  private poolsOf(text: string): { pools: Map<string, PoolLine>; thread: string } {
    // Every name THREAD knows holds "Thread": a record without it names none, and skips the regex.
    const thread = text.includes('Thread') ? (THREAD.exec(text)?.[0] ?? '') : '';
    if (thread === '') return this.unthreaded;
    let pools = this.threads.get(thread);
    if (!pools) this.threads.set(thread, (pools = new Map()));
    return { pools, thread };
  }

  constructor(private readonly file: string) {}

  /** Reads one record's message: a connection opened or re-opened, or a request completed. */
  observe(text: string, time: number | null, no: number): void {
    if (time === null) return;
    // The thread is looked up only for the few records that speak of the pool: this runs on every record.
    const scheme = text.indexOf('://');
    const end = scheme < 0 ? -1 : text.indexOf(' "', scheme + 3);
    if (end > scheme + 3) {
      REQUEST_LINE.lastIndex = end + 1;
      if (!REQUEST_LINE.test(text)) return;
      // `http://host:port "GET …`: the authority between them is the pool's key (urllib3 1.x wrote `:None` for a default port).
      // A trace names one or a few pools: the last authority is compared in place, not sliced and hashed again.
      const same = this.lastAuthority.length === end - scheme - 3 && text.startsWith(this.lastAuthority, scheme + 3);
      const authority = same ? this.lastAuthority : (this.lastAuthority = text.slice(scheme + 3, end));
      const key = authority.endsWith(':None') ? authority.slice(0, -4) + (text.startsWith('https', scheme - 5) ? '443' : '80') : authority;
      const pools = this.poolsOf(text).pools;
      const last = pools.get(key);
      // The pool's entry is its own (reuseBefore copies what it reports): updated in place, no object per request.
      if (last) {
        last.opened = false;
        last.time = time;
        last.no = no;
        last.text = text;
      } else {
        pools.set(key, { opened: false, time, no, text, bytes: undefined, start: 0, end: 0 });
      }
      return;
    }
    if (text.includes('Starting new HTTP')) {
      const opened = NEW_CONNECTION.exec(text);
      if (opened) this.poolsOf(text).pools.set(`${opened[1]}:${opened[2]}`, { opened: true, time, no, text, bytes: undefined, start: 0, end: 0 });
      return;
    }
    if (text.includes('Resetting dropped connection')) {
      const host = DROPPED.exec(text)?.[1];
      // It names the host only: every pool of that host may be the one (none is then known reused).
      const { pools } = this.poolsOf(text);
      if (host !== undefined) for (const [key, line] of pools) if (key.slice(0, key.lastIndexOf(':')) === host) pools.set(key, { ...line, opened: true, time, no });
    }
  }

  /**
   * observe() of a completed request read from bytes (a record naming no thread), its line `start`
   * to `end` of `bytes` and its authority (`host:port`, port digits) from `authStart` to `authEnd`:
   * the line is decoded only if a failure reports it.
   */
  requestBytes(bytes: Buffer, start: number, end: number, authStart: number, authEnd: number, time: number, no: number): void {
    const key = this.authorityOf(bytes, authStart, authEnd);
    const pools = this.unthreaded.pools;
    let last = pools.get(key);
    if (!last) pools.set(key, (last = { opened: false, time, no, text: undefined, bytes, start, end }));
    last.opened = false;
    last.time = time;
    last.no = no;
    last.text = undefined;
    last.bytes = bytes;
    last.start = start;
    last.end = end;
  }

  /** observe() of "Starting new HTTP connection (n): host:port" read from bytes (a record naming no thread), `host:port` from `start` to `end`. */
  openedBytes(bytes: Buffer, start: number, end: number, time: number, no: number): void {
    const key = this.authorityOf(bytes, start, end);
    const pools = this.unthreaded.pools;
    const last = pools.get(key);
    // An opened entry reports no line (reuseBefore): the one it holds is left as it is.
    if (!last) pools.set(key, { opened: true, time, no, text: undefined, bytes: undefined, start: 0, end: 0 });
    else {
      last.opened = true;
      last.time = time;
      last.no = no;
    }
  }

  /** The reader is about to overwrite the bytes the entries hold: each keeps its line as text (a few pools, once a read). */
  releaseBytes(): void {
    for (const last of this.unthreaded.pools.values()) {
      if (last.bytes === undefined) continue;
      last.text = last.bytes.toString('latin1', last.start, last.end);
      last.bytes = undefined;
    }
  }

  /** `host:port` from bytes: the last authority named, if these bytes are it (a trace names one or a few pools). */
  private authorityOf(bytes: Buffer, start: number, end: number): string {
    const last = this.lastAuthority;
    let same = last.length === end - start;
    for (let i = 0; same && i < last.length; i++) same = bytes[start + i] === last.charCodeAt(i);
    return same ? last : (this.lastAuthority = bytes.toString('latin1', start, end));
  }

  /**
   * The pooled connection a failure recorded at `time` reused: its pool is the one the record names,
   * else the thread's only pool; none when the pool's last line opened a connection. `text` is the
   * record's header line (its thread).
   */
  reuseBefore(kind: EventKind, host: string | undefined, port: number | undefined, time: number | null, text: string): PooledReuse | undefined {
    if (time === null || !NO_RESPONSE.has(kind)) return undefined;
    const { pools, thread } = this.poolsOf(text);
    const key = host !== undefined && port !== undefined ? `${host}:${port}` : pools.size === 1 ? [...pools.keys()][0]! : undefined;
    const last = key === undefined ? undefined : pools.get(key);
    if (key === undefined || last === undefined || last.opened || time < last.time) return undefined;
    const cut = key.lastIndexOf(':');
    return {
      host: key.slice(0, cut),
      port: Number(key.slice(cut + 1)),
      idleMs: time - last.time,
      since: { id: `${this.file}:${last.no}`, line: last.no, excerpt: excerptOf(last.text ?? last.bytes!.toString('latin1', last.start, last.end)) },
      threaded: thread !== '',
    };
  }
}
