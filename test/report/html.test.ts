import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyze, DEFAULT_WINDOW_MS, type Analysis } from '../../src/analyze.js';
import { loadRules } from '../../src/attribute/load.js';
import { escapeHtml, signedSeconds } from '../../src/report/html-text.js';
import { writeHtml } from '../../src/report/html.js';
import { BufferedOutput } from '../../src/report/output.js';
import { REPO } from '../helpers.js';

function html(analysis: Analysis): string {
  let text = '';
  writeHtml(analysis, new BufferedOutput((chunk) => (text += chunk)));
  return text;
}

async function analysisOf(sample: string): Promise<Analysis> {
  return analyze({ dir: path.join(REPO, 'samples', sample), include: [], exclude: [], zones: new Map(), windowMs: DEFAULT_WINDOW_MS, rules: await loadRules([]) });
}

describe('HTML report', () => {
  it('escapes markup, quotes, control characters and bidirectional overrides of log text', () => {
    assert.equal(escapeHtml(`<script>alert("x")</script> & 'y'`), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
    assert.equal(escapeHtml('a\x1b[31mb\u202ec\nd'), 'a\\x1b[31mb\\u202ec\\x0ad');
  });

  it('signs every Δt, with a minus sign', () => {
    assert.deepEqual([0.574, -0.426, 0].map(signedSeconds), ['+0.574 s', '−0.426 s', '0 s']);
  });

  it('carries a hostile log line as text: no markup of its own, nothing fetched, no script', async () => {
    const analysis = await analysisOf('05-upstream-reset');
    const hostile = `</code></td><script>fetch("http://evil.test/")</script><img src=x onerror=alert(1)> "quoted" \x07`;
    const anchor = analysis.verdicts[0]!.incident.anchor;
    const page = html({ ...analysis, verdicts: [{ ...analysis.verdicts[0]!, incident: { ...analysis.verdicts[0]!.incident, anchor, records: [{ ...anchor, excerpt: hostile }] } }] });
    assert.ok(page.includes('&lt;/code&gt;&lt;/td&gt;&lt;script&gt;fetch(&quot;http://evil.test/&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; \\x07'), 'the line shown as text');
    assert.doesNotMatch(page, /<script|<img|<link|<iframe|url\(|@import/i);
    assert.match(page, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/);
  });

  it('writes the same bytes for the same analysis, and one article per incident with its deciding row', async () => {
    const analysis = await analysisOf('12-firewall-reset');
    const page = html(analysis);
    assert.equal(page, html(analysis));
    assert.equal(page.match(/<article class="incident /g)?.length, analysis.verdicts.length);
    const deciding = analysis.verdicts.flatMap((v) => v.deciding);
    assert.ok(deciding.length > 0, 'the sample has a deciding line');
    for (const join of deciding) assert.ok(page.includes(`${join.event.file}:${join.event.line}</span><br><code>${escapeHtml(join.event.excerpt)}</code>`), `${join.event.file}:${join.event.line} is shown`);
    assert.equal(page.match(/<tr id="[^"]+" class="decisive">/g)?.length, deciding.length);
  });

  it('says so when there is nothing to show', async () => {
    const analysis = await analysisOf('01-clean');
    assert.equal(analysis.verdicts.length, 0);
    assert.match(html(analysis), /<p>No connection failures found\.<\/p>/);
  });
});
