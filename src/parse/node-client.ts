/** Node.js client errors (http, undici fetch, axios) and npm's `npm ERR!` blocks; parsed by client-failures.ts. */
import { createClientParser } from './client-failures.js';
import type { FormatParser } from './parser.js';
import { countScore } from './detect-score.js';

const NODE_LINE = /^\s+at .*\((?:node:|file:\/\/|\/)|^\s+at node:|^Node\.js v\d+|^\s+code: '[A-Z_]+'|^npm (?:ERR!|error) |^\s+\[cause\]: |^(?:Uncaught )?(?:\w*Error)(?: \[\w+\])?: (?:read|write|connect|getaddrinfo) E[A-Z]+|socket hang up|fetch failed/;

export const NODE_FORMAT: FormatParser = {
  source: 'node',
  title: 'Node.js / npm client errors',
  detect(firstLines, fileName) {
    return countScore(firstLines, (line) => NODE_LINE.test(line), fileName, /node|npm|jest|mocha|vitest/i, { base: 0.4, step: 0.05, cap: 0.75 });
  },
  create: (ctx) => createClientParser(ctx, { generic: true }),
  examples: [
    {
      lines: [
        'Error: socket hang up',
        '    at Socket.socketOnEnd (node:_http_client:528:25)',
        '    at Socket.emit (node:events:536:35)',
        '    at endReadableNT (node:internal/streams/readable:1698:12)',
        '    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {',
        "  code: 'ECONNRESET'",
        '}',
      ],
      expect: { source: 'node', kind: 'remote-disconnected', exception: 'Error', message: 'code ECONNRESET' },
      origin: 'Node 20.20.2 http.get, backend closes without a response (lab run, 127.0.0.1)',
    },
    {
      lines: [
        'Error: read ECONNRESET',
        '    at TCP.onStreamRead (node:internal/stream_base_commons:218:20) {',
        '  errno: -104,',
        "  code: 'ECONNRESET',",
        "  syscall: 'read'",
        '}',
      ],
      expect: { kind: 'reset', errno: 104, errnoName: 'ECONNRESET' },
      origin: 'Node 20.20.2 http.get, backend RST (lab run)',
    },
    {
      lines: [
        'Error: connect ECONNREFUSED 127.0.0.1:9106',
        '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16) {',
        '  errno: -111,',
        "  code: 'ECONNREFUSED',",
        "  syscall: 'connect',",
        "  address: '127.0.0.1',",
        '  port: 9106',
        '}',
      ],
      expect: { kind: 'refused', errnoName: 'ECONNREFUSED', host: '127.0.0.1', port: 9106 },
      origin: 'Node 20.20.2 http.get, closed port (lab run)',
    },
    {
      lines: [
        'Error: getaddrinfo ENOTFOUND x.invalid',
        '    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26) {',
        '  errno: -3008,',
        "  code: 'ENOTFOUND',",
        "  syscall: 'getaddrinfo',",
        "  hostname: 'x.invalid'",
        '}',
      ],
      expect: { kind: 'dns-failure', errnoName: 'EAI_NONAME', host: 'x.invalid' },
      origin: 'Node 20.20.2 http.get, unknown name (lab run)',
    },
    {
      lines: [
        'TypeError: fetch failed',
        '    at node:internal/deps/undici/undici:14976:13',
        '    at async file:///tmp/lab/n.mjs:8:9 {',
        '  [cause]: SocketError: other side closed',
        '      at Socket.<anonymous> (node:internal/deps/undici/undici:6436:28)',
        '      at Socket.emit (node:events:536:35) {',
        "    code: 'UND_ERR_SOCKET',",
        '    socket: {',
        "      localAddress: '127.0.0.1',",
        '      localPort: 37440,',
        "      remoteAddress: '127.0.0.1',",
        '      remotePort: 9102,',
        "      remoteFamily: 'IPv4',",
        '      timeout: undefined,',
        '      bytesWritten: 174,',
        '      bytesRead: 0',
        '    },',
        '    [Symbol(undici.error.UND_ERR)]: true,',
        '    [Symbol(undici.error.UND_ERR_SOCKET)]: true',
        '  }',
        '}',
      ],
      expect: { kind: 'remote-disconnected', exception: 'TypeError', cause: 'SocketError', host: '127.0.0.1', port: 9102 },
      origin: 'Node 20.20.2 global fetch (undici), backend closes without a response (lab run)',
    },
    {
      lines: [
        'node:internal/deps/undici/undici:14976',
        '      Error.captureStackTrace(err);',
        '            ^',
        '',
        'TypeError: fetch failed',
        '    at node:internal/deps/undici/undici:14976:13',
        '    at async file:///tmp/lab/n2.mjs:1:1 {',
        '  [cause]: Error: read ECONNRESET',
        '      at TCP.onStreamRead (node:internal/stream_base_commons:218:20) {',
        '    errno: -104,',
        "    code: 'ECONNRESET',",
        "    syscall: 'read'",
        '  }',
        '}',
        '',
        'Node.js v20.20.2',
      ],
      expect: { kind: 'reset', cause: 'Error', errno: 104, line: 5 },
      origin: 'Node 20.20.2, an uncaught fetch rejection (lab run)',
    },
    {
      lines: [
        'npm ERR! code ECONNRESET',
        'npm ERR! errno ECONNRESET',
        'npm ERR! network request to https://registry.npmjs.org/left-pad failed, reason: read ECONNRESET',
        'npm ERR! network This is a problem related to network connectivity.',
        'npm ERR! network In most cases you are behind a proxy or have bad network settings.',
      ],
      expect: { source: 'node', kind: 'reset', errnoName: 'ECONNRESET', host: 'registry.npmjs.org', port: 443, path: '/left-pad', exception: 'npm ERR! code ECONNRESET' },
      origin: 'npm 6-9 error block (as quoted in npm/cli and nodejs/help issue threads; package name illustrative)',
    },
    {
      lines: ['npm error code ECONNRESET', 'npm error network aborted', 'npm error network This is a problem related to network connectivity.'],
      expect: { kind: 'reset' },
      origin: 'npm 10 wording ("npm error"), npm/cli issue #8015 shape',
    },
    {
      lines: ["{ Error: read ECONNRESET at exports._errnoException (util.js:1024:11) at TCP.onread (net.js:610:25) code: 'ECONNRESET', errno: 'ECONNRESET', syscall: 'read' }"],
      expect: { kind: 'reset', errnoName: 'ECONNRESET' },
      origin: 'old Node one-line error object, request/request issue #2883',
    },
    {
      lines: ['AxiosError: socket hang up', '    at AxiosError.from (/app/node_modules/axios/dist/node/axios.cjs:837:14)', "  code: 'ECONNRESET',"],
      expect: { kind: 'remote-disconnected', exception: 'AxiosError' },
      origin: 'axios 1.x wrapping a socket hang up (shape from axios issue reports; path illustrative)',
    },
    {
      lines: ['Error: Cannot find module \'x\'', '    at Module._resolveFilename (node:internal/modules/cjs/loader:1140:15)'],
      expect: null,
      origin: 'an ordinary Node error',
    },
  ],
};
