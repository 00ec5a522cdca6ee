import type { LineRun } from '../read/lines.js';
import { excerptOf, type ClosedBy, type ConnectionEvent, type EventKind, type Source } from '../model/event.js';
import type { LineFields, RecordProgram } from './record-program.js';

/** What a per-file parser gets to work with. */
export interface ParseContext {
  /** Path relative to the analysed directory (forward slashes); events' `file`. */
  file: string;
  emit(event: ConnectionEvent): void;
  problem(line: number | undefined, message: string): void;
  /**
   * Optional fast path for an ordinary request line (kind `request`), offered before the full event
   * is built. Returns true when the consumer took what it needs from these fields; false means
   * "emit the full event as usual". Consumers that serialise every event (`whoreset events`) leave it out.
   * The object is the parser's own, refilled for each line: read it during the call, never keep it.
   */
  ordinary?(line: Readonly<OrdinaryLine>): boolean;
  /**
   * Optional fast path for a line that names no request (no path, no status): returns true when the
   * consumer would drop the event anyway and only counted the line; false means "emit it".
   * The object is reused as for `ordinary`.
   */
  unremarkable?(line: Readonly<UnremarkableLine>): boolean;
  /**
   * Optional: `ordinary` for a request line read from bytes (LineParser.bytes), its path not decoded.
   * False means "decode the line and take the string path" (where `ordinary` declines it in turn and
   * the event is built), never "emit it" as such. The object is reused as for `ordinary`.
   */
  ordinaryBytes?(line: Readonly<OrdinaryBytes>): boolean;
  /** Optional, for a parser that reads its bulk lines in runs (LineParser.run): what the fast paths would do with them. */
  runs?: RunSink;
  /**
   * Optional, for a consumer that writes every event as a record (`whoreset events`): a parser whose
   * compiled reader finds its bulk lines' fields has their records written from the lines' bytes.
   */
  records?: RecordSink;
}

/**
 * Where records written from bytes go (ParseContext.records), in line order with the events emitted
 * between them. Each holds what `emit` of the line's event would write.
 */
export interface RecordSink {
  /**
   * The program writing the record of a line whose event is `exemplar` but for its id and line, the
   * reader's `lineFields` and, with `timeSlot`, its time (the reader's slot holds it, as isoTime
   * writes it); undefined: none, such lines' events are emitted.
   */
  program(exemplar: Readonly<ConnectionEvent>, lineFields: Readonly<LineFields>, timeSlot: boolean): RecordProgram | undefined;
  /** Records written; the bytes hold only during the call. */
  write(bytes: Uint8Array): void;
}

/**
 * The fast paths for lines read in runs: what `ordinaryBytes` and `unremarkable` would do with each
 * line of a run, told once for the run. takesRequests and takesUnremarkable may only widen while a file is
 * read (a traffic sample that fills); takesFailed's answers hold until joins() changes.
 */
export interface RunSink {
  /**
   * Whether `ordinaryBytes` would take every request line of `source` (its time, status and
   * `utcOffset`, if its stamp prints one, in range) of a path that did not fail, keeping only its time.
   */
  takesRequests(source: Source, utcOffset: number | undefined): boolean;
  /** The paths that failed (path keys): the same list until one is added. */
  failedPaths(): readonly string[];
  /**
   * Whether `ordinaryBytes` would take a request line of failed `path` at `time`, keeping only its
   * time and that the path was logged then. Fills `quiet` with instants (instantOf's), from and to
   * excluded, at which it takes every request of the path for the rest of the file (none: from ≥ to).
   * `'later'`: where it would keep the line's event only for as long as nearer requests do not
   * displace it, it kept `later()` instead (the line, its event built only if still kept when reading
   * ends): this line is taken, and the path's next request is asked about again.
   */
  takesFailed(source: Source, path: string, time: number, zoneless: boolean, quiet: QuietSpan, later?: () => KeptLine): boolean | 'later';
  /** A source's own time as an instant on the timeline the quiet spans are in. */
  instantOf(source: Source, time: number, zoneless: boolean): number;
  /** A number that changes whenever takesFailed's answers may change (a request kept for a join): answers asked before it changed no longer hold. */
  joins(): number;
  /** What `ordinaryBytes` keeps of the request lines of failed paths it takes: that `source` logged each of `paths` (from 0 to `count`, by their number in failedPaths) at `time`. */
  present(source: Source, paths: Int32Array, count: number, time: number): void;
  /** Whether `unremarkable` would take every line of `source` of this kind, level and closer (its time in range). */
  takesUnremarkable(source: Source, kind: EventKind, level: string | undefined, closedBy: ClosedBy | undefined): boolean;
  /**
   * What the fast paths keep of such lines (zoneless as `zoneless`): that `source` logged in each of
   * `seconds` (Math.floor(time / 1000), in the order logged, from index 0 to `count`), and the latest time, `latest`.
   */
  counted(source: Source, zoneless: boolean, seconds: Float64Array, count: number, latest: number): void;
}

/**
 * A line kept without its event (RunSink.takesFailed): event() builds the event the line would have
 * emitted, checked; undefined where the line gives none (its problem reported then). One object a
 * line, its text and what reads it: a busy path keeps and drops hundreds of thousands.
 */
export abstract class KeptLine {
  abstract event(): ConnectionEvent | undefined;
}

/** Instants between which (both excluded) every request of a failed path is taken (RunSink.takesFailed). */
export interface QuietSpan {
  from: number;
  to: number;
}

/** What the `ordinary` fast path is told of a request line. */
export interface OrdinaryLine {
  source: Source;
  time: number;
  zoneless: boolean;
  /** Minutes east of UTC printed in the line's stamp, if it has a zone. */
  utcOffset: number | undefined;
  method: string;
  path: string;
  status: number;
}

/** What the `ordinaryBytes` fast path is told of a request line: its path as bytes of the line. */
export interface OrdinaryBytes extends Omit<OrdinaryLine, 'method' | 'path'> {
  bytes: Buffer;
  /** The path (query and all) is `bytes` from pathStart to pathEnd (exclusive), ASCII. */
  pathStart: number;
  pathEnd: number;
}

/** What the `unremarkable` fast path is told of a line that names no request. */
export interface UnremarkableLine {
  source: Source;
  kind: EventKind;
  level: string | undefined;
  closedBy: ClosedBy | undefined;
  time: number | null;
  zoneless: boolean;
}

/** The fields a parser decides for every event it reads. */
export type EventHead = Pick<ConnectionEvent, 'source' | 'kind' | 'time' | 'timeQuality'>;

/**
 * A new event read at line `no` of ctx's file. Its envelope is set here for every parser: id
 * `<file>:<line>`, file, line and the excerpt of `text`. One literal, so that every event starts
 * with the same hidden class; a spread into the literal made V8 take its slow path on every event.
 */
export function newEvent(ctx: Pick<ParseContext, 'file'>, no: number, text: string, head: EventHead): ConnectionEvent {
  return { id: `${ctx.file}:${no}`, source: head.source, kind: head.kind, time: head.time, timeQuality: head.timeQuality, file: ctx.file, line: no, excerpt: excerptOf(text) };
}

/** A stateful parser of one file; lines arrive in order, already stripped of CR, ANSI and CI prefixes. */
export interface LineParser {
  /**
   * @param text the line's content
   * @param no 1-based line number in the file
   * @param prefixTime epoch ms from a CI line prefix (GitHub Actions, GitLab, Jenkins), if any
   */
  line(text: string, no: number, prefixTime: number | undefined): void;
  /**
   * Optional byte path (ByteLineHandler in read/lines.ts): a plain ASCII line, `bytes` from start
   * to end (past its CI prefix, whose time it is not told), offered before it is decoded. True:
   * handled, `line` is not called for it; false: `line` gets it as text. Offered only where it pays:
   * a parser leaves it out when its context has no fast path. `bytes` holds until the reader reads
   * again: a parser keeping any of it longer copies it in `releaseBytes`.
   */
  bytes?(bytes: Buffer, start: number, end: number, no: number): boolean;
  /**
   * Optional, beside `bytes`: takes the lines of `bytes` from `run.at` on that `bytes` would take,
   * all at once, before `end` (past a line end) and up to the first line holding the byte at `limit`
   * (a CR, an ESC, a cut line's mark, a "| ": lines `bytes` is not offered). `ascii`: the lines are
   * known ASCII. Stops at the first line it does not take, which is then offered as usual: `run.at`
   * is left at that line's start (or `end`), `run.no` at the number of the last line taken.
   */
  run?(bytes: Buffer, end: number, limit: number, ascii: boolean, run: LineRun): void;
  /**
   * Optional, beside `bytes`: the bytes offered so far are about to be overwritten (the reader reads
   * the next piece of the file into the same memory). A parser copies what it still holds of them.
   */
  releaseBytes?(): void;
  /** End of file: flush any record still being folded. */
  end(): void;
}

/** One log format: how to recognise it from a file's first lines, and how to parse it. */
export interface FormatParser {
  source: Source;
  /** A human name for listings ("nginx error log"). */
  title: string;
  /**
   * How surely these first lines are this format, 0 (not at all) to 1 (certain). Content decides;
   * the file name is only a hint that may break a tie.
   */
  detect(firstLines: readonly string[], fileName: string): number;
  create(ctx: ParseContext): LineParser;
  /**
   * A big file may be cut into byte ranges read in parallel (`--jobs`), each numbered from its
   * first line in the file, and merged in order. `true`: the parser keeps no state from one line to the
   * next, any line start will do. `cutBefore`: it keeps state only within a record (a log record
   * and its traceback), so a range may start only at a line that starts a record.
   */
  splittable?: true | { cutBefore(line: string): boolean };
  /**
   * Not splittable as such, but the parser keeps state only after a line holding one of these
   * texts: a big file holding none of them (nor a '|', which a docker compose prefix needs and a
   * file read whole looks for in any line) gives the same events range by range, and is cut too.
   */
  statefulAfter?: readonly string[];
  /** Real lines as the program writes them, each with the kind it must yield (checked by the suite). */
  examples: readonly FormatExample[];
}

export interface FormatExample {
  /** The line(s) exactly as written by the program; several lines are one multi-line record. */
  lines: readonly string[];
  /** Fields the first event must carry; null means the lines must yield no event. */
  expect: Partial<ConnectionEvent> | null;
  /** Where the line comes from (a real run, an issue thread, the program's documentation). */
  origin: string;
}
