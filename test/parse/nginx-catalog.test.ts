import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectionEvent, EventKind } from '../../src/model/event.js';
import { classifyNginxLine, findNginxMessage } from '../../src/parse/nginx-catalog.js';
import { nginxErrorFormat } from '../../src/parse/nginx-error.js';
import { NGINX_ACTIONS, NGINX_MESSAGES, NGINX_SOURCE, type NginxMessage } from '../../src/parse/nginx-messages.js';
import { parseLines } from '../../src/parse/run-lines.js';

// A value for each of nginx's conversions, as ngx_vslprintf would print one.
const VALUES: Record<string, string> = { '%V': 'backend.internal', '%s': 'x', '%*s': 'X-Bad', '%P': '4980', '%l': '20' };
const CONVERSION = /%(?:\*s|\d*[xX]?u?[A-Za-z])/g;

/** The message nginx composes from a template. */
function render(template: string): string {
  return template.replace(CONVERSION, (c) => VALUES[c] ?? (/[xX]/.test(c) ? '1F' : '7'));
}

const CLIENT_CONTEXT = ', client: 10.0.0.5, server: api.example, request: "POST /api/items?id=3 HTTP/1.1"';
const UPSTREAM_CONTEXT = ', upstream: "http://10.0.0.9:8080/api/items?id=3", host: "api.example:8443"';

interface Rendered {
  level: string;
  message: string;
  errno?: string;
  phase?: string;
  /** The `*N ` of the connection the message is about. */
  connection?: boolean;
  context?: string;
}

/** A line as nginx writes it: `YYYY/MM/DD HH:MM:SS [level] pid#tid: *N message (errno) while action, client: …`. */
function nginxLine(r: Rendered): string {
  const connection = r.connection ? '*7 ' : '';
  const errno = r.errno === undefined ? '' : ` (${r.errno})`;
  const phase = r.phase === undefined ? '' : ` while ${r.phase}`;
  return `2026/11/24 21:58:40 [${r.level}] 3425#3425: ${connection}${r.message}${errno}${phase}${r.context ?? ''}`;
}

function parseOne(line: string): ConnectionEvent {
  const { events, problems } = parseLines(nginxErrorFormat, [line], 'nginx/error.log');
  assert.deepEqual(problems, []);
  assert.equal(events.length, 1);
  return events[0]!;
}

type Side = 'client' | 'upstream' | 'nginx' | 'resolver';

/** The I/O failures an errno decides, one case a side: what nginx's ngx_connection_error path means by it. */
const ERRNO_CASES: ReadonlyArray<{ side: 'client' | 'upstream'; level: string; errno: string; name: string; kind: EventKind; closedBy?: string }> = [
  { side: 'client', level: 'info', errno: '104: Connection reset by peer', name: 'ECONNRESET', kind: 'client-closed', closedBy: 'client' },
  { side: 'client', level: 'info', errno: '32: Broken pipe', name: 'EPIPE', kind: 'client-closed', closedBy: 'client' },
  { side: 'upstream', level: 'error', errno: '104: Connection reset by peer', name: 'ECONNRESET', kind: 'upstream-reset', closedBy: 'server' },
  { side: 'upstream', level: 'error', errno: '111: Connection refused', name: 'ECONNREFUSED', kind: 'upstream-refused' },
  { side: 'upstream', level: 'error', errno: '113: No route to host', name: 'EHOSTUNREACH', kind: 'upstream-unreachable' },
  { side: 'upstream', level: 'error', errno: '110: Connection timed out', name: 'ETIMEDOUT', kind: 'upstream-timeout' },
];

const READS = /^(?:recv|readv|WSARecv|SSL_read|recvmsg|kevent)/;

/** The action nginx is in when a call of this template speaks about that side. */
function actionFor(template: string, side: 'client' | 'upstream'): string {
  if (template.startsWith('connect') || template.startsWith('kevent() reported that connect')) return 'connecting to upstream';
  if (template.includes('SSL handshake') || template.startsWith('SSL_do_handshake') || template === 'handshake rejected') return side === 'client' ? 'SSL handshaking' : 'SSL handshaking to upstream';
  if (READS.test(template)) return side === 'client' ? 'reading client request line' : 'reading response header from upstream';
  return side === 'client' ? 'sending to client' : 'sending request to upstream';
}

function checkFields(e: ConnectionEvent, r: Rendered): void {
  assert.equal(e.level, r.level);
  assert.equal(e.connId, r.connection ? '7' : undefined);
  if (r.context?.startsWith(', client: ')) {
    assert.equal(e.clientAddr, '10.0.0.5');
    assert.equal(e.method, 'POST');
    assert.equal(e.path, '/api/items?id=3');
    if (r.context.includes('upstream: ')) {
      assert.equal(e.upstream, 'http://10.0.0.9:8080/api/items?id=3');
      assert.equal(e.host, 'api.example');
      assert.equal(e.port, 8443);
    }
  }
  assert.equal(e.phase, r.phase);
}

function verdictOf(e: ConnectionEvent) {
  return classifyNginxLine({ message: e.message!, level: e.level!, resolver: e.excerpt.includes(', resolver: ') });
}

/** What one catalog entry's line must read as: one rendering for each side it can speak about. */
function cases(entry: NginxMessage): Array<{ r: Rendered; kind: EventKind; side: Side; closedBy?: string; errnoName?: string }> {
  const message = render(entry.template);
  if (entry.side === 'phase' && entry.kind === 'by-errno') {
    const upstreamOnly = entry.template.startsWith('connect') || entry.template.startsWith('kevent() reported that connect');
    return ERRNO_CASES.filter((c) => c.side === 'upstream' || !upstreamOnly)
      .map((c) => ({
        r: { level: c.level, message, errno: c.errno, phase: actionFor(entry.template, c.side), connection: true, context: CLIENT_CONTEXT + (c.side === 'upstream' ? UPSTREAM_CONTEXT : '') },
        kind: c.kind,
        side: c.side,
        ...(c.closedBy ? { closedBy: c.closedBy } : {}),
        errnoName: c.name,
      }));
  }
  if (entry.side === 'phase') {
    return (['client', 'upstream'] as const).map((side) => ({
      r: { level: side === 'client' ? 'info' : 'error', message, errno: '104: Connection reset by peer', phase: actionFor(entry.template, side), connection: true, context: CLIENT_CONTEXT + (side === 'upstream' ? UPSTREAM_CONTEXT : '') },
      kind: side === 'upstream' && entry.upstreamKind ? entry.upstreamKind : (entry.kind as EventKind),
      side,
      ...(entry.closedByPeer ? { closedBy: side === 'client' ? 'client' : 'server' } : {}),
    }));
  }
  if (entry.kind === 'by-errno') {
    return [{ r: { level: 'crit', message, errno: '24: Too many open files' }, kind: 'fd-exhausted', side: entry.side as Side, errnoName: 'EMFILE' }];
  }
  const level = entry.levels.includes('error') ? 'error' : entry.levels[0]!;
  const side = entry.side as Side;
  const phase = side === 'upstream' ? 'reading response header from upstream' : side === 'client' ? 'reading client request headers' : undefined;
  let r: Rendered;
  if (entry.template.startsWith('*%uA ')) {
    // Written when a worker exits: the connection's number, no request.
    r = { level, message: render(entry.template.slice(5)), connection: true };
  } else if (entry.sources.every((s) => s.startsWith('src/core/ngx_resolver.c'))) {
    r = { level, message, context: ', resolver: 127.0.0.11:53' };
  } else if (side === 'nginx' && !entry.template.includes('worker_connections') && !entry.sources.some((s) => s.startsWith('src/stream/'))) {
    // The master's and the workers' own lines: no connection.
    r = { level, message };
  } else {
    r = { level, message, ...(phase ? { phase } : {}), connection: true, context: CLIENT_CONTEXT + (side === 'client' ? '' : UPSTREAM_CONTEXT) };
  }
  return [
    {
      r,
      kind: entry.kind as EventKind,
      side,
      ...(entry.closedBy ? { closedBy: entry.closedBy } : {}),
    },
  ];
}

describe(`nginx message catalog (nginx ${NGINX_SOURCE.tag}, ${NGINX_SOURCE.commit.slice(0, 10)})`, () => {
  it('has a template, a kind, a side, levels and a source file:function for every entry', () => {
    assert.ok(NGINX_MESSAGES.length > 250, `${NGINX_MESSAGES.length} entries`);
    for (const entry of NGINX_MESSAGES) {
      assert.ok(entry.template.length > 0);
      assert.ok(entry.levels.length > 0, entry.template);
      for (const source of entry.sources) assert.match(source, /^src\/[\w/]+\.c:ngx_\w+$/, entry.template);
    }
    const templates = NGINX_MESSAGES.map((e) => e.template);
    assert.equal(new Set(templates).size, templates.length, 'a template is listed once, with all its sources');
  });

  for (const entry of NGINX_MESSAGES.filter((e) => e.kind !== 'other')) {
    for (const c of cases(entry)) {
      const line = nginxLine(c.r);
      it(`${c.kind} (${c.side}): ${line.slice(38, 160)}`, () => {
        const e = parseOne(line);
        assert.equal(e.kind, c.kind);
        assert.equal(e.closedBy, c.closedBy);
        checkFields(e, c.r);
        if (c.errnoName) assert.equal(e.errnoName, c.errnoName);
        const verdict = verdictOf(e);
        assert.equal(verdict.side, c.side);
        assert.equal(findNginxMessage(e.message!)?.template, entry.template, 'the line is read by its own template');
      });
    }
  }

  it('leaves the messages nginx writes about no connection failure as other (wording from the same source)', () => {
    const messages = [
      'start worker processes',
      'exit',
      'reopening logs',
      'using the "epoll" event method',
      'signal 17 (SIGCHLD) received from 4980',
      'signal 10 (SIGUSR1) received from 1, reopening logs',
      'worker process 4980 exited with code 0',
      'cache manager process 4981 exited on signal 9',
      'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1/00/0000000001 while reading upstream',
      'a client request body is buffered to a temporary file /var/cache/nginx/client_temp/0000000001',
      'delaying request, excess: 0.500, by zone "api"',
      'FastCGI sent in stderr: "PHP message: PHP Warning: undefined index"',
      'client sent invalid userid cookie "uid=x"',
      'upstream sent duplicate header line: "Expires: 0", previous value: "Expires: 1", ignored',
      'open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory)',
      'recv() failed (9: Bad file descriptor) while reading upstream',
    ];
    for (const message of messages) {
      const e = parseOne(nginxLine({ level: 'notice', message, connection: true, context: CLIENT_CONTEXT }));
      assert.equal(e.kind, 'other', message);
    }
  });

  it('names a side for every action nginx sets (log->action in the source)', () => {
    for (const [action, side] of Object.entries(NGINX_ACTIONS)) {
      assert.ok(['client', 'upstream', 'either', 'resolver', 'nginx'].includes(side), action);
    }
    assert.equal(parseOne(nginxLine({ level: 'info', message: 'client timed out', errno: '110: Connection timed out', phase: 'SSL handshaking', connection: true, context: CLIENT_CONTEXT })).phase, 'SSL handshaking');
    // A " while " inside a quoted value is not an action.
    const quoted = parseOne(nginxLine({ level: 'info', message: 'client sent invalid header line: "X-A: a while b"', connection: true, context: CLIENT_CONTEXT }));
    assert.equal(quoted.phase, undefined);
    assert.equal(quoted.kind, 'bad-request');
  });
});

describe('nginx error log: what the old parser misread', () => {
  it("reads a resolver's recv() failure as nginx's own DNS failure, not a client close", () => {
    const e = parseOne('2024/05/21 04:43:58 [error] 26#26: recv() failed (111: Connection refused) while resolving, resolver: 127.0.0.1:53');
    assert.equal(e.kind, 'resolver-failed');
    assert.equal(e.errnoName, 'ECONNREFUSED');
    assert.equal(e.closedBy, undefined);
    assert.equal(e.phase, 'resolving');
  });

  it('tells the upstream from the client of an upgraded (WebSocket) connection by the level', () => {
    const context = ', client: 10.0.0.5, server: ws.example, request: "GET /ws HTTP/1.1", upstream: "http://10.0.0.9:8080/ws", host: "ws.example"';
    const upstream = parseOne(`2026/11/24 21:58:40 [error] 31#31: *5 recv() failed (104: Connection reset by peer) while proxying upgraded connection${context}`);
    assert.deepEqual([upstream.kind, upstream.closedBy], ['upstream-reset', 'server']);
    const client = parseOne(`2026/11/24 21:58:40 [info] 31#31: *5 recv() failed (104: Connection reset by peer) while proxying upgraded connection${context}`);
    assert.deepEqual([client.kind, client.closedBy], ['client-closed', 'client']);
  });

  it('reads the errno in every form nginx writes it', () => {
    const forms: Array<[string, EventKind, number, string]> = [
      ['[info] 7#7: *3 client 10.0.0.5 closed keepalive connection (104: Connection reset by peer)', 'keepalive-closed', 104, 'ECONNRESET'],
      ['[info] 7#7: *3 client 10.0.0.5 closed keepalive connection (104)', 'keepalive-closed', 104, 'ECONNRESET'],
      // BSD / macOS (kqueue): the numbers of that platform.
      ['[error] 65194#3586531: *9 kevent() reported that connect() failed (61: Connection refused) while connecting to upstream, client: 127.0.0.1, server: localhost', 'upstream-refused', 61, 'ECONNREFUSED'],
      ['[info] 65194#3586531: *1 kevent() reported that client 127.0.0.1 closed keepalive connection (54: Connection reset by peer)', 'keepalive-closed', 54, 'ECONNRESET'],
      // Windows (Winsock): WSA numbers and texts.
      ['[info] 6652#12568: *4 WSARecv() failed (10054: An existing connection was forcibly closed by the remote host) while reading client request line, client: 127.0.0.1, server: 0.0.0.0:80', 'client-closed', 10054, 'ECONNRESET'],
      ['[error] 6652#12568: *4 upstream timed out (10060: A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond) while connecting to upstream, client: 127.0.0.1, server: localhost, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:9000/", host: "127.0.0.1"', 'upstream-timeout', 10060, 'ETIMEDOUT'],
    ];
    for (const [rest, kind, errno, name] of forms) {
      const e = parseOne(`2026/11/24 21:58:40 ${rest}`);
      assert.deepEqual([e.kind, e.errno, e.errnoName], [kind, errno, name], rest);
    }
    const windows = parseOne('2026/11/24 21:58:40 [error] 6652#12568: *4 upstream timed out (10060: A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond) while connecting to upstream, client: 127.0.0.1, server: localhost, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:9000/", host: "127.0.0.1"');
    assert.deepEqual([windows.phase, windows.path, windows.upstream], ['connecting to upstream', '/', 'http://127.0.0.1:9000/']);
  });

  it("reads a resolver's answer code as the DNS code it is, not an errno", () => {
    const nx = parseOne('2016/10/05 19:32:15 [error] 914385#914385: *50805 localhost could not be resolved (3: Host not found), client: 127.0.0.1, server: localhost, request: "GET / HTTP/1.1", host: "localhost"');
    assert.deepEqual([nx.kind, nx.errno, nx.errnoName], ['resolver-failed', undefined, 'NXDOMAIN']);
    const timeout = parseOne('2022/09/29 12:33:28 [error] 9726#9726: *1 example.com could not be resolved (110: Operation timed out), client: 127.0.0.1, server: localhost');
    assert.deepEqual([timeout.kind, timeout.errno, timeout.errnoName], ['resolver-failed', 110, 'ETIMEDOUT']);
  });
});
