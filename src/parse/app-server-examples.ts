/** Real lines of application servers' own logs, each with where it was printed (format-examples.test.ts runs them). */
import type { FormatExample } from './parser.js';

export const APP_SERVER_EXAMPLES: readonly FormatExample[] = [
  {
    lines: ['[2024-11-05 09:25:59 +0000] [16] [CRITICAL] WORKER TIMEOUT (pid:17)'],
    expect: { source: 'app', kind: 'worker-crash', closedBy: 'server', pid: 17, level: 'CRITICAL', time: Date.UTC(2024, 10, 5, 9, 25, 59), timeQuality: 'exact', utcOffset: 0 },
    origin: 'gunicorn log quoted in https://github.com/open-runtimes/open-runtimes/pull/330',
  },
  {
    lines: ['[2024-11-05 09:26:00 +0000] [16] [ERROR] Worker (pid:17) was sent SIGKILL! Perhaps out of memory?'],
    expect: { kind: 'worker-crash', pid: 17, level: 'ERROR' },
    origin: 'gunicorn log quoted in https://github.com/open-runtimes/open-runtimes/pull/330 (arbiter.py reap_workers)',
  },
  {
    lines: ['[2024-01-09 13:24:40 +0000] [1637] [WARNING] Worker with pid 7214 was terminated due to signal 6'],
    expect: { kind: 'worker-crash', pid: 7214 },
    origin: 'gunicorn 20.1.0 log in https://github.com/benoitc/gunicorn/issues/3136',
  },
  {
    lines: ['[2024-01-09 13:24:40 +0000] [7310] [INFO] Booting worker with pid: 7310'],
    expect: null,
    origin: 'gunicorn 20.1.0 log in https://github.com/benoitc/gunicorn/issues/3136: a worker starting closes nothing',
  },
  {
    lines: ['[2018-01-02 16:38:03 +0800] [24355] [INFO] Listening at: http://0.0.0.0:8080 (24355)'],
    expect: { kind: 'other', pid: 24355, utcOffset: 480, time: Date.UTC(2018, 0, 2, 8, 38, 3) },
    origin: 'gunicorn 19.7.1 log in https://github.com/benoitc/gunicorn/issues/1440',
  },
  {
    lines: ['2014-10-23 17:17:24,384 DEBUG Ignoring connection reset'],
    expect: { kind: 'client-closed', closedBy: 'client', errnoName: 'ECONNRESET', zoneless: true, timeQuality: 'inferred', time: Date.UTC(2014, 9, 23, 17, 17, 24, 384) },
    origin: 'gunicorn log (custom logconfig) in https://github.com/benoitc/gunicorn/issues/921',
  },
  {
    lines: [
      '2014-10-23 17:17:24,770 ERROR Error handling request',
      'Traceback (most recent call last):',
      '  File "/opt/lp-apps/webshell/lib/python2.7/site-packages/gunicorn/workers/async.py", line 108, in handle_request',
      '    resp.write(item)',
      '  File "/opt/lp-apps/webshell/lib/python2.7/site-packages/gunicorn/http/wsgi.py", line 344, in write',
      '    util.write(self.sock, arg, self.chunked)',
      '  File "/opt/lp-apps/webshell/lib/python2.7/site-packages/gevent/socket.py", line 435, in send',
      '    return sock.send(data, flags)',
      'error: [Errno 104] Connection reset by peer',
    ],
    expect: { kind: 'client-closed', closedBy: 'client', errno: 104, errnoName: 'ECONNRESET', line: 1, level: 'ERROR' },
    origin: 'gunicorn log in https://github.com/benoitc/gunicorn/issues/921 (frames shortened)',
  },
  {
    lines: ['INFO:     127.0.0.1:50843 - "GET /sso/customer/auth HTTP/1.1" 200 OK'],
    expect: { kind: 'request', method: 'GET', path: '/sso/customer/auth', status: 200, clientAddr: '127.0.0.1', clientPort: 50843, time: null, timeQuality: 'none' },
    origin: 'uvicorn access line in https://github.com/Neoteroi/BlackSheep/issues/530',
  },
  {
    lines: ['WARNING:  Invalid HTTP request received.'],
    expect: { kind: 'bad-request', level: 'WARNING' },
    origin: 'uvicorn log in https://github.com/Neoteroi/BlackSheep/issues/530 (h11_impl.py handle_events)',
  },
  {
    lines: [
      'ERROR: Exception in ASGI application',
      'Traceback (most recent call last):',
      '  File "/home/merlin/workspace/uvicorn_test_2/.venv/lib/python3.6/site-packages/uvicorn/protocols/http/h11_impl.py", line 394, in run_asgi',
      '    result = await asgi(self.receive, self.send)',
      '  File "/home/merlin/workspace/uvicorn_test_2/.venv/lib/python3.6/site-packages/h11/_events.py", line 39, in __init__',
      "    .format(field, self.__class__.__name__))",
      'TypeError: missing required kwarg data for Data',
    ],
    expect: { kind: 'server-error', exception: 'TypeError', level: 'ERROR' },
    origin: 'uvicorn log in https://github.com/Kludex/uvicorn/issues/269 (frames shortened)',
  },
  {
    lines: ['INFO:     Shutting down'],
    expect: { kind: 'reload', closedBy: 'server' },
    origin: 'uvicorn 0.35 server.py shutdown(): logger.info("Shutting down") with the default "%(levelprefix)s %(message)s"',
  },
  {
    lines: ['WARNING:waitress.queue:Task queue depth is 2'],
    expect: { kind: 'worker-exhausted', level: 'WARNING' },
    origin: 'waitress log (logging.basicConfig) in https://github.com/Pylons/waitress/issues/309',
  },
  {
    lines: ['2023-04-20 11:46:11.475 | WARNING  | waitress.task:add_task:114 - Task queue depth is 2'],
    expect: { kind: 'worker-exhausted', zoneless: true, time: Date.UTC(2023, 3, 20, 11, 46, 11, 475) },
    origin: 'waitress through loguru in https://github.com/pengzhile/pandora/issues/180',
  },
  {
    lines: ['INFO:waitress:Client disconnected while serving /api/report'],
    expect: { kind: 'client-closed', closedBy: 'client', path: '/api/report' },
    origin: 'waitress 3.0 channel.py service(): "Client disconnected while serving %s", logging.basicConfig layout',
  },
  {
    lines: ['2022/04/13 10:19:11 http: TLS handshake error from 10.244.0.1:13219: EOF'],
    expect: { kind: 'tls-handshake-failed', clientAddr: '10.244.0.1', clientPort: 13219, zoneless: true, time: Date.UTC(2022, 3, 13, 10, 19, 11) },
    origin: 'Go net/http server log in https://github.com/kubemod/kubemod/issues/89',
  },
  {
    lines: [
      '2020/01/27 03:34:59 http: panic serving 127.0.0.1:54063: 403 Forbidden: Forbidden',
      'goroutine 19 [running]:',
      'net/http.(*conn).serve.func1(0xc000162820)',
      '\t/usr/local/opt/go/libexec/src/net/http/server.go:1767 +0x139',
    ],
    expect: { kind: 'server-closed', closedBy: 'server', clientAddr: '127.0.0.1', clientPort: 54063 },
    origin: 'Go net/http server log in https://github.com/golang/go/issues/36883',
  },
  {
    lines: ['{"level":"warn","time":"2024-07-31T13:17:35+03:00","message":"http: TLS handshake error from 62.201.254.212:20244: read tcp 172.31.36.88:8000->62.201.254.212:20244: read: connection reset by peer"}'],
    expect: { kind: 'tls-handshake-failed', clientAddr: '62.201.254.212', clientPort: 20244, errnoName: 'ECONNRESET', level: 'warn', time: Date.UTC(2024, 6, 31, 10, 17, 35), timeQuality: 'exact' },
    origin: 'centrifugo (Go net/http through a JSON logger) in https://github.com/centrifugal/centrifugo/issues/869',
  },
  {
    lines: [
      'Error: aborted',
      '    at connResetException (node:internal/errors:642:14)',
      '    at abortIncoming (node:_http_server:597:25)',
      '    at socketOnClose (node:_http_server:586:3)',
      '    at Socket.emit (node:events:390:22)',
      '    at TCP.<anonymous> (node:net:665:12) {',
      "  code: 'ECONNRESET'",
      '}',
    ],
    expect: { kind: 'client-closed', closedBy: 'client', errnoName: 'ECONNRESET', exception: 'Error' },
    origin: 'Node v15.8.0 http server in https://github.com/nodejs/node/issues/37659',
  },
  {
    lines: [
      'BadRequestError: request aborted',
      '    at IncomingMessage.onAborted (/opt/app/backend/node_modules/raw-body/index.js:245:10)',
      '    at abortIncoming (node:_http_server:796:9)',
      '    at socketOnClose (node:_http_server:790:3)',
    ],
    expect: { kind: 'client-closed', exception: 'BadRequestError' },
    origin: 'NestJS/raw-body server log in https://github.com/stonith404/pingvin-share/issues/697 (frames shortened)',
  },
  {
    lines: ['{"level":30,"time":1652973706067,"pid":4030,"hostname":"codespaces-0f9e76","req":{"id":2,"method":"GET","url":"/delayed","query":{},"params":{},"headers":{"host":"127.0.0.1:4000","connection":"close"},"remoteAddress":"::ffff:127.0.0.1","remotePort":43020},"res":{"statusCode":200,"headers":{}},"responseTime":11,"msg":"request aborted"}'],
    expect: { kind: 'client-closed', closedBy: 'client', method: 'GET', path: '/delayed', clientAddr: '::ffff:127.0.0.1', clientPort: 43020, pid: 4030, level: 'info', time: 1652973706067, timeQuality: 'exact' },
    origin: 'pino-http record as in https://github.com/pinojs/pino-std-serializers/issues/102 (its aborted /delayed request), msg from pino-http src/logger.js',
  },
  {
    lines: [
      'org.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe',
      '\tat org.apache.catalina.connector.OutputBuffer.realWriteBytes(OutputBuffer.java:396)',
      '\tat org.apache.tomcat.util.buf.ByteChunk.flushBuffer(ByteChunk.java:426)',
      '\tat org.apache.catalina.connector.OutputBuffer.doFlush(OutputBuffer.java:345)',
    ],
    expect: { kind: 'client-closed', closedBy: 'client', errnoName: 'EPIPE', exception: 'org.apache.catalina.connector.ClientAbortException' },
    origin: 'Tomcat (Spring) log in https://github.com/apolloconfig/apollo/issues/1239',
  },
  {
    lines: ['2021-06-08 17:42:39,577 INFO [TWITCHER:60][waitress-3] Using adapter: \'<class \'magpie.adapter.MagpieAdapter\'>\''],
    expect: null,
    origin: 'an application log served by waitress in https://github.com/bird-house/twitcher/issues/102: says nothing about a connection',
  },
];
