import type { SourceSides } from '../model/event.js';
import type { Analysis } from './analysis.js';
import type { BurstVerdict } from '../attribute/burst.js';
import { clockGroup } from '../time/clock-group.js';
import type { ClockReport } from '../time/timeline.js';
import { spreadsheetTime } from './event-record.js';
import { HTML_STYLE } from './html-style.js';
import { escapeHtml as h, signedSeconds } from './html-text.js';
import { rowId, timelineHtml } from './html-timeline.js';
import { clientError, evidenceItems, summaryOf, urlOf, type EvidenceItem } from './incident-record.js';
import { laneOf, LANE_NAMES } from './lane.js';
import type { BufferedOutput } from './output.js';
import { formatProblem } from './problem.js';

/**
 * `--format html`: one self-contained page (inline style, no script, nothing fetched: the
 * Content-Security-Policy forbids it), written incident by incident. Every text from a log goes
 * through escapeHtml.
 */
export function writeHtml(analysis: Analysis, out: BufferedOutput): void {
  const n = analysis.verdicts.length;
  out.push(
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n` +
      '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
      `<title>whoreset: ${n} incident${n === 1 ? '' : 's'}</title>\n<style>${HTML_STYLE}</style>\n</head>\n<body>\n` +
      '<a class="skip" href="#incidents">Skip to the incidents</a>\n' +
      `<header><h1>Who reset the connection?</h1><p class="muted">${n} incident${n === 1 ? '' : 's'} in ${analysis.filesRead} file${analysis.filesRead === 1 ? '' : 's'} read. Times are UTC; Δt is seconds from the failure.</p></header>\n<main>\n`,
  );
  out.push(summaryHtml(analysis));
  out.push(clocksHtml(analysis.clock));
  out.push('<section id="incidents" aria-labelledby="incidents-h"><h2 id="incidents-h">Incidents</h2>\n');
  if (n === 0) out.push('<p>No connection failures found.</p>\n');
  else out.push(LEGEND);
  for (const verdict of analysis.verdicts) out.push(incidentHtml(verdict, analysis.clock, analysis.sides) + '\n');
  out.push('</section>\n');
  out.push(filesHtml(analysis));
  out.push('</main>\n</body>\n</html>\n');
  out.flush();
}

const LEGEND =
  '<p class="legend" aria-label="Legend of the timelines">' +
  '<span><span class="mark own" aria-hidden="true">●</span> the failure\'s own record</span>' +
  '<span><span class="mark tied" aria-hidden="true">■</span> tied by connection, request, port, process or path</span>' +
  '<span><span class="mark time-only" aria-hidden="true">■</span> near in time only</span>' +
  '<span><span class="mark decisive" aria-hidden="true">◆</span> decided the verdict</span>' +
  '<span>red rule: the failure (Δt 0); each mark links to its line below</span></p>\n';

function verdictBadge(verdict: BurstVerdict): string {
  return `<span class="verdict v-${h(verdict.attribution)}">${h(verdict.attribution)}</span>`;
}

function request(verdict: BurstVerdict): string {
  return [verdict.incident.method, urlOf(verdict)].filter((part) => part !== undefined && part !== null).join(' ');
}

function summaryHtml(analysis: Analysis): string {
  const counts = Object.entries(summaryOf(analysis.verdicts))
    .map(([attribution, count]) => `<li class="v-${h(attribution)}">${h(attribution)}<b>${count}</b></li>`)
    .join('');
  const rows = analysis.verdicts.map((v) => {
    const i = v.incident;
    const cells = [
      `<a href="#${h(i.id)}">${h(i.id)}</a>${v.count > 1 ? ` ×${v.count}` : ''}`,
      `<span class="mono when">${h(spreadsheetTime(i.time) ?? `no time (${i.timeQuality})`)}</span>`,
      `<span class="brk">${h(i.test ?? '')}</span>`,
      `<span class="mono brk">${h(request(v))}</span>`,
      `<span class="brk">${h(clientError(v))}</span>`,
      verdictBadge(v),
      `<span class="brk">${h(v.cause)}</span>`,
    ];
    return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}<td class="num">${v.confidence.toFixed(2)}</td></tr>`;
  });
  const table =
    rows.length === 0
      ? ''
      : '<div class="scroll"><table class="incidents"><caption class="muted">Each incident links to its timeline.</caption><thead><tr><th scope="col">incident</th><th scope="col">time (UTC)</th><th scope="col">test</th><th scope="col">request</th><th scope="col">client error</th><th scope="col">verdict</th><th scope="col">cause</th><th scope="col">confidence</th></tr></thead><tbody>' +
        rows.join('\n') +
        '</tbody></table></div>';
  return `<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2><ul class="counts" aria-label="Incidents by verdict">${counts}</ul>${table}</section>\n`;
}

/** How each clock was put on the one timeline: the zone, where it came from, the offset measured. */
function clocksHtml(clock: readonly ClockReport[]): string {
  if (clock.length === 0) return '';
  const rows = clock.map((c) => {
    const offset = c.offset ? signedSeconds(c.offset.offsetMs / 1000) : '';
    return `<tr><td>${h(c.group)}</td><td class="mono">${h(c.zone ?? 'none')}</td><td>${h(c.zoneFrom)}</td><td class="num">${h(offset)}</td><td>${h(c.text)}</td></tr>`;
  });
  return (
    '<section id="clocks" aria-labelledby="clocks-h"><h2 id="clocks-h">Clocks</h2><div class="scroll"><table><thead><tr><th scope="col">clock</th><th scope="col">zone</th><th scope="col">zone from</th><th scope="col">offset to the client</th><th scope="col">applied</th></tr></thead><tbody>' +
    rows.join('') +
    '</tbody></table></div></section>\n'
  );
}

function incidentHtml(verdict: BurstVerdict, clock: readonly ClockReport[], sides: SourceSides): string {
  const i = verdict.incident;
  const items = evidenceItems(verdict);
  const id = h(i.id);
  const facts: Array<[string, string]> = [
    ['time (UTC)', `<span class="mono">${h(spreadsheetTime(i.time) ?? 'none')}</span> <span class="muted">(${h(i.timeQuality)})</span>`],
    ['test', h(i.test ?? '—')],
    ['request', `<span class="mono">${h(request(verdict) || '—')}</span>`],
    ['client error', h(clientError(verdict))],
    ['decided by', verdict.ruleId === null ? 'no rule matched' : `rule <code>${h(verdict.ruleId)}</code>, confidence ${verdict.confidence.toFixed(2)}`],
  ];
  if (i.origin !== 'client') facts.push(['opened by', `the ${h(i.origin)}'s own log (no client record of this failure)`]);
  if (verdict.count > 1) facts.push(['requests', `${verdict.count}: <span class="mono">${h(verdict.requests.filter((r) => r !== '').join(', ') || 'not named')}</span>`]);
  for (const reason of verdict.reasons) facts.push(['why unknown', h(reason)]);
  const groups = new Set(items.map((item) => clockGroup(item.event.source)));
  const clocks = clock.filter((c) => groups.has(c.group)).map((c) => `<li>${h(c.text)}</li>`);
  const present = new Set(i.sourcesPresent.map((source) => laneOf(source, sides)));
  const parts = [
    `<article class="incident v-${h(verdict.attribution)}" id="${id}" aria-labelledby="${id}-h">`,
    `<h3 id="${id}-h">${id}${verdict.count > 1 ? ` ×${verdict.count}` : ''} ${verdictBadge(verdict)} ${h(verdict.cause)}</h3>`,
    `<dl class="facts">${facts.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('')}</dl>`,
    timelineHtml(i.id, items, present, sides),
    clocks.length > 0 ? `<p class="muted">Clocks of these lines:</p><ul class="clock-list">${clocks.join('')}</ul>` : '',
    evidenceTable(i.id, items, sides),
  ];
  if (verdict.advice.length > 0) parts.push(`<h4>Next steps</h4><ul>${verdict.advice.map((line) => `<li>${h(line)}</li>`).join('')}</ul>`);
  parts.push('<p class="back"><a href="#summary">Back to the summary</a></p></article>');
  return parts.join('\n');
}

function evidenceTable(incidentId: string, items: readonly EvidenceItem[], sides: SourceSides): string {
  const rows = items.map((item, index) => {
    const { event, join } = item;
    const tie = join === undefined ? '<span class="muted">own record</span>' : `${h(join.link)}<br><span class="muted">${h(join.tie)}</span>`;
    const cells = [
      `<td class="num">${h(item.dt === null ? '—' : signedSeconds(item.dt))}<br><span class="mono muted">${h(spreadsheetTime(event.time)?.slice(11) ?? 'no time')}</span></td>`,
      `<td>${h(LANE_NAMES[laneOf(event.source, sides)])}<br><span class="muted">${h(event.source)}</span></td>`,
      `<td>${h(event.kind)}${item.decisive ? '<span class="badge">deciding</span>' : ''}</td>`,
      `<td>${tie}</td>`,
      `<td><span class="mono">${h(`${event.file}:${event.line}`)}</span><br><code>${h(event.excerpt)}</code></td>`,
    ];
    return `<tr id="${h(rowId(incidentId, index))}"${item.decisive ? ' class="decisive"' : ''}>${cells.join('')}</tr>`;
  });
  return (
    `<div class="scroll"><table class="evidence"><caption class="muted">Evidence of ${h(incidentId)}: the failure's own records, then the lines joined to it (the deciding line highlighted).</caption>` +
    '<thead><tr><th scope="col">Δt, time (UTC)</th><th scope="col">lane</th><th scope="col">kind</th><th scope="col">link</th><th scope="col">line</th></tr></thead><tbody>' +
    rows.join('\n') +
    '</tbody></table></div>'
  );
}

function filesHtml(analysis: Analysis): string {
  const files = analysis.files.map((f) => `<li><span class="mono">${h(f.file)}</span> <span class="muted">${h(f.format)}</span></li>`).join('');
  const warnings = analysis.problems.map((p) => `<li>${h(formatProblem(p))}</li>`).join('');
  return (
    `<section id="files" aria-labelledby="files-h"><h2 id="files-h">Files read</h2><ul>${files}</ul>` +
    (warnings !== '' ? `<h3>Warnings</h3><ul>${warnings}</ul>` : '') +
    '</section>\n'
  );
}
