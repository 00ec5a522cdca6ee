import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fillAdvice } from '../../src/attribute/advice.js';
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
    assert.deepEqual(fillAdvice(line, incidentOf('ConnectionResetError', { host: 'api.example.test', port: 443, path: '/x' })), ['curl -v -X <method> https://api.example.test:443/x']);
  });

  it('leave what the incident does not know visible', () => {
    assert.deepEqual(fillAdvice(line, incidentOf('ConnectionResetError', {})), ['curl -v -X <method> <url>']);
  });
});
