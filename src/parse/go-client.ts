/** Go net/http client errors (`Get "url": read tcp a->b: read: connection reset by peer`); parsed by client-failures.ts. */
import { createClientParser } from './client-failures.js';
import type { FormatParser } from './parser.js';
import { countScore } from './detect-score.js';

const GO_LINE = /\b(?:Get|Post|Put|Delete|Patch|Head) "https?:\/\/|\b(?:read|write|dial) tcp[46]? |net\/http: |^(?:=== RUN|--- FAIL:|--- PASS:|FAIL\t|ok  \t)/;

export const GO_FORMAT: FormatParser = {
  source: 'go',
  title: 'Go net/http client errors (go test, Go programs)',
  detect(firstLines, fileName) {
    return countScore(firstLines, (line) => GO_LINE.test(line), fileName, /\bgo\b|gotest/i, { base: 0.4, step: 0.05, cap: 0.7 });
  },
  create: (ctx) => createClientParser(ctx, { generic: true }),
  examples: [
    {
      lines: ['Get "http://127.0.0.1:8080/api/x": read tcp 127.0.0.1:51234->127.0.0.1:8080: read: connection reset by peer'],
      expect: { source: 'go', kind: 'reset', method: 'GET', host: '127.0.0.1', port: 8080, path: '/api/x', clientAddr: '127.0.0.1', clientPort: 51234, errnoName: 'ECONNRESET' },
      origin: 'Go net/http error text (net.OpError + url.Error), as in projectdiscovery/httpx issue #218 and 3Kmfi6HP/EDtunnel issue #23',
    },
    {
      lines: ['2026/11/24 06:40:01 Get "http://127.0.0.1:8080/api/x": net/http: request canceled (Client.Timeout exceeded while awaiting headers)'],
      expect: { kind: 'read-timeout', time: Date.UTC(2026, 10, 24, 6, 40, 1), zoneless: true, timeQuality: 'inferred' },
      origin: 'Go log.Printf of an http.Client timeout (net/http wording)',
    },
    {
      lines: ['Post "http://127.0.0.1:8080/api/report": EOF'],
      expect: { kind: 'remote-disconnected', method: 'POST', path: '/api/report' },
      origin: 'Go net/http: server closed a kept-alive connection before the response',
    },
    {
      lines: ['Get "http://x.invalid/": dial tcp: lookup x.invalid: no such host'],
      expect: { kind: 'dns-failure', errnoName: 'EAI_NONAME', host: 'x.invalid' },
      origin: 'Go net/http + net.DNSError wording',
    },
    {
      lines: ['Get "http://127.0.0.1:9106/api/x": dial tcp 127.0.0.1:9106: connect: connection refused'],
      expect: { kind: 'refused', errnoName: 'ECONNREFUSED', port: 9106 },
      origin: 'Go net/http, closed port (net.OpError wording)',
    },
    {
      lines: ['Get http://<ip>:<port>/volumes?initialized=yep: read tcp <same_ip>:<different_port>-><same_ip>:<original_port>: read: connection reset by peer'],
      expect: { kind: 'reset' },
      origin: 'concourse/concourse issue #312 (Go before 1.14 did not quote the URL; addresses masked)',
    },
    {
      lines: ['=== RUN   TestItems', '--- PASS: TestItems (0.00s)'],
      expect: null,
      origin: 'ordinary go test output',
    },
  ],
};
