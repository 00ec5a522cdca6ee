/**
 * HAProxy's configuration (haproxy.cfg), recognised by its content: how long each frontend keeps
 * an idle keep-alive connection from its clients. One event per port a `frontend` or `listen`
 * section binds, at its `bind` line (or the `listen` line that names an address).
 *
 * From doc/configuration.txt ("timeout http-keep-alive"): "If this parameter is not set, the
 * 'http-request' timeout applies, and if both are not set, 'timeout client' still applies at the
 * lower level." A section takes the timeouts of the last `defaults` section before it (or the one
 * it names with `from`) and may set its own; default parameters "are reset by the next 'defaults'
 * section". Times are in milliseconds unless a unit follows: us ms s m h d. A frontend with none of
 * the three keeps idle connections forever: no event.
 */
import type { FormatParser, LineParser, ParseContext } from './parser.js';
import { emitKeepalivePromise } from './keepalive-promise.js';

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, '': 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const TIME = /^(\d+)(us|ms|[smhd]?)$/;

/** A HAProxy time (`10s`, `500`, `1m`) in ms, or undefined when it is not one. */
export function haproxyTimeMs(text: string): number | undefined {
  const time = TIME.exec(text);
  return time ? Number(time[1]) * UNIT_MS[time[2]!]! : undefined;
}

const SECTION = /^(global|defaults|frontend|backend|listen|resolvers|peers|userlist|mailers|program|http-errors|ring|cache|crt-store|traces)(?:\s+(\S+))?(.*)$/;
const KEYWORD = /^\s+(?:timeout|bind|mode|server|option|maxconn|log|default_backend|use_backend|balance|acl|http-request|http-response|stats|retries|daemon|user|group|chroot|pidfile|nbthread|tcp-request|errorfile|http-check|default-server|cookie|capture)\b/;
/** The keep-alive timeouts, in the order the docs say one stands for the next. */
const KEEPALIVE_TIMEOUTS = ['http-keep-alive', 'http-request', 'client'] as const;
type Timeouts = Partial<Record<(typeof KEEPALIVE_TIMEOUTS)[number], { ms: number; no: number; value: string }>>;

interface Section {
  kind: string;
  name: string | undefined;
  timeouts: Timeouts;
  inherited: Timeouts;
  binds: { port: number; no: number; text: string }[];
}

/** The ports of a bind address list: `:8080`, `*:80`, `127.0.0.1:8080,127.0.0.1:8081`, `[::]:443`, `ipv4@:80`. */
export function bindPorts(addresses: string): number[] {
  const ports: number[] = [];
  for (const address of addresses.split(',')) {
    const port = /:(\d+)$/.exec(address);
    if (port) ports.push(Number(port[1]));
  }
  return ports;
}

class HaproxyConfigParser implements LineParser {
  private section: Section | undefined;
  private readonly defaults = new Map<string, Timeouts>();
  private lastDefaults: Timeouts = {};

  constructor(private readonly ctx: ParseContext) {}

  line(text: string, no: number): void {
    const hash = text.indexOf('#');
    const code = (hash < 0 ? text : text.slice(0, hash)).trimEnd();
    if (code.trim() === '') return;
    const section = SECTION.exec(code);
    if (section && !/^\s/.test(code)) {
      this.endSection();
      const [, kind = '', name, rest = ''] = section;
      const from = /\bfrom\s+(\S+)/.exec(rest)?.[1];
      // A defaults section starts afresh ("reset by the next defaults section"), unless it names one `from`.
      const named = from === undefined ? undefined : this.defaults.get(from);
      const inherited = named ?? (kind === 'defaults' ? {} : this.lastDefaults);
      this.section = { kind, name, timeouts: {}, inherited, binds: [] };
      // `listen name 127.0.0.1:8080` binds as it opens (the older form).
      if (kind === 'listen' && rest.trim() !== '') this.bind(rest.trim().split(/\s+/)[0]!, no, text);
      return;
    }
    const current = this.section;
    if (!current) return;
    const words = code.trim().split(/\s+/);
    if (words[0] === 'bind' && words[1] !== undefined) this.bind(words[1], no, text);
    if (words[0] !== 'timeout' || words[2] === undefined) return;
    const which = KEEPALIVE_TIMEOUTS.find((name) => name === words[1]);
    if (which === undefined) return;
    const ms = haproxyTimeMs(words[2]);
    if (ms === undefined) this.ctx.problem(no, `timeout ${which}: not a HAProxy time: ${words[2]}`);
    else current.timeouts[which] = { ms, no, value: words[2] };
  }

  end(): void {
    this.endSection();
  }

  private bind(addresses: string, no: number, text: string): void {
    for (const port of bindPorts(addresses)) this.section!.binds.push({ port, no, text });
  }

  private endSection(): void {
    const section = this.section;
    this.section = undefined;
    if (!section) return;
    if (section.kind === 'defaults') {
      this.lastDefaults = { ...section.inherited, ...section.timeouts };
      if (section.name !== undefined) this.defaults.set(section.name, this.lastDefaults);
      return;
    }
    if (section.kind !== 'frontend' && section.kind !== 'listen') return;
    const timeouts = { ...section.inherited, ...section.timeouts };
    const which = KEEPALIVE_TIMEOUTS.find((name) => timeouts[name] !== undefined);
    if (which === undefined) return;
    const { ms, no: setAt, value } = timeouts[which]!;
    for (const bind of section.binds) {
      emitKeepalivePromise(this.ctx, bind.no, bind.text, { port: bind.port, timeoutMs: ms, message: `timeout ${which} ${value} (line ${setAt})` });
    }
  }
}

export const HAPROXY_CONFIG_FORMAT: FormatParser = {
  source: 'server-config',
  title: 'HAProxy configuration',
  detect(firstLines) {
    let sections = 0;
    let keywords = 0;
    let other = 0;
    for (const line of firstLines) {
      const code = line.replace(/#.*/, '');
      if (code.trim() === '') continue;
      if (!/^\s/.test(code) && SECTION.test(code)) sections++;
      else if (KEYWORD.test(code)) keywords++;
      else if (!/^\s/.test(code)) other++;
    }
    // Sections at the margin, their keywords indented under them, nothing else at the margin.
    return sections > 0 && keywords >= 2 && other === 0 ? 0.9 : 0;
  },
  create: (ctx) => new HaproxyConfigParser(ctx),
  examples: [
    {
      lines: ['defaults', '    mode http', '    timeout client 30s', '    timeout http-keep-alive 10s', 'frontend fe', '    bind *:8080'],
      expect: { source: 'server-config', kind: 'keepalive-timeout', port: 8080, timeoutMs: 10_000, line: 6 },
      origin: 'haproxy/haproxy doc/configuration.txt, "timeout http-keep-alive" (set in defaults, applies to the frontends after it)',
    },
    {
      lines: ['defaults', '    timeout connect 5000', '    timeout client  50000', '    timeout server  50000', 'frontend harbor_http', '    bind                    *:80', '    mode                    http'],
      expect: { kind: 'keepalive-timeout', port: 80, timeoutMs: 50_000, message: 'timeout client 50000 (line 3)' },
      origin: 'doc/configuration.txt: with neither http-keep-alive nor http-request set, "timeout client" applies (times without a unit are ms)',
    },
  ],
};
