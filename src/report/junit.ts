/**
 * `--format junit`: one test case per incident, failed with its verdict, cause and deciding lines,
 * in the JUnit XML that GitLab, Jenkins and GitHub's test reporters read (Jenkins' xunit-plugin
 * junit-10.xsd; Ant's XMLJUnitResultFormatter, which also wants hostname, timestamp, properties,
 * system-out and system-err on each suite).
 */
import { hostname } from 'node:os';
import type { Analysis } from './analysis.js';
import type { BurstVerdict } from '../attribute/burst.js';
import { decidingEvents } from './deciding.js';
import { isoTime } from './event-record.js';
import { clientError, urlOf } from './incident-record.js';
import { escapeControls } from './output.js';

/**
 * Text as XML 1.0 may hold it: markup characters as entities; control characters (which XML 1.0
 * forbids, and a terminal would act on) shown as `\x1b`; lone surrogates and U+FFFE/U+FFFF, also
 * forbidden, as U+FFFD.
 */
export function xmlText(text: string, keepNewlines = true): string {
  return escapeControls(text, keepNewlines)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** `server: server/upstream-reset — nginx/error.log:10 …`: what a reporter shows first. */
function failureMessage(v: BurstVerdict): string {
  const [deciding] = decidingEvents(v);
  const evidence = deciding ? `${deciding.file}:${deciding.line} ${deciding.excerpt}` : v.reasons.join('; ');
  return `${v.attribution}: ${v.cause}${evidence ? ` — ${evidence}` : ''}`;
}

/** The failure's body: the client's error, every deciding line and the next steps. */
function failureBody(v: BurstVerdict): string {
  const request = urlOf(v);
  return [
    `verdict: ${v.attribution} — ${v.cause}${v.ruleId ? ` (rule ${v.ruleId}, confidence ${v.confidence.toFixed(2)})` : ''}`,
    `client error: ${clientError(v)}${request ? ` on ${request}` : ''}${v.count > 1 ? ` (×${v.count})` : ''}`,
    ...decidingEvents(v).map((event) => `decided by: ${event.file}:${event.line} [${event.source} ${event.kind}] ${event.excerpt}`),
    ...v.reasons.map((reason) => `why unknown: ${reason}`),
    ...v.advice.map((advice) => `next step: ${advice}`),
  ].join('\n');
}

function testcase(v: BurstVerdict): string {
  const name = `${v.incident.id} ${v.incident.test ?? urlOf(v) ?? clientError(v)}`;
  return [
    `    <testcase name="${xmlText(name, false)}" classname="whoreset.${v.attribution}" time="0">`,
    `      <failure message="${xmlText(failureMessage(v), false)}" type="${xmlText(v.cause, false)}">${xmlText(failureBody(v))}</failure>`,
    '    </testcase>',
  ].join('\n');
}

/** The report as one suite; `now` is the run's time (Ant's timestamp: local form, no zone). */
export function junitXml(analysis: Analysis, now: Date = new Date()): string {
  const n = analysis.verdicts.length;
  const counts = `tests="${n}" failures="${n}" errors="0" skipped="0" time="0"`;
  const stamp = isoTime(now.getTime())!.slice(0, 19);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="whoreset" ${counts}>`,
    `  <testsuite name="whoreset connection failures" ${counts} timestamp="${stamp}" hostname="${xmlText(hostname(), false)}">`,
    '    <properties/>',
    ...analysis.verdicts.map(testcase),
    `    <system-out>${xmlText(`${analysis.filesRead} file(s) read`)}</system-out>`,
    '    <system-err/>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
