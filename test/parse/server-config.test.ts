import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { HAPROXY_CONFIG_FORMAT, haproxyTimeMs } from '../../src/parse/haproxy-config.js';
import { NGINX_CONFIG_FORMAT, nginxTimeMs } from '../../src/parse/nginx-config.js';
import { nginxErrorFormat } from '../../src/parse/nginx-error.js';
import { HAPROXY_FORMAT } from '../../src/parse/haproxy.js';
import { parseLines } from '../../src/parse/run-lines.js';
import { REPO } from '../helpers.js';

const nginx = (lines: string[]) => parseLines(NGINX_CONFIG_FORMAT, lines, 'etc/nginx.conf');
const haproxy = (lines: string[]) => parseLines(HAPROXY_CONFIG_FORMAT, lines, 'haproxy.cfg');
const keepAlive = (events: { port?: number; timeoutMs?: number; line: number }[]) => events.map((e) => [e.port ?? null, e.timeoutMs ?? null, e.line]);

// nginx/nginx conf/nginx.conf, the configuration nginx ships (its http block and first server).
const NGINX_DEFAULT_CONF = [
  '#user  nobody;',
  'worker_processes  1;',
  'events {',
  '    worker_connections  1024;',
  '}',
  'http {',
  '    include       mime.types;',
  '    default_type  application/octet-stream;',
  '    sendfile        on;',
  '    #keepalive_timeout  0;',
  '    keepalive_timeout  65;',
  '    server {',
  '        listen       10080;',
  '        server_name  localhost;',
  '        location / {',
  '            root   html;',
  '            index  index.html index.htm;',
  '        }',
  '    }',
  '}',
];

describe('nginx configuration', () => {
  it('reads nginx times as the docs define them (seconds without a unit, units add up)', () => {
    assert.deepEqual(['75s', '65', '500ms', '1m30s', '2h', 'x5', ''].map(nginxTimeMs), [75_000, 65_000, 500, 90_000, 7_200_000, undefined, undefined]);
  });

  it("gives the http block's keepalive_timeout, and each server's port (which inherits it)", () => {
    const { events } = nginx(NGINX_DEFAULT_CONF);
    assert.deepEqual(keepAlive(events), [[null, 65_000, 11], [10080, null, 13]]);
    assert.ok(events.every((e) => e.source === 'server-config' && e.kind === 'keepalive-timeout' && e.time === null));
    assert.equal(events[1]!.excerpt, 'listen       10080;');
  });

  it("a server's own value (the longest of its locations') for each port it listens on; an upstream's is not the client's", () => {
    const { events } = nginx([
      'http {',
      '    upstream app { server 127.0.0.1:9000; keepalive 8; keepalive_timeout 300s; }',
      '    server {',
      '        keepalive_timeout 5s;',
      '        listen 127.0.0.1:8080;',
      '        listen [::]:8443 ssl;',
      '        location /slow { keepalive_timeout 20s; }',
      '    }',
      '    server { server_name other; }',
      '}',
    ]);
    assert.deepEqual(keepAlive(events), [[8080, 20_000, 5], [8443, 20_000, 6], [80, null, 9]]);
    assert.equal(events[0]!.message, 'keepalive_timeout 20s (line 7)');
  });

  it('braces, semicolons and # inside quotes (a JSON log_format, a return text) neither open blocks nor end statements', () => {
    const { events } = nginx([
      'http {',
      // nginx docs (ngx_http_log_module, escape=json): a JSON access log format spread over quoted lines.
      "    log_format json escape=json '{\"time\":\"$time_iso8601\",'",
      "                                '\"request\":\"$request\"}';",
      '    server {',
      '        listen 8080;',
      '        location = /ping { return 200 "ok; #1 {}"; }',
      '        keepalive_timeout 3s; # short',
      '    }',
      '}',
    ]);
    assert.deepEqual(keepAlive(events), [[8080, 3000, 5]]);
  });

  it('reports a value that is not an nginx time, and reads on', () => {
    const { events, problems } = nginx(['http {', '    keepalive_timeout soon;', '    server { listen 81; }', '}']);
    assert.deepEqual(keepAlive(events), [[81, null, 3]]);
    assert.deepEqual(problems.map((p) => [p.line, p.message]), [[2, 'keepalive_timeout: not an nginx time: soon']]);
  });

  it('is recognised by its content: the lab sample and nginx default configuration, not nginx logs nor HAProxy configs', () => {
    const sample = readFileSync(path.join(REPO, 'samples/60-stale-keepalive-config/config/nginx.conf'), 'utf8').split('\n');
    assert.equal(NGINX_CONFIG_FORMAT.detect(sample, 'nginx.conf'), 0.9);
    assert.equal(NGINX_CONFIG_FORMAT.detect(NGINX_DEFAULT_CONF, 'default'), 0.9);
    const errorLog = readFileSync(path.join(REPO, 'samples/60-stale-keepalive-config/nginx/error.log'), 'utf8').split('\n');
    assert.equal(NGINX_CONFIG_FORMAT.detect(errorLog, 'error.log'), 0);
    assert.ok(nginxErrorFormat.detect(errorLog, 'error.log') > 0);
    assert.equal(NGINX_CONFIG_FORMAT.detect(['global', '    daemon', 'defaults', '    timeout client 30s', 'frontend fe', '    bind :80'], 'haproxy.cfg'), 0);
    assert.equal(NGINX_CONFIG_FORMAT.detect(['import os', 'def main():', '    return 0'], 'x.py'), 0);
  });
});

describe('HAProxy configuration', () => {
  it('reads HAProxy times (milliseconds without a unit)', () => {
    assert.deepEqual(['10s', '500', '1m', '250ms', '2d', 'x'].map(haproxyTimeMs), [10_000, 500, 60_000, 250, 172_800_000, undefined]);
  });

  it('takes timeout http-keep-alive, else http-request, else client, from the frontend or the defaults before it', () => {
    const { events } = haproxy([
      'global',
      '    log 127.0.0.1:514 local0',
      'defaults',
      '    mode http',
      '    timeout client 10s',
      '    timeout http-request 4s',
      'frontend fe_api',
      '    bind 127.0.0.1:8080,127.0.0.1:8081',
      '    default_backend be',
      'frontend fe_keep',
      '    bind :9090',
      '    timeout http-keep-alive 1s',
      'backend be',
      '    timeout http-keep-alive 99s',
      '    server s1 127.0.0.1:9000',
      'defaults tight',
      '    timeout client 2s',
      'listen legacy 0.0.0.0:7070',
      '    mode http',
    ]);
    assert.deepEqual(keepAlive(events), [[8080, 4000, 8], [8081, 4000, 8], [9090, 1000, 11], [7070, 2000, 18]]);
    assert.deepEqual(events.map((e) => e.message), ['timeout http-request 4s (line 6)', 'timeout http-request 4s (line 6)', 'timeout http-keep-alive 1s (line 12)', 'timeout client 2s (line 17)']);
  });

  it('a frontend with no timeout at all gives nothing (HAProxy then keeps idle connections)', () => {
    assert.deepEqual(haproxy(['defaults', '    mode http', 'frontend fe', '    bind :80']).events, []);
  });

  it("is recognised by its content, not HAProxy's own log lines", () => {
    const cfg = ['global', '    daemon', 'defaults', '    mode http', '    timeout client 30s', 'frontend fe', '    bind *:80', '    default_backend be'];
    assert.equal(HAPROXY_CONFIG_FORMAT.detect(cfg, 'haproxy.cfg'), 0.9);
    const log = ['<134>Nov 24 06:40:01 haproxy[1234]: 127.0.0.1:51234 [24/Nov/2026:06:40:01.123] fe_api be_nginx/nginx1 0/0/0/1/1 200 32 - - ---- 1/1/0/0/0 0/0 "GET /api/items HTTP/1.1"'];
    assert.equal(HAPROXY_CONFIG_FORMAT.detect(log, 'haproxy.log'), 0);
    assert.ok(HAPROXY_FORMAT.detect(log, 'haproxy.log') > 0);
  });
});
