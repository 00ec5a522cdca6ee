import { CLIENT_FAILURE_KINDS, type ClosedBy, type ConnectionEvent, type EventKind, type Source, type SourceSides } from '../model/event.js';
import { KeptLine, type OrdinaryBytes, type OrdinaryLine, type ParseContext, type QuietSpan, type RunSink, type UnremarkableLine } from '../parse/parser.js';
import { clockGroup } from '../time/clock-group.js';
import type { TrafficSample } from '../time/offset.js';
import { pathKey } from './keys.js';
import { detach } from '../read/detach.js';
import { PathKeyBytes } from './path-bytes.js';
import { JoinWindows, NearestRequests, type JoinWindowsInput } from './windows.js';
import { DEFAULT_SPILL_EVENTS, writeRun, type SortTime, type SpilledRun } from './spill.js';

const TRAFFIC_SAMPLE_CAP = 20_000;
const SEVERE_LEVELS = new Set(['warn', 'warning', 'error', 'crit', 'critical', 'alert', 'emerg']);

/**
 * Kept events are copied field by field, so that they do not pin the chunks their lines were read
 * from (detach.ts): long strings flattened into their own copy, short ones (sources, kinds,
 * methods, paths, addresses, file names) shared through a bounded intern table, so memory holds
 * what is kept and not the file around it, nor the same short string a hundred thousand times.
 */
const INTERN_MAX_LENGTH = 64;
const INTERN_CAP = 50_000;
/** One collector's table: nothing outlives the analysis. */
type Interned = Map<string, string>;
function intern(interned: Interned, text: string): string {
  if (text.length > INTERN_MAX_LENGTH) return detach(text);
  const known = interned.get(text);
  if (known !== undefined) return known;
  const copy = detach(text);
  if (interned.size < INTERN_CAP) interned.set(copy, copy);
  return copy;
}
/** Whether a field holds text of its own (an event's id, line, message), not a short shared value. */
function isOwnText(key: string): boolean {
  return key === 'id' || key === 'excerpt' || key === 'message';
}
function retain(interned: Interned, event: ConnectionEvent): ConnectionEvent {
  // A spread copy has V8's fast properties; one built key by key turns into a hash table past 16
  // keys, about 1 KB more per kept event.
  const copy = { ...event } as unknown as Record<string, unknown>;
  for (const key in copy) {
    const value = copy[key];
    if (typeof value === 'string') copy[key] = isOwnText(key) ? detach(value) : intern(interned, value);
  }
  // The one nested field: its strings are slices of a line read earlier, which pinned a chunk per
  // failed request (on a client-heavy job, nine tenths of the client side's kept memory).
  const pooled = event.pooled;
  if (pooled) {
    const { since } = pooled;
    copy.pooled = { ...pooled, host: intern(interned, pooled.host), since: { ...since, id: detach(since.id), excerpt: detach(since.excerpt) } };
  }
  return copy as unknown as ConnectionEvent;
}
/** A request kept for joins: its event, or its line (RunSink.takesFailed's later), its event built and copied when asked for. */
type Kept = ConnectionEvent | KeptLine;

/**
 * An event that came from a worker: its strings are flat copies already, but every event has its
 * own copy of "nginx-access", "GET", its file name… (a posted message shares no string with this
 * thread): they are shared again through the intern table, or the merged events take twice the memory.
 */
function reintern(interned: Interned, event: ConnectionEvent): ConnectionEvent {
  const fields = event as unknown as Record<string, unknown>;
  for (const key in fields) {
    const value = fields[key];
    if (typeof value === 'string' && !isOwnText(key)) fields[key] = intern(interned, value);
  }
  return event;
}

/**
 * Seconds as a sparse bitmap: 1024 seconds per 32-word block, a set's blocks side by side in one
 * array. A typed array per block cost about 220 bytes besides its 128 (its ArrayBuffer and their
 * allocation): at 1 GiB, 7.1 MB for 19,850 blocks. Plain data: workers post their sets.
 */
const BLOCK_SECONDS = 1024;
const BLOCK_WORDS = BLOCK_SECONDS / 32;
export interface SecondSet {
  /** Block number → where its words start in `words`. */
  blocks: Map<number, number>;
  words: Uint32Array;
}
function secondSet(): SecondSet {
  return { blocks: new Map(), words: new Uint32Array(BLOCK_WORDS) };
}
/** Where a new block's words start, the array grown by half when full. */
function addBlock(set: SecondSet, block: number): number {
  const at = set.blocks.size * BLOCK_WORDS;
  if (at + BLOCK_WORDS > set.words.length) {
    const grown = new Uint32Array(Math.max(at + BLOCK_WORDS, Math.ceil(set.words.length / BLOCK_WORDS / 2) * BLOCK_WORDS + set.words.length));
    grown.set(set.words);
    set.words = grown;
  }
  set.blocks.set(block, at);
  return at;
}
function addSecond(set: SecondSet, second: number): void {
  const block = Math.floor(second / BLOCK_SECONDS);
  const at = set.blocks.get(block) ?? addBlock(set, block);
  const bit = second - block * BLOCK_SECONDS;
  set.words[at + (bit >>> 5)]! |= 1 << (bit & 31);
}
function hasSecondIn(set: SecondSet, from: number, to: number): boolean {
  for (let second = from; second <= to; second++) {
    const block = Math.floor(second / BLOCK_SECONDS);
    const at = set.blocks.get(block);
    if (at === undefined) {
      second = (block + 1) * BLOCK_SECONDS - 1;
      continue;
    }
    const bit = second - block * BLOCK_SECONDS;
    if ((set.words[at + (bit >>> 5)]! & (1 << (bit & 31))) !== 0) return true;
  }
  return false;
}
function orInto(target: SecondSet, source: SecondSet): void {
  for (const [block, from] of source.blocks) {
    const at = target.blocks.get(block) ?? addBlock(target, block);
    for (let i = 0; i < BLOCK_WORDS; i++) target.words[at + i]! |= source.words[from + i]!;
  }
}

/**
 * Idle connections closed in the ordinary way: a client closing its keep-alive connection, or one
 * that never sent a request. A busy nginx logs thousands at info level; none speaks of a request.
 * An application server logs a client leaving only when it was writing an answer to it.
 */
function isRoutineClose(event: Pick<ConnectionEvent, 'kind' | 'closedBy' | 'source' | 'path' | 'status'>): boolean {
  if (event.kind === 'keepalive-closed') return event.closedBy === 'client';
  return event.kind === 'client-closed' && event.source !== 'app' && event.path === undefined && event.status === undefined;
}
/**
 * Requests kept whole per (source, path) for incidents without a time, which join their path's
 * requests whenever logged (and for request lines without a time): the first ones.
 */
const UNTIMED_PER_PATH_CAP = 200;

/** What one source logged of one failed path. */
interface FailedPathLog {
  /** `source\0path`, as partials name it. */
  key: string;
  source: Source;
  path: string;
  /** The seconds (own clock) in which it logged the path. */
  seconds: SecondSet | undefined;
  /** The last second marked: a busy path's requests of one second mark it once. */
  lastSecond: number;
  /** Requests of it kept for untimed joins (UNTIMED_PER_PATH_CAP). */
  keptUntimed: number;
  /** Instants (UTC, exclusive) between which none of its requests can join an incident of `quietOf` (JoinWindows.quietFrom). */
  quietFrom: number;
  quietTo: number;
  quietOf: JoinWindows | undefined;
}

/** What the sources logged of one failed path. */
interface FailedPath {
  path: string;
  bySource: Map<Source, FailedPathLog>;
  /** The log looked up last: a path's lines come in runs of one source. */
  last: FailedPathLog | undefined;
}
/** `source`'s log of a failed path, made on first use. */
function logIn(failed: FailedPath, source: Source): FailedPathLog {
  const last = failed.last;
  if (last !== undefined && last.source === source) return last;
  let log = failed.bySource.get(source);
  if (!log) {
    const { path } = failed;
    failed.bySource.set(source, (log = { key: `${source}\0${path}`, source, path, seconds: undefined, lastSecond: NaN, keptUntimed: 0, quietFrom: 0, quietTo: 0, quietOf: undefined }));
  }
  return (failed.last = log);
}
function markPresence(log: FailedPathLog, time: number): void {
  const second = Math.floor(time / 1000);
  if (second === log.lastSecond) return;
  log.lastSecond = second;
  addSecond((log.seconds ??= secondSet()), second);
}

/** What one file's collection produced: merged by the main thread in file order (`--jobs`). */
export interface CollectorPartial {
  anchors: ConnectionEvent[];
  /** Notable events written to disk (in order), then those still held. */
  spilled: SpilledRun[];
  notable: ConnectionEvent[];
  /** Copies of the notable keep-alive configs: every incident may need them, wherever their runs are. */
  configs: ConnectionEvent[];
  farNamesTest: boolean;
  ordinary: ConnectionEvent[];
  sources: Source[];
  zonelessSources: Source[];
  traffic: Map<string, TrafficSample[]>;
  zoneSeen: Map<string, number>;
  activity: Map<Source, SecondSet>;
  presence: Map<string, SecondSet>;
  lastClientRecord: EvidenceCollector['lastClientRecord'];
}

/**
 * Keeps what correlation needs from the event stream, and no more: every failure and every
 * notable server/proxy event whole; ordinary traffic only as counts per second (was the source
 * alive?), a bounded sample for clock matching, per-second presence for the paths that failed,
 * and, on the far side, the requests of those paths nearest to each incident (JoinWindows).
 * Memory grows with the failures and the job's duration, not with the number of lines.
 */
export class EvidenceCollector {
  readonly anchors: ConnectionEvent[] = [];
  private readonly interned: Interned = new Map();
  /** Notable events not yet spilled, in the order seen; those before them are in `spilled`. */
  notable: ConnectionEvent[] = [];
  /** Runs of notable events on disk (far side only, once the windows give their UTC times). */
  readonly spilled: SpilledRun[] = [];
  private spillDir: string | undefined;
  /** The notable keep-alive configs (copies), for every incident's stale-reuse check. */
  readonly configs: ConnectionEvent[] = [];
  /** Whether a kept far-side event names a test: only then can a far-side incident name one (bursts). */
  farNamesTest = false;
  /** Far side: which requests incidents can join; unset on the client side, which keeps none. */
  private windows: JoinWindows | undefined;
  private nearest = new NearestRequests<Kept>();
  /** Changes whenever what joinable() answers may change: a request kept for a join, new windows (RunSink.joins). */
  private joins = 0;
  private untimedOrdinary: Kept[] = [];
  readonly sources = new Set<Source>();
  readonly zonelessSources = new Set<Source>();
  /** Per clock group: the traffic sample for offset estimation. */
  readonly traffic = new Map<string, TrafficSample[]>();
  /** Per clock group: the zone printed in its stamps (minutes east of UTC), first seen. */
  readonly zoneSeen = new Map<string, number>();
  /** Per source: the seconds of its own clock in which it logged anything (was it alive?). */
  private readonly activity = new Map<Source, SecondSet>();
  /** Per failed path (a path key), what each source logged of it. Looked up once per request line. */
  private failedPathLogs = new Map<string, FailedPath>();
  /** The failed paths as bytes, for the byte path; made again after a path is added. */
  private failedPathBytes: PathKeyBytes<FailedPath> | undefined;
  /** The failed paths' keys (failedPaths); made again after a path is added. */
  private failedPathList: string[] | undefined;
  /** Per source, the logs of failed paths by their number in failedPaths (RunSink.present), which stays theirs: paths are only added. */
  private presentLogs = new Map<Source, FailedPathLog[]>();

  /** @param sides the run's: which sources speak for the far side (runFormats). */
  constructor(readonly sides: SourceSides) {}

  /** Called between the client side and the far side: which paths failed. */
  freezeAnchors(): void {
    for (const anchor of this.anchors) if (anchor.path) this.useFailedPaths([pathKey(anchor.path)!]);
  }

  /**
   * Reads the far side from now on: requests kept where an incident can join them, and no traffic
   * sampled (the clocks were estimated from a probe of the far side's heads before the incidents).
   */
  useWindows(input: JoinWindowsInput): void {
    this.windows = JoinWindows.of(input);
    this.joins++;
  }

  /** Keeps a notable event; past the windows' spill size, the held ones go to a run on disk. */
  private keep(event: ConnectionEvent): void {
    if (event.kind === 'keepalive-timeout') this.configs.push({ ...event });
    if (event.test !== undefined && this.sides.isFarSide(event.source)) this.farNamesTest = true;
    this.hold(event);
  }
  private hold(event: ConnectionEvent): void {
    this.notable.push(event);
    if (this.windows && this.notable.length >= this.windows.spillEvents) this.spill();
  }

  /** Writes the held notable events as one run, sorted by their UTC time. */
  private spill(): void {
    const windows = this.windows;
    if (!windows || this.notable.length === 0) return;
    this.writeRun(this.notable, (event) => (event.time === null ? Infinity : windows.clocks.instantOf(event.source, event.time, event.zoneless === true)));
    this.notable = [];
  }

  /** Writes events as one more run of `spilled`, sorted by `time` (their UTC time, untimed last). */
  writeRun(events: ConnectionEvent[], time: SortTime): void {
    const { dir, run } = writeRun(this.spillDir, this.spilled.length, events, time);
    this.spillDir = dir;
    this.spilled.push(run);
  }

  /** How many events a list may hold before it goes to disk. */
  get spillEvents(): number {
    return this.windows?.spillEvents ?? DEFAULT_SPILL_EVENTS;
  }

  /** Hands over the notable events still held and the requests kept for joins: the collector keeps no copy. */
  takeHeld(): { notable: ConnectionEvent[]; ordinary: ConnectionEvent[] } {
    const taken = { notable: this.notable, ordinary: this.ordinary };
    this.notable = [];
    this.nearest = new NearestRequests<Kept>();
    this.untimedOrdinary = [];
    this.joins++;
    return taken;
  }

  /**
   * The requests of failed paths kept for joins: each incident's nearest, then the untimed ones.
   * The events of those kept by their lines are built here, each time: read it once, when reading ends.
   */
  get ordinary(): ConnectionEvent[] {
    const kept = new Set<ConnectionEvent>();
    for (const entry of [...this.nearest.events(), ...this.untimedOrdinary]) {
      if (!(entry instanceof KeptLine)) kept.add(entry);
      else {
        const event = entry.event();
        if (event !== undefined) kept.add(retain(this.interned, event));
      }
    }
    return [...kept];
  }

  /** The failed paths, to hand to collectors of the far side running elsewhere (worker threads). */
  get failedPaths(): readonly string[] {
    return (this.failedPathList ??= [...this.failedPathLogs.keys()]);
  }
  useFailedPaths(paths: readonly string[]): void {
    for (const path of paths) {
      if (this.failedPathLogs.has(path)) continue;
      this.failedPathLogs.set(path, { path, bySource: new Map(), last: undefined });
      this.failedPathBytes = undefined;
      this.failedPathList = undefined;
    }
  }

  /** What `source` logged of a failed path; undefined when the path did not fail. */
  private logOf(source: Source, path: string): FailedPathLog | undefined {
    const failed = this.failedPathLogs.get(path);
    return failed && logIn(failed, source);
  }
  /** The log of a `source\0path` key (as partials name them), made a failed path if it was not one. */
  private logOfKey(key: string): FailedPathLog {
    const cut = key.indexOf('\0');
    const path = key.slice(cut + 1);
    this.useFailedPaths([path]);
    return this.logOf(key.slice(0, cut) as Source, path)!;
  }

  /** Whether `source` logged anything in any second from `from` to `to` (own clock, inclusive). */
  activeIn(source: Source, from: number, to: number): boolean {
    const seconds = this.activity.get(source);
    return seconds !== undefined && hasSecondIn(seconds, from, to);
  }

  /** The first second of its own clock in which `source` logged anything (undefined: nothing timed). */
  firstActive(source: Source): number | undefined {
    const seconds = this.activity.get(source);
    if (seconds === undefined) return undefined;
    let block = Infinity;
    for (const number of seconds.blocks.keys()) block = Math.min(block, number);
    // Once a source per analysis: the first block's seconds asked one by one.
    for (let second = block * BLOCK_SECONDS; second < (block + 1) * BLOCK_SECONDS; second++) if (hasSecondIn(seconds, second, second)) return second;
    return undefined;
  }

  /** Whether `source` logged `path` (a path key) in any second from `from` to `to` (own clock, inclusive). */
  loggedPath(source: Source, path: string, from: number, to: number): boolean {
    const seconds = this.failedPathLogs.get(path)?.bySource.get(source)?.seconds;
    return seconds !== undefined && hasSecondIn(seconds, from, to);
  }

  /** The client log's last record (its own clock): an INTERNALERROR ends the pytest run about then. */
  lastClientRecord: Pick<ConnectionEvent, 'source' | 'time' | 'zoneless' | 'timeQuality'> | undefined;

  add(event: ConnectionEvent): void {
    this.seen(event.source, event.time, event.zoneless === true, event.timeQuality);
    if (CLIENT_FAILURE_KINDS.has(event.kind)) {
      this.anchors.push(retain(this.interned, event));
      return;
    }
    const path = pathKey(event.path);
    if (event.kind === 'request' || event.kind === 'response') {
      if (!this.windows) this.sampleTraffic(event.source, event.time, event.zoneless === true, event.utcOffset, event.method, event.path, event.status);
      const log = path === undefined ? undefined : this.logOf(event.source, path);
      if (log) {
        if (event.time !== null) markPresence(log, event.time);
        this.joinable(log, event.source, event.time, event.zoneless === true, () => retain(this.interned, event));
      }
      return;
    }
    if (event.kind === 'other') {
      // Unclassified server lines stay visible to user rules (a `text` pattern) when they could
      // matter: a warning or worse, or one about a request that failed.
      const severe = event.level !== undefined && SEVERE_LEVELS.has(event.level);
      if (this.sides.isFarSide(event.source) && (severe || (path !== undefined && this.failedPathLogs.has(path)))) this.keep(retain(this.interned, event));
      return;
    }
    if (!isRoutineClose(event)) this.keep(retain(this.interned, event));
  }

  /**
   * Where every event and every fast-path line goes first: the source was there, alive at that
   * second; a client record may be the client log's last.
   */
  private seen(source: Source, time: number | null, zoneless: boolean, timeQuality: ConnectionEvent['timeQuality']): void {
    this.sources.add(source);
    if (zoneless) this.zonelessSources.add(source);
    if (time === null) return;
    this.countActivity(source, Math.floor(time / 1000));
    if (source === 'client') this.clientRecordAt(time, zoneless, timeQuality);
  }

  /** A client record at `time`: the client log's last, if none came later. */
  private clientRecordAt(time: number, zoneless: boolean, timeQuality: ConnectionEvent['timeQuality']): void {
    const last = this.lastClientRecord;
    if (!last) this.lastClientRecord = { source: 'client', time, zoneless, timeQuality };
    else if (time >= last.time!) {
      // Our own copy (never an event's: the timeline later rewrites kept events' times in place).
      last.time = time;
      last.zoneless = zoneless;
      last.timeQuality = timeQuality;
    }
  }

  /**
   * The parsers' fast path for an ordinary request line (ParseContext.ordinary): exactly what add()
   * does with such an event, without the event. Declines (false) only where add() would keep the
   * event whole: a request of a failed path that an incident can join.
   */
  ordinaryLine(line: Readonly<OrdinaryLine>): boolean {
    const { source, time, zoneless } = line;
    if (!this.takeOrdinary(source, time, zoneless, this.logOf(source, pathKey(line.path)!))) return false;
    if (!this.windows) this.sampleTraffic(source, time, zoneless, line.utcOffset, line.method, line.path, line.status);
    return true;
  }

  /**
   * ordinaryLine for a request line read from bytes (ParseContext.ordinaryBytes): the failed path, if
   * it is one, is found from the bytes. Before the windows (the client side) requests are sampled as
   * text for clock matching: a line is declined until sampleTraffic would take nothing of it.
   */
  ordinaryBytesLine(line: Readonly<OrdinaryBytes>): boolean {
    if (!this.windows && !this.sampled(line.source, line.utcOffset)) return false;
    this.failedPathBytes ??= new PathKeyBytes(this.failedPathLogs);
    const failed = this.failedPathBytes.find(line.bytes, line.pathStart, line.pathEnd);
    return this.takeOrdinary(line.source, line.time, line.zoneless, failed && logIn(failed, line.source));
  }

  /** An ordinary request line of `log`'s path (undefined: of a path that did not fail), but for sampling: false where add() keeps it. */
  private takeOrdinary(source: Source, time: number, zoneless: boolean, log: FailedPathLog | undefined): boolean {
    if (log) {
      if (this.joinable(log, source, time, zoneless)) return false;
      markPresence(log, time);
    }
    this.seen(source, time, zoneless, zoneless ? 'inferred' : 'exact');
    return true;
  }

  /** The parsers' fast paths into this collector. */
  fastPaths(): Pick<ParseContext, 'ordinary' | 'unremarkable' | 'ordinaryBytes' | 'runs'> {
    const runs: RunSink = {
      // As ordinaryBytesLine: before the windows (the client side), a request is sampled the string way until the sample is full.
      takesRequests: (source, utcOffset) => this.windows !== undefined || this.sampled(source, utcOffset),
      failedPaths: () => this.failedPaths,
      takesFailed: (source, path, time, zoneless, quiet, later) => {
        const log = this.logOf(source, path)!;
        // A request kept only while no nearer one displaces it (most are, on a path failing often) is
        // kept by its line: its event is built at the end, for those still kept.
        const byLine = later !== undefined && !this.keepsUntimed(log);
        const joins = this.joinable(log, source, time, zoneless, byLine ? later : undefined);
        if (joins && byLine) {
          // As add() would.
          markPresence(log, time);
          return 'later';
        }
        this.quietSpan(log, quiet);
        return !joins;
      },
      instantOf: (source, time, zoneless) => this.windows?.clocks.instantOf(source, time, zoneless) ?? time,
      joins: () => this.joins,
      present: (source, paths, count, time) => {
        let logs = this.presentLogs.get(source);
        if (logs === undefined) this.presentLogs.set(source, (logs = []));
        for (let i = 0; i < count; i++) {
          const path = paths[i]!;
          markPresence((logs[path] ??= this.logOf(source, this.failedPaths[path]!)!), time);
        }
      },
      takesUnremarkable: (source, kind, level, closedBy) => this.dropsUnremarkable(source, kind, level, closedBy),
      counted: (source, zoneless, seconds, count, latest) => this.counted(source, zoneless, seconds, count, latest),
    };
    return { ordinary: this.ordinaryLine.bind(this), unremarkable: this.unremarkableLine.bind(this), ordinaryBytes: this.ordinaryBytesLine.bind(this), runs };
  }

  /** RunSink.counted: seen() of each line of a run, told once for the run. */
  private counted(source: Source, zoneless: boolean, seconds: Float64Array, count: number, latest: number): void {
    if (count === 0) return;
    this.sources.add(source);
    if (zoneless) this.zonelessSources.add(source);
    for (let i = 0; i < count; i++) this.countActivity(source, seconds[i]!);
    if (source === 'client') this.clientRecordAt(latest, zoneless, zoneless ? 'inferred' : 'exact');
  }

  /** Whether sampleTraffic takes nothing more of a request of `source`: its group's sample is full, its zone (if printed) known. */
  private sampled(source: Source, utcOffset: number | undefined): boolean {
    const group = clockGroup(source);
    return this.sampleFull(group) && (utcOffset === undefined || this.zoneSeen.has(group));
  }

  /** The fast path for a line naming no request (ParseContext.unremarkable): counts it when add() would drop it. */
  unremarkableLine(line: Readonly<UnremarkableLine>): boolean {
    const { source, kind, level } = line;
    if (!this.dropsUnremarkable(source, kind, level, line.closedBy)) return false;
    this.seen(source, line.time, line.zoneless, line.zoneless ? 'inferred' : 'exact');
    return true;
  }

  /** Whether add() drops an event of this kind naming no request: it is only counted. */
  private dropsUnremarkable(source: Source, kind: EventKind, level: string | undefined, closedBy: ClosedBy | undefined): boolean {
    if (CLIENT_FAILURE_KINDS.has(kind) || kind === 'request' || kind === 'response') return false;
    return kind === 'other' ? !(this.sides.isFarSide(source) && level !== undefined && SEVERE_LEVELS.has(level)) : isRoutineClose({ kind, closedBy, source, path: undefined, status: undefined });
  }

  /** The last second marked, and whose: lines of one second mark it once. */
  private activeSource: Source | undefined;
  private activeSecond = NaN;
  private countActivity(source: Source, second: number): void {
    if (second === this.activeSecond && source === this.activeSource) return;
    this.activeSource = source;
    this.activeSecond = second;
    let seconds = this.activity.get(source);
    if (!seconds) this.activity.set(source, (seconds = secondSet()));
    addSecond(seconds, second);
  }

  /** How many requests of a clock group are sampled for its offset estimate. */
  sampleSize(group: string): number {
    return this.traffic.get(group)?.length ?? 0;
  }
  sampleFull(group: string): boolean {
    return this.sampleSize(group) >= TRAFFIC_SAMPLE_CAP;
  }

  /**
   * Takes the clock samples and zones of groups this collector has none of (a probe's: probe.ts).
   * The probe lets go of its samples: the analysis holds the probe through the far side and the
   * sweep, and its 20,000 requests a group (1.7 MB) would stay with it.
   */
  useClockSample(probe: EvidenceCollector): void {
    for (const [group, samples] of probe.traffic) if (!this.traffic.has(group)) this.traffic.set(group, samples);
    for (const [group, offset] of probe.zoneSeen) if (!this.zoneSeen.has(group)) this.zoneSeen.set(group, offset);
    probe.traffic.clear();
  }

  private sampleTraffic(source: Source, time: number | null, zoneless: boolean, utcOffset: number | undefined, method: string | undefined, path: string | undefined, status: number | undefined): void {
    if (time === null || method === undefined || path === undefined || status === undefined) return;
    const group = clockGroup(source);
    if (utcOffset !== undefined && !this.zoneSeen.has(group)) this.zoneSeen.set(group, utcOffset);
    let samples = this.traffic.get(group);
    if (!samples) this.traffic.set(group, (samples = []));
    if (samples.length < TRAFFIC_SAMPLE_CAP) {
      samples.push({ key: detach(`${method} ${pathKey(path)} ${status}`), time, zoneless });
    }
  }

  /**
   * Whether an incident can join this request of a failed path: it is among the nearest to an
   * incident of its path (or of none) within the window, or of a path an untimed incident joins
   * whenever (the first ones), or it has no time itself. With `keep`, it is kept (copied once).
   */
  private joinable(log: FailedPathLog, source: Source, time: number | null, zoneless: boolean, keep?: () => Kept): boolean {
    const windows = this.windows;
    if (!windows) return false;
    let kept: Kept | undefined;
    if ((time === null || windows.untimedPaths.has(log.path)) && log.keptUntimed < UNTIMED_PER_PATH_CAP) {
      if (!keep) return true;
      log.keptUntimed++;
      this.untimedOrdinary.push((kept = keep()));
      this.joins++;
    }
    if (time === null) return kept !== undefined;
    const utc = windows.clocks.instantOf(source, time, zoneless);
    if (log.quietOf === windows && utc > log.quietFrom && utc < log.quietTo) return kept !== undefined;
    const count = windows.near(log.path, utc);
    if (count === 0) {
      log.quietOf = windows;
      log.quietFrom = windows.quietFrom;
      log.quietTo = windows.quietTo;
    }
    for (let i = 0; i < count; i++) {
      const incident = windows.found[i]!;
      const distanceMs = windows.distances[i]!;
      if (!this.nearest.accepts(incident, source, distanceMs)) continue;
      if (!keep) return true;
      this.nearest.offer(incident, source, distanceMs, (kept ??= keep()));
      this.joins++;
    }
    return kept !== undefined;
  }

  /** Whether joinable() keeps a request of this log whatever its time, for an incident without one. */
  private keepsUntimed(log: FailedPathLog): boolean {
    return this.windows !== undefined && this.windows.untimedPaths.has(log.path) && log.keptUntimed < UNTIMED_PER_PATH_CAP;
  }

  /**
   * Where joinable() says no without looking: every instant before the windows (the client side),
   * else the quiet gap it found last, unless the path's untimed requests are still kept.
   */
  private quietSpan(log: FailedPathLog, quiet: QuietSpan): void {
    const windows = this.windows;
    if (windows === undefined) {
      quiet.from = -Infinity;
      quiet.to = Infinity;
      return;
    }
    const known = log.quietOf === windows && !this.keepsUntimed(log);
    quiet.from = known ? log.quietFrom : 0;
    quiet.to = known ? log.quietTo : 0;
  }

  /** Per `source\0path` key, the seconds in which the source logged that failed path. */
  private presence(): Map<string, SecondSet> {
    const presence = new Map<string, SecondSet>();
    for (const { bySource } of this.failedPathLogs.values()) for (const log of bySource.values()) if (log.seconds) presence.set(log.key, log.seconds);
    return presence;
  }

  /** What this collector holds, for a worker to post to the main thread. */
  partial(): CollectorPartial {
    return {
      anchors: this.anchors,
      spilled: this.spilled,
      notable: this.notable,
      configs: this.configs,
      farNamesTest: this.farNamesTest,
      // In reading order (a partial is one file or range): merged in that order, ties go as they went here.
      ordinary: this.ordinary.sort((a, b) => a.line - b.line),
      sources: [...this.sources],
      zonelessSources: [...this.zonelessSources],
      traffic: this.traffic,
      zoneSeen: this.zoneSeen,
      activity: this.activity,
      presence: this.presence(),
      lastClientRecord: this.lastClientRecord,
    };
  }

  /**
   * Adds one file's partial as if its events had been add()ed here: merged in file order, the result
   * is the same as reading the files one after another (same caps, same first-seen, same order).
   */
  merge(p: CollectorPartial): void {
    for (const source of p.sources) this.sources.add(source);
    for (const source of p.zonelessSources) this.zonelessSources.add(source);
    const last = p.lastClientRecord;
    if (last && (!this.lastClientRecord || last.time! >= this.lastClientRecord.time!)) this.lastClientRecord = { ...last };
    for (const [source, seconds] of p.activity) {
      const mine = this.activity.get(source);
      if (!mine) this.activity.set(source, seconds);
      else orInto(mine, seconds);
    }
    for (const event of p.anchors) this.anchors.push(reintern(this.interned, event));
    // Runs come before the partial's held events, and after this collector's: those are spilled first.
    if (p.spilled.length > 0) {
      this.spill();
      this.spilled.push(...p.spilled);
    }
    for (const event of p.notable) this.hold(reintern(this.interned, event));
    for (const config of p.configs) this.configs.push(reintern(this.interned, config));
    this.farNamesTest ||= p.farNamesTest;
    for (const [group, offset] of p.zoneSeen) if (!this.zoneSeen.has(group)) this.zoneSeen.set(group, offset);
    for (const [group, samples] of p.traffic) {
      let mine = this.traffic.get(group);
      if (!mine) this.traffic.set(group, (mine = []));
      for (let i = 0; i < samples.length && mine.length < TRAFFIC_SAMPLE_CAP; i++) mine.push(samples[i]!);
    }
    for (const [key, seconds] of p.presence) {
      const log = this.logOfKey(key);
      if (!log.seconds) log.seconds = seconds;
      else orInto(log.seconds, seconds);
    }
    for (const event of p.ordinary) {
      const path = pathKey(event.path)!;
      this.useFailedPaths([path]);
      this.joinable(this.logOf(event.source, path)!, event.source, event.time, event.zoneless === true, () => reintern(this.interned, event));
    }
  }
}
