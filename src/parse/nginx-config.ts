/**
 * nginx's configuration (nginx.conf, conf.d/*.conf, sites-enabled/*), recognised by its content:
 * how long each `server` keeps an idle keep-alive connection. One event per port a server block
 * listens on (at its `listen` line), and one per `keepalive_timeout` of the http block (no port),
 * which a server block that sets none inherits, here or from the file that includes it.
 *
 * From the docs (https://nginx.org/en/docs/http/ngx_http_core_module.html#keepalive_timeout):
 * `keepalive_timeout timeout [header_timeout];`, default 75s, context http, server, location; 0
 * disables keep-alive. Times (https://nginx.org/en/docs/syntax.html): ms s m h d w M y, seconds
 * without a unit, several in a row add up ("1m30s"). `listen` without a port is port 80, a server
 * without `listen` listens on *:80. An `upstream` block's keepalive_timeout is about nginx's
 * connections to its upstream, not the client's: it is left out.
 */
import type { FormatParser, LineParser, ParseContext } from './parser.js';
import { emitKeepalivePromise } from './keepalive-promise.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, M: 2_592_000_000, y: 31_536_000_000 };
const TIME_PART = /(\d+)(ms|[smhdwMy]?)/y;

/** An nginx time (`75s`, `500ms`, `1m30s`, `65`) in ms, or undefined when it is not one. */
export function nginxTimeMs(text: string): number | undefined {
  let total = 0;
  TIME_PART.lastIndex = 0;
  while (TIME_PART.lastIndex < text.length) {
    const at = TIME_PART.lastIndex;
    const part = TIME_PART.exec(text);
    if (!part || part.index !== at) return undefined;
    total += Number(part[1]) * UNIT_MS[part[2]!]!;
  }
  return text.length > 0 ? total : undefined;
}

/** The port of a `listen` argument: `8080`, `127.0.0.1:8080`, `[::]:80`, `localhost` (80); none for `unix:`. */
export function listenPort(address: string): number | undefined {
  if (address.startsWith('unix:')) return undefined;
  if (/^\d+$/.test(address)) return Number(address);
  const port = /:(\d+)$/.exec(address);
  return port ? Number(port[1]) : 80;
}

/** A statement: `name args… ;` or `name args… {`, or a closing `}`. */
const DIRECTIVE = /^([a-z_][a-z0-9_]*)(?:\s+[^;{}#]*)?\s*[;{]\s*(?:#.*)?$/;
const BLOCK_NAMES = /^\s*(?:events|http|server|location|upstream|stream|map|types|mail|if|limit_except|geo|split_clients)\b[^;{}]*\{\s*(?:#.*)?$/;

function isConfigLine(line: string): boolean {
  const text = line.trim();
  return text.startsWith('#') || text === '}' || text === '{' || DIRECTIVE.test(text);
}

interface Block {
  name: string;
  /** Where the block opens: a server without `listen` is reported there. */
  no: number;
  text: string;
  /** server blocks: their listen lines. */
  listens: { port: number; no: number; text: string }[];
  /** server blocks: the longest keepalive_timeout set in the block or its locations. */
  keepalive: { ms: number; no: number; value: string } | undefined;
}

class NginxConfigParser implements LineParser {
  private readonly stack: Block[] = [];
  /** A statement spread over lines (`listen\n 8080;`), kept until its `;` or `{`; where it began. */
  private pending = '';
  private pendingNo = 0;

  constructor(private readonly ctx: ParseContext) {}

  line(text: string, no: number): void {
    // Statements end with ; { or } outside quotes: several may share a line (`location / { return 444; }`),
    // a quoted log_format may hold any of them, and # starts a comment only outside quotes.
    let quote = '';
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (quote !== '') {
        if (c === '\\') i++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (c === '#') {
        break;
      } else if (c === ';' || c === '{' || c === '}') {
        this.statement(this.take(text.slice(start, i), no), c, this.pendingNo, text);
        start = i + 1;
      }
    }
    const hash = quote === '' ? text.indexOf('#', start) : -1;
    this.take(text.slice(start, hash < 0 ? text.length : hash), no, true);
  }

  /** The statement pending so far with `code` added; kept (`keep`) while it has not ended. */
  private take(code: string, no: number, keep = false): string {
    const part = code.trim();
    if (this.pending === '' && part !== '') this.pendingNo = no;
    const whole = this.pending === '' ? part : part === '' ? this.pending : `${this.pending} ${part}`;
    this.pending = keep ? whole : '';
    return whole;
  }

  end(): void {
    while (this.stack.length > 0) this.close();
  }

  private statement(words: string, end: string, no: number, text: string): void {
    if (end === '}') {
      this.close();
      return;
    }
    const [name = '', ...args] = words.split(/\s+/);
    if (end === '{') {
      this.stack.push({ name, no, text, listens: [], keepalive: undefined });
      return;
    }
    const server = this.enclosing('server');
    if (name === 'listen' && server && args[0] !== undefined) {
      const port = listenPort(args[0]);
      if (port !== undefined) server.listens.push({ port, no, text });
      return;
    }
    if (name !== 'keepalive_timeout' || args[0] === undefined || this.enclosing('upstream')) return;
    const ms = nginxTimeMs(args[0]);
    if (ms === undefined) {
      this.ctx.problem(no, `keepalive_timeout: not an nginx time: ${args[0]}`);
      return;
    }
    if (server) {
      if (server.keepalive === undefined || ms > server.keepalive.ms) server.keepalive = { ms, no, value: args[0] };
    } else if (this.stack.length === 0 || this.stack.every((b) => b.name === 'http')) {
      emitKeepalivePromise(this.ctx, no, text, { timeoutMs: ms, message: `keepalive_timeout ${args[0]} (http block)` });
    }
  }

  private enclosing(name: string): Block | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i]!.name === name) return this.stack[i];
    return undefined;
  }

  private close(): void {
    const block = this.stack.pop();
    if (block?.name !== 'server') return;
    const listens = block.listens.length > 0 ? block.listens : [{ port: 80, no: block.no, text: block.text }];
    const set = block.keepalive;
    for (const listen of listens) {
      emitKeepalivePromise(this.ctx, listen.no, listen.text, {
        port: listen.port,
        timeoutMs: set?.ms,
        message: set ? `keepalive_timeout ${set.value} (line ${set.no})` : 'keepalive_timeout not set in this server block',
      });
    }
  }
}

export const NGINX_CONFIG_FORMAT: FormatParser = {
  source: 'server-config',
  title: 'nginx configuration',
  detect(firstLines) {
    let statements = 0;
    let other = 0;
    let blocks = 0;
    for (const line of firstLines) {
      if (line.trim() === '') continue;
      if (isConfigLine(line)) statements++;
      else other++;
      if (BLOCK_NAMES.test(line)) blocks++;
    }
    // Every line a statement, a brace or a comment, and a block nginx knows: nothing else reads so.
    return blocks > 0 && statements >= 3 && other <= statements / 10 ? 0.9 : 0;
  },
  create: (ctx) => new NginxConfigParser(ctx),
  examples: [
    {
      lines: ['http {', '    keepalive_timeout  65;', '    server {', '        listen       10080;', '    }', '}'],
      expect: { source: 'server-config', kind: 'keepalive-timeout', timeoutMs: 65_000, line: 2 },
      origin: 'nginx/nginx conf/nginx.conf (the default configuration shipped with nginx), its http block',
    },
    {
      lines: ['server {', '    listen 127.0.0.1:27760;', '    keepalive_timeout 1s;', '}'],
      expect: { kind: 'keepalive-timeout', port: 27760, timeoutMs: 1000, line: 2 },
      origin: 'samples/lab (lab.py): the nginx.conf the lab writes for the stale keep-alive scenarios',
    },
    {
      lines: ['upstream app {', '    server 127.0.0.1:9000;', '    keepalive 16;', '    keepalive_timeout 60s;', '}'],
      expect: null,
      origin: 'https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive_timeout (nginx to its upstream: not the client\'s keep-alive)',
    },
  ],
};
