/** curl's error lines (`curl: (56) Recv failure: …`) and `-v` traces (libcurl-errors.3, lib/*.c failf texts). */
import { addressesIn, classifyFailure, kindOfStatus, mayNameFailure, type FailureMeaning } from '../failure-text.js';
import { errnoFields, leadingTime, type Clock, type Emit, type Fields } from './common.js';

const CURL_ERROR = /^curl: \((\d+)\) (.*)$/;

/** The kind a curl exit code tells, refined by its message (curl's libcurl-errors.3). */
function curlKind(code: number, message: string): FailureMeaning | undefined {
  const meaning = classifyFailure(message);
  // The proxy's words outrank the code: curl 8.22 returns 7 for "CONNECT tunnel failed, response 403", 8.5 returned 56.
  if (meaning?.kind === 'proxy-error') return meaning;
  switch (code) {
    case 5:
    case 97:
      return { kind: 'proxy-error' };
    case 6:
      return { kind: 'dns-failure', errnoName: meaning?.kind === 'dns-failure' ? meaning.errnoName : undefined };
    case 7:
      if (/timed out|Timeout was reached/i.test(message)) return { kind: 'connect-timeout', errnoName: 'ETIMEDOUT' };
      // curl ≥ 7.82 says "Couldn't connect to server" for any of them: the table's reading (a refusal only where it says so).
      return meaning ?? { kind: 'connection-error' };
    case 18:
      return { kind: 'incomplete-read' };
    case 22: {
      const status = /error:? (\d{3})/.exec(message);
      return status ? { kind: kindOfStatus(Number(status[1])) } : undefined;
    }
    case 28:
      if (/Resolving timed out/i.test(message)) return { kind: 'dns-failure', errnoName: 'EAI_AGAIN' };
      if (/Connection timed out|Connection timeout after|Failed to connect/i.test(message)) return { kind: 'connect-timeout', errnoName: 'ETIMEDOUT' };
      return { kind: 'read-timeout' };
    case 35:
    case 51:
    case 53:
    case 54:
    case 58:
    case 59:
    case 60:
    case 77:
    case 80:
    case 83:
    case 90:
    case 91:
      return { kind: 'tls-error' };
    case 52:
      return { kind: 'remote-disconnected' };
    case 55:
      return meaning?.kind === 'reset' ? meaning : { kind: 'broken-pipe', errnoName: meaning?.errnoName };
    case 56:
    case 16:
    case 92:
    case 95:
      return meaning ?? { kind: 'connection-error' };
    default:
      return meaning;
  }
}

function isCurlTraceLine(text: string): boolean {
  const c = text.charCodeAt(0);
  const d = text.charCodeAt(1);
  // "* …", "> …", "< …", "{ [5 bytes data]", progress meter lines
  if ((c === 42 || c === 62 || c === 60) && (d === 32 || Number.isNaN(d))) return true;
  if ((c === 123 || c === 125) && d === 32 && text.charCodeAt(2) === 91) return true; // "{ [5 bytes data]"
  return c === 32 && /^\s+(?:% Total|Dload|\d+\s+\d)/.test(text);
}

/** curl's stderr: the `-v` trace gives host, port, method and path to the `curl: (N)` line that ends it. */
export class CurlReader {
  private host?: string;
  private port?: number;
  private method?: string;
  private path?: string;
  /** A `* Recv failure: …` trace line, waiting for its `curl: (N)` line. */
  private pending?: { text: string; no: number; clock: Clock; meaning: FailureMeaning };

  constructor(private readonly emit: Emit) {}

  /** A trace line that named a failure, when no `curl: (N)` line followed it. */
  flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const fields: Fields = { host: this.host, port: this.port, method: this.method, path: this.path };
    errnoFields(p.text, p.meaning, fields);
    this.emit('curl', p.meaning.kind, p.no, p.text, p.clock, fields);
  }

  /** Whether the line is curl's (an error or a `-v` trace line); a failure is emitted. */
  line(text: string, no: number, prefixTime: number | undefined): boolean {
    const m = text.charCodeAt(0) === 99 ? CURL_ERROR.exec(text) : null;
    if (m) {
      const code = Number(m[1]);
      const message = m[2]!;
      const meaning = curlKind(code, message);
      const pending = this.pending;
      this.pending = undefined;
      if (meaning) {
        const fields: Fields = { host: this.host, port: this.port, method: this.method, path: this.path, exception: `curl (${code})` };
        if (pending) fields.message = pending.text;
        const own: Fields = {};
        addressesIn(message, own);
        if (own.host !== undefined) Object.assign(fields, { host: own.host, port: own.port ?? fields.port });
        errnoFields(message, meaning.errnoName ? meaning : pending?.meaning, fields);
        if (code === 22) {
          const status = /(\d{3})/.exec(message);
          if (status) fields.status = Number(status[1]);
        }
        const clock = leadingTime(text, prefixTime);
        this.emit('curl', meaning.kind, no, text, clock.time === null && pending ? pending.clock : clock, fields, pending ? `${text} ${pending.text}` : text);
      }
      this.host = this.port = this.method = this.path = undefined;
      return true;
    }
    if (!isCurlTraceLine(text)) {
      this.flush();
      return false;
    }
    const c = text.charCodeAt(0);
    if (c === 42) {
      // "* Connected to 127.0.0.1 (127.0.0.1) port 8080 (#0)", "*   Trying 127.0.0.1:8080..."
      const connected = /^\* Connected to (\S+) \(([^)]*)\) port (\d+)/.exec(text);
      if (connected) {
        this.host = connected[1];
        this.port = Number(connected[3]);
        return true;
      }
      const trying = /^\*\s+Trying \[?([^\]\s]+?)\]?:(\d+)/.exec(text);
      if (trying) {
        this.flush();
        this.host ??= trying[1];
        this.port = Number(trying[2]);
        return true;
      }
      const body = text.slice(2);
      if (mayNameFailure(body) && !/^(?:Closing connection|Connection #\d+ to host .* left intact|Re-using existing connection)/.test(body)) {
        const meaning = classifyFailure(body);
        if (meaning) this.pending ??= { text, no, clock: leadingTime(text, prefixTime), meaning };
        const own: Fields = {};
        addressesIn(body, own);
        if (own.host !== undefined && this.host === undefined) {
          this.host = own.host;
          this.port = own.port;
        }
      }
      return true;
    }
    if (c === 62) {
      const req = /^> ([A-Z]{3,10}) (\S+) HTTP\//.exec(text);
      if (req) {
        this.method = req[1];
        this.path = req[2]!.split('?')[0];
      }
    }
    return true;
  }
}
