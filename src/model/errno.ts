/**
 * One name per errno across platforms: Linux, macOS/BSD and Windows (WSA) number the same
 * condition differently, and a CI log may come from any of them.
 */
const ERRNO_BY_PLATFORM: Record<string, readonly number[]> = {
  ECONNRESET: [104, 54, 10054],
  ECONNREFUSED: [111, 61, 10061],
  ETIMEDOUT: [110, 60, 10060],
  EPIPE: [32],
  ECONNABORTED: [103, 53, 10053],
  EHOSTUNREACH: [113, 65, 10065],
  ENETUNREACH: [101, 51, 10051],
  ENETDOWN: [100, 50, 10050],
  EADDRNOTAVAIL: [99, 49, 10049],
  ENOTCONN: [107, 57, 10057],
  ESHUTDOWN: [108, 58, 10058],
  EMFILE: [24],
  // connect() to a unix socket (nginx upstreams): no socket file, no permission, a full listen queue.
  ENOENT: [2],
  EACCES: [13, 10013],
  EAGAIN: [11, 35, 10035],
  ENFILE: [23],
  EHOSTDOWN: [112, 64, 10064],
};

/** getaddrinfo() codes as Python's socket.gaierror reports them (Linux glibc, then macOS). */
const GAI_BY_PLATFORM: Record<string, readonly number[]> = {
  EAI_AGAIN: [-3, 2, 11002],
  EAI_NONAME: [-2, 8, 11001],
  EAI_FAIL: [-4, 4],
  EAI_NODATA: [-5],
};

const NAME_BY_ERRNO = new Map<number, string>();
for (const [name, numbers] of Object.entries(ERRNO_BY_PLATFORM)) {
  for (const n of numbers) NAME_BY_ERRNO.set(n, name);
}

/** The portable name of an OS errno (104, 54 and 10054 are all ECONNRESET). */
export function errnoName(errno: number): string | undefined {
  return NAME_BY_ERRNO.get(errno);
}

/** The name of a getaddrinfo() error code, which overlaps the errno numbers. */
export function gaiName(code: number): string | undefined {
  for (const [name, numbers] of Object.entries(GAI_BY_PLATFORM)) {
    if (numbers.includes(code)) return name;
  }
  return undefined;
}

/**
 * Texts of strerror()/gai_strerror() and their localisations, to the portable name: glibc's zh_CN,
 * de_DE and fr_FR catalogues, and Windows' zh-CN texts of WSAECONNRESET / WSAECONNREFUSED.
 */
const NAME_BY_TEXT: ReadonlyArray<readonly [RegExp, string]> = [
  [/connection reset|reset by peer|连接被对方重设|Verbindung durch Peer zurückgesetzt|vom Kommunikationspartner zurückgesetzt|connexion réinitialisée|ré-initialisée par le correspondant|forcibly closed by the remote host|远程主机强迫关闭了一个现有的连接/i, 'ECONNRESET'],
  [/connection refused|连接被拒绝|Verbindungsaufbau abgelehnt|Connexion refusée|actively refused|目标计算机积极拒绝/i, 'ECONNREFUSED'],
  [/broken pipe|断开的管道|Datenübergabe unterbrochen/i, 'EPIPE'],
  [/connection timed out|连接超时|Die Wartezeit für die Verbindung ist abgelaufen/i, 'ETIMEDOUT'],
  [/software caused connection abort|established connection was aborted/i, 'ECONNABORTED'],
  [/no route to host/i, 'EHOSTUNREACH'],
  [/network is unreachable/i, 'ENETUNREACH'],
  [/temporary failure in name resolution|EAI_AGAIN/i, 'EAI_AGAIN'],
  [/name or service not known|nodename nor servname provided|no address associated|ENOTFOUND|EAI_NONAME|getaddrinfo failed/i, 'EAI_NONAME'],
  [/too many open files/i, 'EMFILE'],
];

/** The portable name for an error text, or undefined when the text names none. */
export function errnoNameFromText(text: string): string | undefined {
  for (const [pattern, name] of NAME_BY_TEXT) if (pattern.test(text)) return name;
  return undefined;
}
