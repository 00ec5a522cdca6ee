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
      lines: [
        'java.io.IOException: Unable to tunnel through proxy. Proxy returns "HTTP/1.1 407 Proxy Authentication Required"',
        '\tat sun.net.www.protocol.http.HttpURLConnection.doTunneling(HttpURLConnection.java:2142)',
      ],
      expect: { kind: 'proxy-error', closedBy: 'proxy', status: 407 },
      origin: 'OpenJDK HttpURLConnection.doTunneling, Azure/azure-sdk-for-java issue #12289 and karakun/OpenWebStart issue #592',
    },
    {
      lines: [
        'org.apache.http.NoHttpResponseException: api.sendcloud.net:80 failed to respond',
        '\tat org.apache.http.impl.conn.DefaultHttpResponseParser.parseHead(DefaultHttpResponseParser.java:143)',
      ],
      expect: { kind: 'remote-disconnected', exception: 'org.apache.http.NoHttpResponseException', host: 'api.sendcloud.net', port: 80 },
      origin: 'Apache HttpClient 4.5, denger/sendcloud4j issue #11',
    },
    {
      lines: ['org.apache.hc.core5.http.NoHttpResponseException: localhost:2375 failed to respond', '\tat org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection.receiveResponseHeader(DefaultBHttpClientConnection.java:301)'],
      expect: { kind: 'remote-disconnected', host: 'localhost', port: 2375 },
      origin: 'Apache HttpClient 5, snowdrop/java-buildpack-client issue #60 (frame from httpcore5 5.2)',
    },
    {
      lines: ['org.apache.http.ConnectionClosedException: Premature end of Content-Length delimited message body (expected: 1,048,576; received: 65,536)', '\tat org.apache.http.impl.io.ContentLengthInputStream.read(ContentLengthInputStream.java:178)'],
      expect: { kind: 'incomplete-read' },
      origin: 'httpcore 4.4 ContentLengthInputStream ("Premature end of Content-Length delimited message body (expected: %,d; received: %,d)")',
    },
    {
      lines: ['org.apache.http.conn.HttpHostConnectException: Connect to localhost:8080 [localhost/127.0.0.1, localhost/0:0:0:0:0:0:0:1] failed: Connection refused', '\tat org.apache.http.impl.conn.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:156)'],
      expect: { kind: 'refused', host: 'localhost', port: 8080, errnoName: 'ECONNREFUSED' },
      origin: 'httpclient 4.5 HttpHostConnectException ("Connect to " + host + " [" + addresses + "] failed: " + cause)',
    },
    {
      lines: [
        'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
        '\tat java.base/sun.security.ssl.Alert.createSSLException(Alert.java:131)',
        'Caused by: sun.security.validator.ValidatorException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
      ],
      expect: { kind: 'tls-error', cause: 'unable to find valid certification path to requested target' },
      origin: 'OpenJDK 11+ trust failure (sun.security.validator.PKIXValidator), the usual sign of an intercepting proxy\'s CA',
    },
    {
      lines: ['java.net.SocketException: Broken pipe (Write failed)', '\tat java.net.SocketOutputStream.socketWrite0(Native Method)'],
      expect: { kind: 'broken-pipe', errnoName: 'EPIPE' },
      origin: 'OpenJDK 8-11 SocketOutputStream.socketWrite0 message',
    },
    {
      lines: ['java.net.UnknownHostException: db.internal: Temporary failure in name resolution', '\tat java.base/java.net.Inet6AddressImpl.lookupAllHostAddr(Native Method)'],
      expect: { kind: 'dns-failure', errnoName: 'EAI_AGAIN', host: 'db.internal' },
      origin: 'OpenJDK Inet6AddressImpl.c NET_ThrowUnknownHostExceptionWithGaiError (host + ": " + gai_strerror)',
    },
    {
      lines: ['java.net.UnknownHostException: x.invalid: Name or service not known', '\tat java.base/java.net.Inet6AddressImpl.lookupAllHostAddr(Native Method)'],
      expect: { kind: 'dns-failure', errnoName: 'EAI_NONAME', host: 'x.invalid' },
      origin: 'OpenJDK Inet6AddressImpl.c with EAI_NONAME (glibc gai_strerror)',
    },
    {
      lines: ['java.lang.IllegalStateException: boom', '\tat Foo.bar(Foo.java:1)'],
      expect: null,
      origin: 'an ordinary Java exception',
    },
  ],
};
