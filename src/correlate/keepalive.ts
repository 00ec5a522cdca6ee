import type { ConnectionEvent, PooledReuse, Source } from '../model/event.js';
import { MAX_JOINS, type Incident, type Join } from './incident.js';
import { LINK_RANK } from './join.js';

/** nginx's keepalive_timeout when the configuration does not set it (ngx_http_core_module docs). */
const NGINX_DEFAULT_KEEPALIVE_MS = 75_000;
/**
 * How much shorter than the server's timeout the client's idle time may look and still be it: the
 * client stamps the previous response after reading it, the server armed its timer when it had
 * written it; a reuse that loses the race goes out while the server's close is on its way.
 */
const RACE_MS = 100;
/**
 * How much longer: urllib3 checks a pooled connection before reusing it and opens a new one when the
 * server's FIN is there ("Resetting dropped connection"), so a reuse fails only while the FIN is on
 * its way, at the timeout; the idle measured runs to the failure's record, which adds the failed
 * request's own round trip and the log's delay. Much longer, the request may have been in flight
 * (a slow answer cut by something else) or a middlebox dropped the connection: no claim. Two
 * seconds hold a round trip on any network a CI job talks over, and a logger's delay.
 */
const LATE_MS = 2_000;
/**
 * A reuse idle less than this share of the server's timeout was far from being closed for idleness:
 * said only where the trace names its threads (another thread's request cannot pass for this pool's)
 * and the timeout was read from a config (a default only guesses which server it was).
 */
const FRESH_SHARE = 0.5;

/** The server's keep-alive timeout for a port, and where it was read (none: inferred). */
interface KeepAliveTimeout {
  ms: number;
  /** The config line that says it (a `listen`/`bind` line for the port). */
  event: ConnectionEvent | undefined;
  words: string;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 3 : 1)} s`;
}

/**
 * The keep-alive timeout of the server on `port`: a config of that port (its own value, else the
 * http block's, else nginx's default); with no config in the directory, nginx's default when nginx
 * logged (inferred). A config found for other ports only says nothing about this one.
 */
function timeoutFor(port: number, configs: readonly ConnectionEvent[], sources: ReadonlySet<Source>): KeepAliveTimeout | undefined {
  const own = configs.filter((c) => c.port === port);
  if (own.length > 0) {
    const set = own.filter((c) => c.timeoutMs !== undefined).sort((a, b) => b.timeoutMs! - a.timeoutMs!)[0];
    if (set) return { ms: set.timeoutMs!, event: set, words: set.message ?? '' };
    const http = configs.filter((c) => c.port === undefined && c.timeoutMs !== undefined).sort((a, b) => b.timeoutMs! - a.timeoutMs!)[0];
    if (http) return { ms: http.timeoutMs!, event: own[0], words: `${http.message ?? ''}, ${http.file}:${http.line}` };
    return { ms: NGINX_DEFAULT_KEEPALIVE_MS, event: own[0], words: "keepalive_timeout not set: nginx's default 75 s" };
  }
  if (configs.length > 0 || !(sources.has('nginx-access') || sources.has('nginx-error'))) return undefined;
  return { ms: NGINX_DEFAULT_KEEPALIVE_MS, event: undefined, words: "nginx's default keepalive_timeout 75 s (inferred: no nginx config in the directory)" };
}

/** The record of the failure whose reuse was the shortest idle: the nearest to the failure itself. */
function shortestReuse(records: readonly ConnectionEvent[]): { record: ConnectionEvent; pooled: PooledReuse } | undefined {
  let best: { record: ConnectionEvent; pooled: PooledReuse } | undefined;
  for (const record of records) if (record.pooled && (!best || record.pooled.idleMs < best.pooled.idleMs)) best = { record, pooled: record.pooled };
  return best;
}

/** What the pooled reuse says against the timeout: expired, fresh, or nothing sure. */
function verdictOf(pooled: PooledReuse, timeout: KeepAliveTimeout): { kind: 'keepalive-expired' | 'keepalive-fresh'; words: string } | undefined {
  const idle = `idle ${seconds(pooled.idleMs)}`;
  if (pooled.idleMs >= timeout.ms - RACE_MS && pooled.idleMs <= timeout.ms + LATE_MS) return { kind: 'keepalive-expired', words: `${idle} ${pooled.idleMs >= timeout.ms ? '≥' : '≈'} ${timeout.words}` };
  if (pooled.threaded && timeout.event && pooled.idleMs < timeout.ms * FRESH_SHARE) return { kind: 'keepalive-fresh', words: `${idle}, far below ${timeout.words}` };
  return undefined;
}

/**
 * A failed request that went out on a pooled connection (the client's trace opened none for it):
 * idle at least as long as the server keeps one (`keepalive-expired`), or far less
 * (`keepalive-fresh`: not closed for idleness). The trace's previous request joins it, tied by the
 * connection, and the config line that gives the timeout, by the port.
 * `events` may hold anything: the `keepalive-timeout` ones are the configs read.
 */
export function tieStaleReuse(incidents: readonly Incident[], events: readonly ConnectionEvent[], sources: ReadonlySet<Source>): void {
  const configs = events.filter((e) => e.kind === 'keepalive-timeout');
  for (const incident of incidents) {
    const reuse = shortestReuse(incident.records);
    if (!reuse || incident.time === null || reuse.record.time === null) continue;
    const { record, pooled } = reuse;
    const recordTime = reuse.record.time;
    const timeout = timeoutFor(pooled.port, configs, sources);
    const said = timeout && timeout.ms > 0 ? verdictOf(pooled, timeout) : undefined;
    if (!timeout || !said) continue;
    const pool = `${pooled.host}:${pooled.port}`;
    const previous: ConnectionEvent = {
      id: pooled.since.id,
      source: record.source,
      kind: said.kind,
      time: recordTime - pooled.idleMs,
      timeQuality: record.timeQuality,
      file: record.file,
      line: pooled.since.line,
      excerpt: pooled.since.excerpt,
      host: pooled.host,
      port: pooled.port,
    };
    const dtMs = previous.time! - incident.time;
    const joins: Join[] = [
      {
        event: previous,
        dtMs,
        keys: ['host', 'port'],
        link: 'connection',
        tie: `same pool ${pool}, no new connection: ${said.words}`,
        order: 'before',
        score: LINK_RANK.connection * 2 + 1,
      },
    ];
    if (timeout.event) {
      joins.push({ event: timeout.event, dtMs: null, keys: ['port'], link: 'port', tie: `same port ${pooled.port}: ${timeout.words}`, order: null, score: LINK_RANK.port * 2 });
    }
    incident.joined = [...joins, ...incident.joined].sort((a, b) => b.score - a.score || (a.event.id < b.event.id ? -1 : 1)).slice(0, MAX_JOINS);
  }
}
