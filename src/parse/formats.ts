import type { FormatParser } from './parser.js';
import { nginxErrorFormat } from './nginx-error.js';
import { pytestFormat } from './pytest.js';

/** Every known log format. A new format is one module in parse/ and one line here. */
export const FORMATS: readonly FormatParser[] = [
  nginxErrorFormat,
  pytestFormat,
];

/**
 * Reads files that no format claims, for lines naming a connection failure (fallback.ts, once it
 * lands, replaces this undefined).
 */
export const FALLBACK_FORMAT: FormatParser | undefined = undefined;
