import Table from 'cli-table3';
import { PLAIN_STYLE } from './table-style.js';
import type { Analysis } from '../analyze.js';
import type { Verdict } from '../attribute/verdict.js';
import { csvRow } from './csv.js';
import { eventCsvCells, EVENT_CSV_COLUMNS, eventRecord, isoTime } from './event-record.js';
import type { OutputFormat } from './event-writer.js';
import { analysisRecord, clientError, incidentRecord, summaryOf, urlOf } from './incident-record.js';

const INCIDENT_CSV_COLUMNS = ['id', 'time', 'timeQuality', 'test', 'clientError', 'errnoName', 'method', 'url', 'attribution', 'cause', 'ruleId', 'confidence', 'evidenceCount', 'advice', 'reasons'];

/** Renders the analysis; renderers never re-analyse. */
export function renderIncidents(analysis: Analysis, format: OutputFormat, explain: boolean): string {
  switch (format) {
    case 'json':
      return JSON.stringify(analysisRecord(analysis), null, 2) + '\n';
    case 'ndjson':
      return analysis.verdicts.map((v) => JSON.stringify(incidentRecord(v)) + '\n').join('');
    case 'csv':
      return (
        csvRow(INCIDENT_CSV_COLUMNS) +
        analysis.verdicts
          .map((v) => {
            const r = incidentRecord(v);
            return csvRow([r.id as string, r.time as string, r.timeQuality as string, r.test as string, r.clientError as string, r.errnoName as string, r.method as string, r.url as string, v.attribution, v.cause, v.ruleId, v.confidence, (r.evidence as unknown[]).length, v.advice.join(' | '), v.reasons.join(' | ')]);
          })
          .join('')
      );
    case 'table':
      return renderTable(analysis, explain);
  }
}

/** `--events`: the correlated events with their incident id, one row each. */
export function renderCorrelatedEvents(analysis: Analysis, format: OutputFormat): string {
  const rows = analysis.verdicts.flatMap((v) => [...v.incident.records, ...v.incident.joined.map((j) => j.event)].map((event) => ({ incident: v.incident.id, event })));
  switch (format) {
    case 'csv':
      return csvRow(EVENT_CSV_COLUMNS) + rows.map(({ incident, event }) => csvRow(eventCsvCells(event, incident))).join('');
    case 'ndjson':
      return rows.map(({ incident, event }) => JSON.stringify(eventRecord(event, incident)) + '\n').join('');
    default:
      return JSON.stringify({ events: rows.map(({ incident, event }) => eventRecord(event, incident)) }, null, 2) + '\n';
  }
}

function renderTable(analysis: Analysis, explain: boolean): string {
  const lines: string[] = [];
  if (analysis.verdicts.length === 0) {
    lines.push(`No connection failures found in ${analysis.filesRead} file(s).`);
  } else {
    const table = new Table({
      head: ['id', 'time (UTC)', 'test', 'client error', 'verdict', 'cause', 'conf.', 'evid.'],
      wordWrap: true,
      colWidths: [5, 26, 28, 34, 16, 28, 7, 7],
      style: PLAIN_STYLE,
    });
    for (const v of analysis.verdicts) {
      const i = v.incident;
      table.push([i.id, isoTime(i.time) ?? `- (${i.timeQuality})`, i.test ?? '', clientError(v), v.attribution, v.cause, v.confidence.toFixed(2), String(i.records.length + v.evidence.length)]);
    }
    lines.push(table.toString());
    const summary = summaryOf(analysis.verdicts);
    lines.push(`${analysis.verdicts.length} incident(s): ` + Object.entries(summary).map(([k, n]) => `${k} ${n}`).join(', '));
  }
  for (const clock of analysis.clock) if (clock.offset) lines.push(clock.text);
  if (explain) for (const v of analysis.verdicts) lines.push('', ...explainVerdict(v));
  else if (analysis.verdicts.length > 0) lines.push('Run with --explain for the evidence, the deciding rule and the next steps.');
  return lines.join('\n') + '\n';
}

function explainVerdict(v: Verdict): string[] {
  const i = v.incident;
  const out = [`${i.id} ${urlOf(v) ?? ''} ${i.test ?? ''}`.trim(), `  verdict: ${v.attribution} — ${v.cause}${v.ruleId ? ` (rule ${v.ruleId}, confidence ${v.confidence.toFixed(2)})` : ''}`];
  for (const reason of v.reasons) out.push(`  why unknown: ${reason}`);
  out.push('  evidence:');
  for (const record of i.records) out.push(`    ${record.file}:${record.line} [${record.source} ${record.kind}] ${record.excerpt}`);
  for (const join of v.evidence) {
    const dt = join.dtMs === null ? 'untimed' : `${join.dtMs >= 0 ? '+' : ''}${(join.dtMs / 1000).toFixed(3)}s`;
    out.push(`    ${join.event.file}:${join.event.line} [${join.event.source} ${join.event.kind}, ${dt}${join.keys.length ? `, same ${join.keys.join('+')}` : ''}] ${join.event.excerpt}`);
  }
  const silent = i.witnesses.filter((w) => w.alive && !w.sawRequest).map((w) => w.source);
  if (silent.length > 0) out.push(`  alive but silent about this request: ${silent.join(', ')}`);
  const near = v.nearMisses.filter((m) => m.stage === 'present' || m.stage === 'absent');
  if (near.length > 0) {
    out.push('  near misses:');
    for (const miss of near) out.push(`    ${miss.ruleId}: ${miss.failed}`);
  }
  if (v.advice.length > 0) {
    out.push('  next steps:');
    for (const line of v.advice) out.push(`    - ${line}`);
  }
  return out;
}
