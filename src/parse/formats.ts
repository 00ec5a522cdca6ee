import type { FormatParser } from './parser.js';

/** Every known log format. A new format is one module in parse/ and one line here. */
export const FORMATS: readonly FormatParser[] = [];
