/**
 * Python exception chains as requests 2.34 / urllib3 2.7 on CPython 3.11 raise them, and the two
 * ways they are printed: a plain traceback (logging.exception, pytest INTERNALERROR>) and pytest's
 * --tb=short failure section. Frames and line numbers are copied from real runs of those versions.
 */

export interface Frame {
  file: string;
  line: number;
  func: string;
  /** The source line, stripped. */
  code: string;
  /** Caret span [start, length] in `code`; null for none. Default: see defaultCaret. */
  caret?: [number, number] | null;
}

export interface Section {
  frames: readonly Frame[];
  /** "module.Class: message" as the last line of the section. */
  exc: string;
  /** How the next section relates to this one. */
  then?: 'cause' | 'context';
}

export const PY = '/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11';
export const SP = `${PY}/site-packages`;
/** The checkout on the runner: pytest prints paths under it relative to it. */
export const ROOT = '/home/runner/work/shop/shop';

const CAUSE = 'The above exception was the direct cause of the following exception:';
const CONTEXT = 'During handling of the above exception, another exception occurred:';

/**
 * CPython 3.11 underlines the failing expression and leaves the line bare when that would be the
 * whole line: for "x = f(" and "return f(" the span starts after the keyword or "= ".
 */
function defaultCaret(code: string): [number, number] | null {
  const commentAt = code.indexOf('  #');
  const body = commentAt >= 0 ? code.slice(0, commentAt) : code;
  let start = 0;
  const eq = body.indexOf(' = ');
  if (eq >= 0 && /^[\w., ]+$/.test(body.slice(0, eq))) start = eq + 3;
  else if (body.startsWith('return ')) start = 7;
  if (start === 0 && body.length === code.length) return null;
  return [start, body.length - start];
}

function caretLine(indent: number, frame: Frame, multiLineCalls = true): string | null {
  // pytest leaves out the carets of a call that continues on the next line; CPython does not.
  if (!multiLineCalls && frame.code.endsWith('(')) return null;
  const c = frame.caret === undefined ? defaultCaret(frame.code) : frame.caret;
  return c ? ' '.repeat(indent + c[0]) + '^'.repeat(c[1]) : null;
}

/** As `traceback.print_exception` writes it (what logging.exception and INTERNALERROR> show). */
export function pythonTraceback(sections: readonly Section[]): string[] {
  const out: string[] = [];
  for (const s of sections) {
    if (s.frames.length > 0) out.push('Traceback (most recent call last):');
    for (const f of s.frames) {
      out.push(`  File "${f.file}", line ${f.line}, in ${f.func}`, `    ${f.code}`);
      const c = caretLine(4, f);
      if (c) out.push(c);
    }
    out.push(s.exc);
    if (s.then) out.push('', s.then === 'cause' ? CAUSE : CONTEXT, '');
  }
  return out;
}

const relative = (file: string): string => (file.startsWith(ROOT + '/') ? file.slice(ROOT.length + 1) : file);

/** pytest --tb=short: "path:line: in func", the code, carets, "E   exc"; chained sections in order. */
export function pytestShort(sections: readonly Section[]): string[] {
  const out: string[] = [];
  for (const s of sections) {
    for (const f of s.frames) {
      out.push(`${relative(f.file)}:${f.line}: in ${f.func}`, `    ${f.code}`);
      const c = caretLine(4, f, false);
      if (c) out.push(c);
    }
    out.push(s.frames.length > 0 ? `E   ${s.exc}` : s.exc);
    if (s.then) out.push('', s.then === 'cause' ? CAUSE : CONTEXT);
  }
  return out;
}

// ---- Stacks -------------------------------------------------------------------------------

const f = (file: string, line: number, func: string, code: string, caret?: [number, number] | null): Frame =>
  caret === undefined ? { file, line, func, code } : { file, line, func, code, caret };

const READ_STATUS = [
  f(`${SP}/urllib3/connectionpool.py`, 788, 'urlopen', 'response = self._make_request('),
  f(`${SP}/urllib3/connectionpool.py`, 534, '_make_request', 'response = conn.getresponse()'),
  f(`${SP}/urllib3/connection.py`, 571, 'getresponse', 'httplib_response = super().getresponse()'),
  f(`${PY}/http/client.py`, 1386, 'getresponse', 'response.begin()'),
  f(`${PY}/http/client.py`, 325, 'begin', 'version, status, reason = self._read_status()'),
];
const READ_LINE = [
  f(`${PY}/http/client.py`, 286, '_read_status', 'line = str(self.fp.readline(_MAXLINE + 1), "iso-8859-1")', [11, 30]),
  f(`${PY}/socket.py`, 706, 'readinto', 'return self._sock.recv_into(b)'),
];
const REMOTE_CLOSED = [
  f(`${PY}/http/client.py`, 294, '_read_status', 'raise RemoteDisconnected("Remote end closed connection without"'),
];
const SEND_BODY = [
  f(`${SP}/urllib3/connectionpool.py`, 788, 'urlopen', 'response = self._make_request('),
  f(`${SP}/urllib3/connectionpool.py`, 493, '_make_request', 'conn.request('),
  f(`${SP}/urllib3/connection.py`, 514, 'request', 'self.send(chunk)'),
  f(`${PY}/http/client.py`, 1009, 'send', 'self.sock.sendall(data)'),
];
const RERAISE = [
  f(`${SP}/requests/adapters.py`, 696, 'send', 'resp = conn.urlopen('),
  f(`${SP}/urllib3/connectionpool.py`, 842, 'urlopen', 'retries = retries.increment('),
  f(`${SP}/urllib3/util/retry.py`, 498, 'increment', 'raise reraise(type(error), error, _stacktrace)', [6, 40]),
  f(`${SP}/urllib3/util/util.py`, 38, 'reraise', 'raise value.with_traceback(tb)'),
];

/** How the test called requests: the frames between the test and the adapter. */
export type CallStyle = 'session.get' | 'session.post' | 'requests.get' | 'requests.post';

function callFrames(style: CallStyle): Frame[] {
  const send = [
    f(`${SP}/requests/sessions.py`, 651, 'request', 'resp = self.send(prep, **send_kwargs)'),
    f(`${SP}/requests/sessions.py`, 784, 'send', 'r = adapter.send(request, **kwargs)'),
  ];
  const viaApi = f(`${SP}/requests/api.py`, 71, 'request', 'return session.request(method=method, url=url, **kwargs)');
  switch (style) {
    case 'session.get':
      return [f(`${SP}/requests/sessions.py`, 671, 'get', 'return self.request("GET", url, params=params, **kwargs)'), ...send];
    case 'session.post':
      return [f(`${SP}/requests/sessions.py`, 712, 'post', 'return self.request("POST", url, data=data, json=json, **kwargs)'), ...send];
    case 'requests.get':
      return [f(`${SP}/requests/api.py`, 87, 'get', 'return request("get", url, params=params, **kwargs)'), viaApi, ...send];
    case 'requests.post':
      return [f(`${SP}/requests/api.py`, 134, 'post', 'return request("post", url, data=data, json=json, **kwargs)'), viaApi, ...send];
  }
}

/** Where the test called requests. */
export interface TestCall {
  file: string; // absolute
  line: number;
  func: string;
  code: string;
  style: CallStyle;
}

const testFrame = (t: TestCall): Frame => f(t.file, t.line, t.func, t.code);

/** The low-level error a connection failed with, as the OS/http.client section shows it. */
export type Low = 'reset' | 'remote-closed' | 'broken-pipe';

const LOW_FRAMES: Record<Low, Frame[]> = {
  reset: [...READ_STATUS, ...READ_LINE],
  'remote-closed': [...READ_STATUS, ...REMOTE_CLOSED],
  'broken-pipe': SEND_BODY,
};
const LOW_EXC: Record<Low, string> = {
  reset: 'ConnectionResetError: [Errno 104] Connection reset by peer',
  'remote-closed': 'http.client.RemoteDisconnected: Remote end closed connection without response',
  'broken-pipe': 'BrokenPipeError: [Errno 32] Broken pipe',
};
/** repr() of the low-level error, as ProtocolError's second argument. */
export const LOW_REPR: Record<Low, string> = {
  reset: "ConnectionResetError(104, 'Connection reset by peer')",
  'remote-closed': "RemoteDisconnected('Remote end closed connection without response')",
  'broken-pipe': "BrokenPipeError(32, 'Broken pipe')",
};

/** A method urllib3 does not retry (POST): the error surfaces at once as ('Connection aborted.', …). */
export function abortedChain(call: TestCall, low: Low): Section[] {
  const aborted = `('Connection aborted.', ${LOW_REPR[low]})`;
  return [
    { frames: LOW_FRAMES[low], exc: LOW_EXC[low], then: 'context' },
    { frames: [...RERAISE, ...LOW_FRAMES[low]], exc: `urllib3.exceptions.ProtocolError: ${aborted}`, then: 'context' },
    {
      frames: [testFrame(call), ...callFrames(call.style), f(`${SP}/requests/adapters.py`, 711, 'send', 'raise ConnectionError(err, request=request)')],
      exc: `requests.exceptions.ConnectionError: ${aborted}`,
    },
  ];
}

/** A retried GET that failed every attempt: MaxRetryError, wrapped by requests. */
export function maxRetryChain(call: TestCall, port: number, path: string, reason: { low: Low } | { status: number }): Section[] {
  const byStatus = 'status' in reason;
  const reasonRepr = byStatus
    ? `ResponseError('too many ${reason.status} error responses')`
    : `ProtocolError('Connection aborted.', ${LOW_REPR[reason.low]})`;
  const first = byStatus
    ? `urllib3.exceptions.ResponseError: too many ${reason.status} error responses`
    : `urllib3.exceptions.ProtocolError: ('Connection aborted.', ${LOW_REPR[reason.low]})`;
  const line = byStatus ? 955 : 872;
  const msg = `HTTPConnectionPool(host='127.0.0.1', port=${port}): Max retries exceeded with url: ${path} (Caused by ${reasonRepr})`;
  return [
    { frames: [], exc: first, then: 'cause' },
    {
      frames: [
        f(`${SP}/requests/adapters.py`, 696, 'send', 'resp = conn.urlopen('),
        f(`${SP}/urllib3/connectionpool.py`, line, 'urlopen', 'return self.urlopen('),
        f(`${SP}/urllib3/connectionpool.py`, line, 'urlopen', 'return self.urlopen('),
        byStatus
          ? f(`${SP}/urllib3/connectionpool.py`, 945, 'urlopen', 'retries = retries.increment(method, url, response=response, _pool=self)')
          : f(`${SP}/urllib3/connectionpool.py`, 842, 'urlopen', 'retries = retries.increment('),
        f(`${SP}/urllib3/util/retry.py`, 543, 'increment', 'raise MaxRetryError(_pool, url, reason) from reason  # type: ignore[arg-type]'),
      ],
      exc: `urllib3.exceptions.MaxRetryError: ${msg}`,
      then: 'context',
    },
    {
      frames: [
        testFrame(call),
        ...callFrames(call.style),
        byStatus
          ? f(`${SP}/requests/adapters.py`, 720, 'send', 'raise RetryError(e, request=request)')
          : f(`${SP}/requests/adapters.py`, 729, 'send', 'raise ConnectionError(e, request=request)'),
      ],
      exc: `requests.exceptions.${byStatus ? 'RetryError' : 'ConnectionError'}: ${msg}`,
    },
  ];
}

/** A read timeout on an un-retried call (requests.get(..., timeout=n)). */
export function readTimeoutChain(call: TestCall, port: number, timeout: number): Section[] {
  const msg = `HTTPConnectionPool(host='127.0.0.1', port=${port}): Read timed out. (read timeout=${timeout})`;
  return [
    { frames: [...READ_STATUS.slice(1), ...READ_LINE], exc: 'TimeoutError: timed out', then: 'cause' },
    {
      frames: [
        f(`${SP}/requests/adapters.py`, 696, 'send', 'resp = conn.urlopen('),
        f(`${SP}/urllib3/connectionpool.py`, 842, 'urlopen', 'retries = retries.increment('),
        f(`${SP}/urllib3/util/retry.py`, 498, 'increment', 'raise reraise(type(error), error, _stacktrace)', [6, 40]),
        f(`${SP}/urllib3/util/util.py`, 39, 'reraise', 'raise value'),
        READ_STATUS[0]!,
        f(`${SP}/urllib3/connectionpool.py`, 536, '_make_request', 'self._raise_timeout(err=e, url=url, timeout_value=read_timeout)'),
        f(`${SP}/urllib3/connectionpool.py`, 367, '_raise_timeout', 'raise ReadTimeoutError('),
      ],
      exc: `urllib3.exceptions.ReadTimeoutError: ${msg}`,
      then: 'context',
    },
    {
      frames: [testFrame(call), ...callFrames(call.style), f(`${SP}/requests/adapters.py`, 742, 'send', 'raise ReadTimeout(e, request=request)')],
      exc: `requests.exceptions.ReadTimeout: ${msg}`,
    },
  ];
}

/** A chunked body cut short (the upstream reset mid-response, nginx passed the cut on). */
export function chunkedChain(call: TestCall): Section[] {
  const icl = "InvalidChunkLength(got length b'', 0 bytes read)";
  const args = `("Connection broken: ${icl}", ${icl})`;
  const stream = [
    f(`${SP}/requests/models.py`, 937, 'generate', 'yield from self.raw.stream(chunk_size, decode_content=True)'),
    f(`${SP}/urllib3/response.py`, 1260, 'stream', 'yield from self.read_chunked(amt, decode_content=decode_content)'),
  ];
  return [
    {
      frames: [...stream, f(`${SP}/urllib3/response.py`, 1430, 'read_chunked', 'self._update_chunk_length()'),
        f(`${SP}/urllib3/response.py`, 1351, '_update_chunk_length', 'raise InvalidChunkLength(self, line) from None')],
      exc: `urllib3.exceptions.InvalidChunkLength: ${icl}`,
      then: 'cause',
    },
    {
      frames: [...stream, f(`${SP}/urllib3/response.py`, 1407, 'read_chunked', 'with self._error_catcher():', null),
        f(`${PY}/contextlib.py`, 158, '__exit__', 'self.gen.throw(typ, value, traceback)'),
        f(`${SP}/urllib3/response.py`, 925, '_error_catcher', 'raise ProtocolError(arg, e) from e')],
      exc: `urllib3.exceptions.ProtocolError: ${args}`,
      then: 'context',
    },
    {
      frames: [testFrame(call), ...callFrames(call.style).slice(0, -1),
        f(`${SP}/requests/sessions.py`, 827, 'send', 'r.content'),
        f(`${SP}/requests/models.py`, 1042, 'content', 'self._content = b"".join(self.iter_content(CONTENT_CHUNK_SIZE)) or b""'),
        f(`${SP}/requests/models.py`, 939, 'generate', 'raise ChunkedEncodingError(e)')],
      exc: `requests.exceptions.ChunkedEncodingError: ${args}`,
    },
  ];
}

/** The last line of a chain: what pytest's short summary and the client's error line quote. */
export function finalException(sections: readonly Section[]): string {
  return sections[sections.length - 1]!.exc;
}

const CALL = f(`${SP}/pluggy/_hooks.py`, 512, '__call__', 'return self._hookexec(self.name, self._hookimpls.copy(), kwargs, firstresult)');
const EXEC = f(`${SP}/pluggy/_manager.py`, 120, '_hookexec', 'return self._inner_hookexec(hook_name, methods, kwargs, firstresult)');
const RAISE = f(`${SP}/pluggy/_callers.py`, 167, '_multicall', 'raise exception');
const THROW = f(`${SP}/pluggy/_callers.py`, 139, '_multicall', 'teardown.throw(exception)');
const RUN = f(`${SP}/pluggy/_callers.py`, 121, '_multicall', 'res = hook_impl.function(*args)');
const wrapper = (file: string, line: number, func: string): Frame => f(`${SP}/_pytest/${file}`, line, func, 'return (yield)', [8, 5]);

/** pytest 9 / pluggy 1.6 from wrap_session down to a plugin's pytest_runtest_logreport. */
const PYTEST_HOOKS: Frame[] = [
  f(`${SP}/_pytest/main.py`, 318, 'wrap_session', 'session.exitstatus = doit(config, session) or 0', [21, 21]),
  f(`${SP}/_pytest/main.py`, 372, '_main', 'config.hook.pytest_runtestloop(session=session)'),
  CALL, EXEC, RAISE, THROW,
  f(`${SP}/_pytest/logging.py`, 801, 'pytest_runtestloop', 'return (yield)  # Run all the tests.', [8, 5]),
  THROW,
  f(`${SP}/_pytest/terminal.py`, 707, 'pytest_runtestloop', 'result = yield'),
  RUN,
  f(`${SP}/_pytest/main.py`, 396, 'pytest_runtestloop', 'item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)'),
  CALL, EXEC, RAISE, THROW,
  wrapper('warnings.py', 89, 'pytest_runtest_protocol'), THROW,
  wrapper('assertion/__init__.py', 192, 'pytest_runtest_protocol'), THROW,
  wrapper('unittest.py', 591, 'pytest_runtest_protocol'), THROW,
  wrapper('faulthandler.py', 102, 'pytest_runtest_protocol'), RUN,
  f(`${SP}/_pytest/runner.py`, 118, 'pytest_runtest_protocol', 'runtestprotocol(item, nextitem=nextitem)'),
  f(`${SP}/_pytest/runner.py`, 137, 'runtestprotocol', 'reports.append(call_and_report(item, "call", log))', [15, 34]),
  f(`${SP}/_pytest/runner.py`, 251, 'call_and_report', 'ihook.pytest_runtest_logreport(report=report)'),
  CALL, EXEC, RAISE, RUN,
];

/**
 * A results-upload plugin (conftest.py, urllib3 PoolManager) whose POST is reset: pytest aborts
 * the session with an INTERNALERROR> traceback ending in urllib3's ProtocolError.
 */
export function internalErrorChain(): Section[] {
  const aborted = `('Connection aborted.', ${LOW_REPR.reset})`;
  return [
    { frames: LOW_FRAMES.reset, exc: LOW_EXC.reset, then: 'context' },
    {
      frames: [
        ...PYTEST_HOOKS,
        f(`${ROOT}/conftest.py`, 58, 'pytest_runtest_logreport', 'http.request("POST", f"{RESULTS_URL}/api/results", json=payload, timeout=5.0)'),
        f(`${SP}/urllib3/_request_methods.py`, 144, 'request', 'return self.request_encode_body('),
        f(`${SP}/urllib3/_request_methods.py`, 279, 'request_encode_body', 'return self.urlopen(method, url, **extra_kw)'),
        f(`${SP}/urllib3/poolmanager.py`, 443, 'urlopen', 'response = conn.urlopen(method, u.request_uri, **kw)'),
        f(`${SP}/urllib3/connectionpool.py`, 842, 'urlopen', 'retries = retries.increment('),
        f(`${SP}/urllib3/util/retry.py`, 498, 'increment', 'raise reraise(type(error), error, _stacktrace)', [6, 40]),
        f(`${SP}/urllib3/util/util.py`, 38, 'reraise', 'raise value.with_traceback(tb)'),
        ...LOW_FRAMES.reset,
      ],
      exc: `urllib3.exceptions.ProtocolError: ${aborted}`,
    },
  ];
}
