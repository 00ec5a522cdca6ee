/** curl's error lines (`curl: (56) Recv failure: …`) and `-v` traces; parsed by client-failures.ts. */
import { createClientParser } from './client-failures.js';
import { examplesFile } from './example-file.js';
import type { FormatParser } from './parser.js';
import { countScore } from './detect-score.js';

const CURL_LINE = /^curl: \(\d+\) |^\* (?:Connected to|\s*Trying|Recv failure|Closing connection|Failed to connect|connect to .* failed)|^> [A-Z]{3,10} \S+ HTTP\/|^\s+% Total\s+% Received/;

export const CURL_FORMAT: FormatParser = {
  source: 'curl',
  title: 'curl output (errors and -v traces)',
  detect(firstLines, fileName) {
    return countScore(firstLines, (line) => CURL_LINE.test(line), fileName, /curl/i, { base: 0.5, step: 0.1, cap: 0.8 });
  },
  create: (ctx) => createClientParser(ctx, { generic: true }),
  // Real lines with their origins, kept as data: examples/curl.json.
  get examples() {
    return examplesFile('curl');
  },
};
