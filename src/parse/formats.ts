import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SourceSides } from '../model/event.js';
import { compileDeclaredFormat, type DeclaredFormat } from './declared-format.js';
import type { FormatParser } from './parser.js';
import { pythonLoggingFormat } from './python-logging.js';
import { pythonJsonLoggingFormat } from './python-json-logging.js';
import { appAccessFormat, nginxAccessFormat } from './access-log.js';
import { HAPROXY_FORMAT } from './haproxy.js';
import { FIREWALL_FORMAT } from './kernel-firewall.js';
import { CURL_FORMAT } from './curl.js';
import { ENVOY_FORMAT } from './envoy.js';
import { JUNIT_FORMAT } from './junit.js';
import { SQUID_FORMAT } from './squid.js';
import { FALLBACK } from './fallback.js';
import { GO_FORMAT } from './go-client.js';
import { JAVA_FORMAT } from './java-client.js';
import { NODE_FORMAT } from './node-client.js';
import { OTHER_CLIENTS_FORMAT } from './other-clients.js';
import { SYSLOG_FORMAT } from './syslog.js';
import { nginxErrorFormat } from './nginx-error.js';
import { pytestFormat } from './pytest.js';
import { appServerFormat } from './app-server.js';
import { NGINX_CONFIG_FORMAT } from './nginx-config.js';
import { HAPROXY_CONFIG_FORMAT } from './haproxy-config.js';

/** The formats declared in JSON that ship in the package: <package>/formats. */
export const BUILT_IN_FORMATS_DIR = fileURLToPath(new URL('../../../formats/', import.meta.url));

/** The built-in declared formats, read once when this module loads (checked by the suite, not here). */
function builtInDeclared(): DeclaredFormat[] {
  const files = readdirSync(BUILT_IN_FORMATS_DIR).filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json')).sort();
  return files.map((name) => JSON.parse(readFileSync(BUILT_IN_FORMATS_DIR + name, 'utf8')) as DeclaredFormat);
}
const BUILT_IN_DECLARED: readonly DeclaredFormat[] = builtInDeclared();

/**
 * The built-in log formats: the code ones, then the built-in declared ones. A new format is one
 * module in parse/ and one line here, or one JSON file. A run's own list is runFormats'.
 */
export const FORMATS: readonly FormatParser[] = Object.freeze([
  pythonLoggingFormat,
  pythonJsonLoggingFormat,
  nginxAccessFormat,
  appAccessFormat,
  nginxErrorFormat,
  pytestFormat,
  HAPROXY_FORMAT,
  FIREWALL_FORMAT,
  SYSLOG_FORMAT,
  ENVOY_FORMAT,
  SQUID_FORMAT,
  JUNIT_FORMAT,
  CURL_FORMAT,
  NODE_FORMAT,
  GO_FORMAT,
  JAVA_FORMAT,
  OTHER_CLIENTS_FORMAT,
  appServerFormat,
  NGINX_CONFIG_FORMAT,
  HAPROXY_CONFIG_FORMAT,
  ...BUILT_IN_DECLARED.map(compileDeclaredFormat),
]);

/** The sides of the built-in formats' sources: a run with no declared formats of its own has these. */
export const BUILT_IN_SIDES = new SourceSides(BUILT_IN_DECLARED);

/** The formats one run reads with: a task names its format by its index in `list`. */
export interface RunFormats {
  /** The built-in formats, then the user's declared ones in the order given. */
  readonly list: readonly FormatParser[];
  /** The user's declared formats (--formats): a worker thread builds the same list from them. */
  readonly declared: readonly DeclaredFormat[];
  /** The side each source speaks for, the declared formats' sources with them. */
  readonly sides: SourceSides;
}

/** The built-in formats, then the user's declared formats (already checked: format-load.ts). */
export function runFormats(declared: readonly DeclaredFormat[] = []): RunFormats {
  if (declared.length === 0) return { list: FORMATS, declared, sides: BUILT_IN_SIDES };
  return { list: [...FORMATS, ...declared.map(compileDeclaredFormat)], declared, sides: new SourceSides([...BUILT_IN_DECLARED, ...declared]) };
}

/** Reads files that no format claims, for lines naming a connection failure (fallback.ts). */
export const FALLBACK_FORMAT: FormatParser | undefined = FALLBACK;
