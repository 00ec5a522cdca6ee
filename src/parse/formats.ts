import type { FormatParser } from './parser.js';
import { pythonLoggingFormat } from './python-logging.js';
import { appAccessFormat, nginxAccessFormat } from './access-log.js';
import { HAPROXY_FORMAT } from './haproxy.js';
import { FIREWALL_FORMAT } from './kernel-firewall.js';
import { nginxErrorFormat } from './nginx-error.js';
import { pytestFormat } from './pytest.js';

/** Every known log format. A new format is one module in parse/ and one line here. */
export const FORMATS: readonly FormatParser[] = [
  pythonLoggingFormat,
  nginxAccessFormat,
  appAccessFormat,
  nginxErrorFormat,
  pytestFormat,
  HAPROXY_FORMAT,
  FIREWALL_FORMAT,
];

/**
 * Reads files that no format claims, for lines naming a connection failure (fallback.ts, once it
 * lands, replaces this undefined).
 */
export const FALLBACK_FORMAT: FormatParser | undefined = undefined;
