import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fillAdvice, PLACEHOLDERS, requestOf, unknownPlaceholders } from '../../src/attribute/advice.js';
import { toIncident } from '../../src/correlate/merge.js';
import type { ConnectionEvent } from '../../src/model/event.js';

function incidentOf(excerpt: string, fields: Partial<ConnectionEvent>) {
  return toIncident([{ id: 'client.log:1', source: 'client', kind: 'reset', time: null, timeQuality: 'none', file: 'client.log', line: 1, excerpt, ...fields }]);
}

describe('advice placeholders', () => {
  const line = ['curl -v -X {method} {url}'];

  it('fill the URL with the scheme the client used', () => {
    const https = incidentOf(
      "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.example.test', port=8443): Max retries exceeded with url: /v1/items (Caused by ProtocolError('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer')))",
      { method: 'GET', host: 'api.example.test', port: 8443, path: '/v1/items' },
    );
    assert.deepEqual(fillAdvice(line, https), ['curl -v -X GET https://api.example.test:8443/v1/items']);
    const http = incidentOf("requests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=8080): Max retries exceeded with url: /api/items", {
      method: 'GET',
      host: '127.0.0.1',
      port: 8080,
      path: '/api/items',
    });
    assert.deepEqual(fillAdvice(line, http), ['curl -v -X GET http://127.0.0.1:8080/api/items']);
    assert.deepEqual(fillAdvice(line, incidentOf('ConnectionResetError', { host: 'api.example.test', port: 443, path: '/x' })), ['curl -v -X the request https://api.example.test:443/x']);
  });

  it('put words where the incident does not know a value', () => {
    assert.deepEqual(fillAdvice(line, incidentOf('ConnectionResetError', {})), ['curl -v -X the request the failing URL']);
  });

  it('name the request by as much of it as is known', () => {
    const gaveUp = ['The client gave up on {request} before the server answered.'];
    const said = (fields: Partial<ConnectionEvent>) => fillAdvice(gaveUp, incidentOf('ReadTimeout', fields))[0];
    assert.equal(said({ method: 'POST', path: '/api/orders' }), 'The client gave up on POST /api/orders before the server answered.');
    assert.equal(said({ path: '/api/orders' }), 'The client gave up on /api/orders before the server answered.');
    assert.equal(said({ method: 'POST' }), 'The client gave up on the POST request before the server answered.');
    assert.equal(said({}), 'The client gave up on the request before the server answered.');
  });
});

describe('advice filled from the deciding evidence', () => {
  const client = incidentOf('requests.exceptions.ChunkedEncodingError: Connection broken', { test: 'tests/test_up.py::test_upload' });
  // nginx's own words (src/http/ngx_http_request.c, client_max_body_size): the request names the method and path.
  const nginx: ConnectionEvent = {
    id: 'error.log:3', source: 'nginx-error', kind: 'body-too-large', time: null, timeQuality: 'none', file: 'error.log', line: 3,
    excerpt: '2026/11/24 23:03:11 [error] 77#77: *9 client intended to send too large body: 2097152 bytes, client: 127.0.0.1, server: _, request: "POST /api/upload HTTP/1.1", host: "127.0.0.1:27040"',
    method: 'POST', path: '/api/upload', host: '127.0.0.1', port: 27040, upstream: 'http://127.0.0.1:8000/api/upload',
  };
  const deciding = [{ event: nginx, dtMs: null, keys: ['path' as const], link: 'request' as const, tie: 'same request POST /api/upload', order: null, score: 1 }];

  it('take what the client did not say from the line that decided', () => {
    assert.deepEqual(requestOf(client, deciding), { method: 'POST', scheme: undefined, host: '127.0.0.1', port: 27040, path: '/api/upload', url: 'http://127.0.0.1:27040/api/upload', upstream: 'http://127.0.0.1:8000/api/upload' });
    assert.deepEqual(fillAdvice(['curl -X {method} {url} ({upstream}) for {test}'], client, deciding), ['curl -X POST http://127.0.0.1:27040/api/upload (http://127.0.0.1:8000/api/upload) for tests/test_up.py::test_upload']);
  });

  it('keep the client\'s own words and scheme over the evidence', () => {
    const https = incidentOf("HTTPSConnectionPool(host='api.example.test', port=8443): Max retries exceeded with url: /v1/items", { method: 'GET', host: 'api.example.test', port: 8443, path: '/v1/items' });
    assert.equal(requestOf(https, deciding).url, 'https://api.example.test:8443/v1/items');
    assert.equal(requestOf(https, deciding).method, 'GET');
  });

  it('give words, or the rule\'s own words, where nothing names a value', () => {
    const bare = incidentOf('ConnectionResetError', {});
    assert.deepEqual(fillAdvice(['curl -v -X {method|GET} {url}', 'served {path} behind {upstream}', 'curl -w "%{time_total}"'], bare), [
      'curl -v -X GET the failing URL',
      'served the request behind the upstream',
      'curl -w "%{time_total}"',
    ]);
  });

  it('give host:port as one authority, and a path with no host under the user\'s base URL', () => {
    const line = ['open {authority}', 'curl -v -X {method|GET} {url}'];
    assert.deepEqual(fillAdvice(line, incidentOf('ConnectionResetError', { host: 'api.example.test', port: 8443, path: '/v1/items' })), [
      'open api.example.test:8443',
      'curl -v -X GET http://api.example.test:8443/v1/items',
    ]);
    assert.deepEqual(fillAdvice(line, incidentOf('ConnectionResetError', { host: 'api.example.test' })), ['open api.example.test', 'curl -v -X GET http://api.example.test']);
    assert.deepEqual(fillAdvice(line, incidentOf('ConnectionResetError', { path: '/api/v1/export' })), ['open the server', 'curl -v -X GET $BASE_URL/api/v1/export']);
  });

  it('name the placeholders no incident fills, for rules validate', () => {
    assert.deepEqual(unknownPlaceholders(['curl {url} {mehtod|GET} {hots}', 'curl -w "%{time_total}" {path}']), ['mehtod', 'hots']);
    assert.deepEqual(unknownPlaceholders(Object.keys(PLACEHOLDERS).map((name) => `{${name}}`)), []);
  });
});
