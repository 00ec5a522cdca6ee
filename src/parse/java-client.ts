/** Java client exceptions (java.net, okhttp, java.net.http), stack frames folded; parsed by client-failures.ts. */
import { createClientParser } from './client-failures.js';
import type { FormatParser } from './parser.js';
import { countScore } from './detect-score.js';

const JAVA_LINE = /^\tat [\w$.\/]+\(|^\s+at [\w$.]+\([\w$]+\.(?:java|kt):\d+\)|^(?:Caused by: |Exception in thread ")|^(?:java|javax|okhttp3)\.[\w.]+(?:Exception|Error)/;

export const JAVA_FORMAT: FormatParser = {
  source: 'java',
  title: 'Java client exceptions (java.net, okhttp, java.net.http)',
  detect(firstLines, fileName) {
    return countScore(firstLines, (line) => JAVA_LINE.test(line), fileName, /java|maven|gradle|surefire/i, { base: 0.4, step: 0.05, cap: 0.7 });
  },
  create: (ctx) => createClientParser(ctx, { generic: true }),
  examples: [
    {
      lines: ['java.net.SocketException: Connection reset', '\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:318)', '\tat J.main(J.java:4)'],
      expect: { source: 'java', kind: 'reset', exception: 'java.net.SocketException', errnoName: 'ECONNRESET' },
      origin: 'OpenJDK 17.0.15 HttpURLConnection, backend RST (lab run, 127.0.0.1)',
    },
    {
      lines: ['java.net.SocketException: Unexpected end of file from server', '\tat java.base/sun.net.www.http.HttpClient.parseHTTPHeader(HttpClient.java:903)'],
      expect: { kind: 'remote-disconnected' },
      origin: 'OpenJDK 17 HttpURLConnection, backend closes without a response (lab run)',
    },
    {
      lines: ['java.net.ConnectException: Connection refused', '\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)'],
      expect: { kind: 'refused' },
      origin: 'OpenJDK 17 HttpURLConnection, closed port (lab run)',
    },
    {
      lines: ['java.net.SocketTimeoutException: Read timed out', '\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)'],
      expect: { kind: 'read-timeout' },
      origin: 'OpenJDK 17 HttpURLConnection setReadTimeout(1000) against a slow backend (lab run)',
    },
    {
      lines: ['java.net.UnknownHostException: x.invalid', '\tat java.base/sun.nio.ch.NioSocketImpl.connect(NioSocketImpl.java:567)'],
      expect: { kind: 'dns-failure', host: 'x.invalid' },
      origin: 'OpenJDK 17 (lab run)',
    },
    {
      lines: [
        'java.io.IOException: HTTP/1.1 header parser received no bytes',
        '\tat java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:591)',
        'Caused by: java.io.IOException: HTTP/1.1 header parser received no bytes',
        '\tat java.net.http/jdk.internal.net.http.common.Utils.wrapWithExtraDetail(Utils.java:348)',
        'Caused by: java.io.EOFException: EOF reached while reading',
        '\tat java.net.http/jdk.internal.net.http.Http1AsyncReceiver$Http1TubeSubscriber.onComplete(Http1AsyncReceiver.java:596)',
      ],
      expect: { kind: 'remote-disconnected', exception: 'java.io.IOException', cause: 'java.io.EOFException' },
      origin: 'OpenJDK 17 java.net.http.HttpClient, backend closes without a response (lab run)',
    },
    {
      lines: [
        'java.io.IOException: unexpected end of stream on http://localhost:8080/...',
        '\tat okhttp3.internal.http1.Http1ExchangeCodec.readResponseHeaders(Http1ExchangeCodec.kt:202)',
        '\tat okhttp3.internal.connection.Exchange.readResponseHeaders(Exchange.kt:106)',
        'Caused by: java.io.EOFException: \\n not found: limit=0 content=…',
        '\tat okio.RealBufferedSource.readUtf8LineStrict(RealBufferedSource.kt:332)',
      ],
      expect: { kind: 'remote-disconnected', host: 'localhost', port: 8080 },
      origin: 'okhttp 4 (square/okhttp issue #2738 thread, URL as quoted)',
    },
    {
      lines: ['java.lang.IllegalStateException: boom', '\tat Foo.bar(Foo.java:1)'],
      expect: null,
      origin: 'an ordinary Java exception',
    },
  ],
};
