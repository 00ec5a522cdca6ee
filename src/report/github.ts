/**
 * `--format github`: GitHub Actions workflow commands, one annotation per incident on the line that
 * decided it, and a Markdown job summary. Formats as documented at
 * https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
 * (`::error file={name},line={line},title={title}::{message}`; escaping as @actions/core's
 * command.ts: `%` `\r` `\n` in data, and `:` `,` too in properties).
 */
import path from 'node:path';
import type { Analysis } from './analysis.js';
import type { BurstVerdict } from '../attribute/burst.js';
import { decidingEvents } from './deciding.js';
import { clientError, urlOf } from './incident-record.js';
import { escapeControls } from './output.js';
import { causeGroups, causeLabel, summaryLines, testList } from './summary.js';
import { DEFAULT_WIDTH } from './table-style.js';

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A log's text on one line, its control characters shown (a stray `\n::warning::` must not become a command). */
const oneLine = (text: string) => escapeControls(text, false);

/** Where GitHub looks a file up: the path from the workspace (the directory whoreset runs in, unless GITHUB_WORKSPACE says). */
function annotationFile(dir: string, file: string, env: NodeJS.ProcessEnv): string {
  const root = env['GITHUB_WORKSPACE'] ?? process.cwd();
  return path.relative(root, path.resolve(dir, file)).split(path.sep).join('/');
}

/** One workflow command: `::error` for an attributed failure, `::warning` for one whoreset could not attribute. */
export function annotation(v: BurstVerdict, dir: string, env: NodeJS.ProcessEnv = process.env): string {
  const [deciding] = decidingEvents(v);
  const where = deciding ?? v.incident.anchor;
  const properties = [`file=${escapeProperty(annotationFile(dir, where.file, env))}`, `line=${where.line}`, `title=${escapeProperty(oneLine(`whoreset ${v.incident.id}: ${v.attribution} — ${v.cause}`))}`];
  const request = urlOf(v);
  const message = [
    `${v.attribution}: ${v.cause}${v.ruleId ? ` (confidence ${v.confidence.toFixed(2)})` : ''}${v.incident.test ? ` in ${v.incident.test}` : ''}`,
    `client: ${clientError(v)}${request ? ` on ${request}` : ''}`,
    ...decidingEvents(v).map((event) => `decided by ${event.file}:${event.line}: ${event.excerpt}`),
    ...v.reasons.map((reason) => `why unknown: ${reason}`),
    ...v.advice.map((advice) => `next: ${advice}`),
  ].map(oneLine);
  return `::${v.attribution === 'unknown' ? 'warning' : 'error'} ${properties.join(',')}::${escapeData(message.join('\n'))}`;
}

/**
 * Text in a GFM table cell, on one line: the characters that would end the cell (`|`) or start
 * markup (emphasis, code, links, HTML, entities) backslash-escaped, as CommonMark allows for any
 * ASCII punctuation (spec §2.4); `/ . : -` stay as they are, for paths and URLs to read as written.
 */
export function markdownCell(text: string): string {
  return oneLine(text).replace(/[\\`*_{}[\]()<>#!|~&"]/g, '\\$&');
}

/** The Markdown job summary: the groups by cause, then a row per incident with the line that decided it. */
export function jobSummary(analysis: Analysis): string {
  const { verdicts } = analysis;
  const lines = [`## whoreset: ${verdicts.length} connection failure incident(s) in ${analysis.filesRead} file(s)`, ''];
  if (verdicts.length === 0) return lines.join('\n') + 'No connection failures found.\n';
  lines.push('| verdict and cause | incidents | tests |', '|---|---:|---|');
  for (const group of causeGroups(verdicts)) {
    lines.push(`| ${markdownCell(causeLabel(group.attribution, group.cause))} | ${group.verdicts.length} | ${markdownCell(testList(group.tests).join(', ') || '-')} |`);
  }
  lines.push('', '| id | verdict | cause | test | request | decided by |', '|---|---|---|---|---|---|');
  for (const v of verdicts) {
    const decided = decidingEvents(v).map((event) => `${event.file}:${event.line} ${event.excerpt}`).join(' / ') || v.reasons.join('; ');
    const cells = [v.incident.id, v.attribution, v.cause, v.incident.test ?? '-', urlOf(v) ?? '-', decided];
    lines.push(`| ${cells.map(markdownCell).join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

/** The log's text (the summary, readable in the raw log) and the annotations. */
export function githubText(analysis: Analysis, dir: string, env: NodeJS.ProcessEnv = process.env): string {
  // Lines that are not commands must not start with `::`: each summary line starts with a count or spaces.
  const summary = analysis.verdicts.length > 0 ? summaryLines(analysis.verdicts, analysis.filesRead, { width: DEFAULT_WIDTH, colour: false }) : [`No connection failures found in ${analysis.filesRead} file(s).`];
  return [...summary, ...analysis.verdicts.map((v) => annotation(v, dir, env))].join('\n') + '\n';
}
