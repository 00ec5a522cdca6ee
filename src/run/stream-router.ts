import { MIN_SCORE } from '../discover/detect.js';
import type { FormatParser, LineParser, ParseContext } from '../parse/parser.js';

/** Lines of a stream buffered before its formats are decided: enough for detect(), bounded. */
const DETECT_LINES = 20;

/** A stream's parsers: one per format it holds (nginx in a container writes error and access lines). */
interface Stream {
  parsers: Array<{ format: FormatParser; parser: LineParser }>;
  /** Continuation lines (a traceback's) follow the parser of the line before them. */
  last: LineParser | undefined;
  pending: Array<[string, number, number | undefined]> | undefined;
}

/**
 * A file in which a wrapper names the program of each line (docker compose's "nginx-1  | ") holds
 * several logs at once. Each named stream gets the parsers of the formats its own first lines show;
 * with several, each line goes to the format that recognises it. Lines without a name go to the
 * file's parser. Nothing of a mixed file is lost to the wrong parser.
 */
export class StreamRouter {
  private readonly streams = new Map<string, Stream>();

  /**
   * The file parser's byte path, if it has one: the reader offers it only lines that name no stream
   * (lines that may hold "| " go to `line`), and those are the file parser's.
   */
  readonly bytes: LineParser['bytes'];
  /** The file parser's runs of lines, offered the same lines as `bytes`. */
  readonly run: LineParser['run'];
  /** The file parser's copy of the bytes it holds, before the reader overwrites them. */
  readonly releaseBytes: LineParser['releaseBytes'];

  constructor(
    private readonly fileParser: LineParser,
    private readonly ctx: ParseContext,
    private readonly fileName: string,
    private readonly formats: readonly FormatParser[],
    private readonly fallback: FormatParser | undefined,
  ) {
    this.bytes = fileParser.bytes?.bind(fileParser);
    this.run = fileParser.run?.bind(fileParser);
    this.releaseBytes = fileParser.releaseBytes?.bind(fileParser);
  }

  line(text: string, no: number, prefixTime: number | undefined, name: string | undefined): void {
    if (name === undefined) {
      this.fileParser.line(text, no, prefixTime);
      return;
    }
    let stream = this.streams.get(name);
    if (!stream) this.streams.set(name, (stream = { parsers: [], last: undefined, pending: [] }));
    if (stream.pending) {
      stream.pending.push([text, no, prefixTime]);
      if (stream.pending.length >= DETECT_LINES) this.start(stream);
      return;
    }
    this.route(stream, text, no, prefixTime);
  }

  end(): void {
    this.fileParser.end();
    for (const stream of this.streams.values()) {
      if (stream.pending) this.start(stream);
      for (const { parser } of stream.parsers) parser.end();
    }
  }

  private start(stream: Stream): void {
    const lines = stream.pending!.map(([text]) => text);
    const claimed = this.formats
      .map((format) => ({ format, score: format.detect(lines, this.fileName) }))
      .filter(({ score }) => score > MIN_SCORE / 4)
      .sort((a, b) => b.score - a.score)
      .map(({ format }) => format);
    const formats = claimed.length > 0 ? claimed : this.fallback ? [this.fallback] : [];
    stream.parsers = formats.map((format) => ({ format, parser: format.create(this.ctx) }));
    const pending = stream.pending!;
    stream.pending = undefined;
    for (const [text, no, prefixTime] of pending) this.route(stream, text, no, prefixTime);
  }

  private route(stream: Stream, text: string, no: number, prefixTime: number | undefined): void {
    const parsers = stream.parsers;
    if (parsers.length === 0) return;
    let target = parsers.length === 1 ? parsers[0]!.parser : parsers.find(({ format }) => format.detect([text], this.fileName) > MIN_SCORE)?.parser;
    target ??= stream.last ?? parsers[0]!.parser;
    stream.last = target;
    target.line(text, no, prefixTime);
  }
}
