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

/** Every known log format. A new format is one module in parse/ and one line here. */
export const FORMATS: readonly FormatParser[] = [
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
];

/** Reads files that no format claims, for lines naming a connection failure (fallback.ts). */
export const FALLBACK_FORMAT: FormatParser | undefined = FALLBACK;
