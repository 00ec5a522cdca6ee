/**
 * One line parser for every HTTP client's failure output, so a CI log that mixes them (npm, then
 * curl, then a Go test) is read whole. It mixes the recognizers of clients/ — curl errors and `-v`
 * traces, Node error objects and npm's block, Java and .NET exceptions (folded), the one-line
 * clients (httpx/aiohttp, Go, Rust) — and with `generic`, any other line that names a connection
 * failure becomes an event too (source 'other').
 *
 * The client formats (curl.ts, node-client.ts, go-client.ts, java-client.ts, other-clients.ts) and
 * the fallback differ only in what they recognise a file by, and carry each client's real examples.
 */
import type { EventKind } from '../model/event.js';
import { errnoFields, leadingTime, MAX_RECORD_LINES, type Clock, type Emit, type Fields } from './clients/common.js';
import { CurlReader } from './clients/curl.js';
import { continueJvm, flushJvm, startJvm, type JavaRecord } from './clients/jvm.js';
import { continueNode, flushNode, startNode, startNodeAfterText, type NodeRecord } from './clients/node.js';
import { continueNpm, flushNpm, startNpm, type NpmRecord } from './clients/npm.js';
import { readOneLine } from './clients/one-line.js';
import { addHopFacts, addressesIn, classifyFailure, mayNameFailure } from './failure-text.js';
import { parseFirewallLine } from './kernel-firewall.js';
import type { LineParser, ParseContext } from './parser.js';
import { newEvent } from './parser.js';
import { yearOf } from './syslog-prefix.js';

export { leadingTime } from './clients/common.js';

export interface ClientParserOptions {
  /** Lines that name a failure but match no client's own shape become 'other' events. */
  generic: boolean;
}

export function createClientParser(ctx: ParseContext, options: ClientParserOptions): LineParser {
  let node: NodeRecord | undefined;
  let java: JavaRecord | undefined;
  let npm: NpmRecord | undefined;
  // Generic events of one Python traceback chain are one failure: later lines of the chain fold in.
  let lastGeneric: { no: number; kind: EventKind } | undefined;
  let chainBroken = false;
  /** A traceback began since the last generic event: only then is a same-kind line its chain's repeat. */
  let chained = false;
  // A Python traceback's `  File "…"` line: the indented source line after it quotes code, not a failure.
  let afterPyFrame = false;

  const emit: Emit = (source, kind, no, excerpt, clock, fields, said = excerpt) => {
    addHopFacts(kind, said, fields);
    const event = newEvent(ctx, no, excerpt, { source, kind, time: clock.time, timeQuality: clock.timeQuality });
    if (clock.zoneless) event.zoneless = true;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) (event as unknown as Record<string, unknown>)[key] = value;
    }
    ctx.emit(event);
  };
  const curl = new CurlReader(emit);

  // -- generic (fallback)
  const genericLine = (text: string, no: number, clock: Clock): void => {
    const meaning = classifyFailure(text);
    if (!meaning) {
      // A column-0 line that is not part of a traceback ends the chain.
      if (text.length > 0 && text.charCodeAt(0) !== 32 && text.charCodeAt(0) !== 9 && !/^(?:Traceback |During handling|The above exception|\^)/.test(text)) chainBroken = true;
      return;
    }
    if (lastGeneric && lastGeneric.kind === meaning.kind && no - lastGeneric.no <= 40 && !chainBroken && chained) return;
    lastGeneric = { no, kind: meaning.kind };
    chainBroken = false;
    chained = false;
    const fields: Fields = {};
    errnoFields(text, meaning, fields);
    addressesIn(text, fields);
    const exc = /^\s*(?:[\w.]+\.)?([A-Z]\w*(?:Error|Exception))(?::|$)/.exec(text);
    if (exc) fields.exception = exc[0].trim().replace(/:$/, '');
    emit('other', meaning.kind, no, text, clock, fields);
  };

  /** Clients whose failure is one line (httpx/aiohttp, Go, Rust), then the generic table. */
  const singleLine = (text: string, no: number, clock: Clock): void => {
    const found = readOneLine(text, no, clock, emit);
    if (found?.source === 'client') {
      // A Python client's line is the chain's event: the generic lines after it fold in.
      lastGeneric = { no, kind: found.kind };
      chainBroken = false;
      chained = false;
    }
    if (found === undefined && options.generic) genericLine(text, no, clock);
  };

  const endNode = (): void => {
    if (node && !flushNode(node, emit)) singleLine(node.head, node.no, node.clock);
    node = undefined;
  };
  const endJava = (): void => {
    if (java && !flushJvm(java, emit)) singleLine(java.head, java.no, java.clock);
    java = undefined;
  };
  const endNpm = (): void => {
    if (npm) flushNpm(npm, emit);
    npm = undefined;
  };

  return {
    line(text, no, prefixTime) {
      const quotedSource = afterPyFrame && text.charCodeAt(0) === 32;
      afterPyFrame = text.startsWith('  File "');
      if (quotedSource) return;
      // Folded records first: their continuation lines belong to them.
      if (node) {
        if (node.lines < MAX_RECORD_LINES && continueNode(node, text)) return;
        endNode();
      }
      if (java) {
        if (java.lines < MAX_RECORD_LINES && continueJvm(java, text)) return;
        endJava();
      }
      if (npm) {
        if (npm.lines < MAX_RECORD_LINES && continueNpm(npm, text)) return;
        endNpm();
      }
      if (text.length === 0) return;
      if (curl.line(text, no, prefixTime)) return;
      // A kernel firewall LOG line quoted in any text.
      if (options.generic && text.indexOf(' SRC=') !== -1 && text.indexOf('IN=') !== -1) {
        const fw = parseFirewallLine(text, yearOf(prefixTime));
        if (fw) {
          ctx.emit(Object.assign(newEvent(ctx, no, text, fw), fw));
          return;
        }
      }

      const first = text.charCodeAt(0);
      // npm: "npm ERR! code ECONNRESET", "npm error network request to … failed, reason: …"
      if (first === 110 && text.startsWith('npm ')) {
        const started = startNpm(text, no, prefixTime);
        if (started) {
          npm = started.record;
          return;
        }
      }
      // Node error heads (the record folds the lines after it).
      if ((first >= 65 && first <= 90) || first === 123 || first === 91) {
        node = startNode(text, no, prefixTime);
        if (node) return;
      }
      // Java and .NET exception heads.
      java = startJvm(text, no, prefixTime);
      if (java) return;
      // A Node error after a message ("sync failed: Error: …"): its frames and properties are its own, not failures of their own.
      node = startNodeAfterText(text, no, prefixTime);
      if (node) return;
      if (!mayNameFailure(text)) {
        if (options.generic && text.charCodeAt(0) !== 32 && text.charCodeAt(0) !== 9) {
          if (/^(?:Traceback |During handling|The above exception)/.test(text)) chained = true;
          else chainBroken = true;
        }
        return;
      }
      singleLine(text, no, leadingTime(text, prefixTime));
    },
    end() {
      endNode();
      endJava();
      endNpm();
      curl.flush();
    },
  };
}
