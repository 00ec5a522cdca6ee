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
      lines: ['Error response from daemon: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 127.0.1.1:53: read udp 127.0.0.1:39049->127.0.1.1:53: read: connection refused'],
      expect: { kind: 'dns-failure', errnoName: 'EAI_AGAIN' },
      origin: "docker pull (Go's resolver) with no DNS server on 127.0.1.1 after boot: moby/moby issue, test/realworld/docker-pull-dns-127-0-1-1-refused-after-boot",
    },
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
      lines: ['Get "https://www.bilibili.com/video/BV1": proxyconnect tcp: dial tcp 127.0.0.1:8889: connect: connection refused'],
      expect: { kind: 'proxy-error', closedBy: 'proxy', upstream: '127.0.0.1:8889', method: 'GET', host: 'www.bilibili.com', port: 443, errnoName: 'ECONNREFUSED' },
      origin: 'iawia002/lux issue #917 (Go net/http transport "proxyconnect" OpError; URL path illustrative)',
    },
    {
      lines: ['2024/01/31 22:34:01 [ERRO] ▶ 127.0.0.1:33560 Get "https://www.google.com:443/search?q=x": proxyconnect tcp: dial tcp 10.0.0.7:3128: connect: connection refused'],
      expect: { kind: 'proxy-error', upstream: '10.0.0.7:3128', host: 'www.google.com', path: '/search' },
      origin: 'mubeng/mubeng issue #229 (proxy address masked there as $IP:$PORT, filled in)',
    },
    {
      lines: ['Post "http://127.0.0.1:8080/api/report": http: server closed idle connection'],
      expect: { kind: 'remote-disconnected', method: 'POST', path: '/api/report' },
      origin: 'Go net/http transport.go errServerClosedIdle ("http: server closed idle connection")',
    },
    {
      lines: ['Get "https://api.example.com/v1": tls: failed to verify certificate: x509: certificate signed by unknown authority'],
      expect: { kind: 'tls-error', cause: 'certificate signed by unknown authority', host: 'api.example.com' },
      origin: 'Go 1.20+ crypto/tls CertificateVerificationError wrapping x509.UnknownAuthorityError (an intercepting proxy\'s CA)',
    },
    {
      lines: ['Get "http://api.internal/": dial tcp: lookup api.internal on 10.0.0.2:53: server misbehaving'],
      expect: { kind: 'dns-failure', errnoName: 'EAI_AGAIN', host: 'api.internal' },
      origin: 'Go net/dnsclient errServerMisbehaving (the resolver answered SERVFAIL)',
    },
    {
      lines: ['Get "http://api.internal/": dial tcp: lookup api.internal on 127.0.0.11:53: read udp 127.0.0.1:41234->127.0.0.11:53: i/o timeout'],
      expect: { kind: 'dns-failure', errnoName: 'EAI_AGAIN', host: 'api.internal', clientAddr: undefined },
      origin: 'Go net.DNSError with IsTimeout: the resolver did not answer (Docker\'s embedded DNS 127.0.0.11)',
    },
    {
      lines: ['Get "http://10.0.0.9:8080/api/x": read tcp 10.0.0.5:51234->10.0.0.9:8080: i/o timeout'],
      expect: { kind: 'read-timeout', host: '10.0.0.9', port: 8080, clientPort: 51234 },
      origin: 'Go net.OpError "read" with a deadline exceeded (SetReadDeadline)',
    },
    {
      lines: ['Get "https://chat.openai.com/auth/login": dial tcp [::1]:8080: connectex: No connection could be made because the target machine actively refused it.'],
      expect: { kind: 'refused', errnoName: 'ECONNREFUSED', host: 'chat.openai.com' },
      origin: 'Go on Windows (connectex, WSAECONNREFUSED text), rawandahmad698/PyChatGPT issue #84 and alpkeskin/mosint issue #90',
    },
    {
      lines: ['=== RUN   TestItems', '--- PASS: TestItems (0.00s)'],
      expect: null,
      origin: 'ordinary go test output',
    },
  ],
};
