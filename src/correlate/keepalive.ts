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

/**
 * A failed request that went out on a pooled connection (the client's trace opened none for it)
 * idle at least as long as the server keeps one: the trace's previous request joins it, tied by the
 * connection (`keepalive-expired`), and the config line that gives the timeout, by the port.
 * `configs` are the `keepalive-timeout` events read; anything else is ignored.
 */
export function tieStaleReuse(incidents: readonly Incident[], events: readonly ConnectionEvent[], sources: ReadonlySet<Source>): void {
  const configs = events.filter((e) => e.kind === 'keepalive-timeout');
  for (const incident of incidents) {
    const reuse = shortestReuse(incident.records);
    if (!reuse || incident.time === null || reuse.record.time === null) continue;
    const { record, pooled } = reuse;
    const recordTime = reuse.record.time;
    const timeout = timeoutFor(pooled.port, configs, sources);
    if (!timeout || timeout.ms === 0 || pooled.idleMs < timeout.ms - RACE_MS) continue;
    const pool = `${pooled.host}:${pooled.port}`;
    const previous: ConnectionEvent = {
      id: pooled.since.id,
      source: record.source,
      kind: 'keepalive-expired',
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
        tie: `same pool ${pool}, no new connection: idle ${seconds(pooled.idleMs)} ${pooled.idleMs >= timeout.ms ? '≥' : '≈'} ${timeout.words}`,
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
