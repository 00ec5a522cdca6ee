import type { ConnectionEvent } from '../model/event.js';
import { DECISIVE_LINKS, type Incident, type Join, type SourceWitness } from '../correlate/incident.js';
import type { AbsentCondition, AnchorCondition, PresentCondition, Rule, TextPattern } from './rule.js';

/**
 * The outcome of one rule on one incident: the events it used, or the first condition that failed.
 * The failure is told only when asked (`failed()`): a verdict tries every rule and reads none of them.
 */
export type RuleOutcome =
  | { matched: true; used: Join[]; confidence: number }
  | { matched: false; failed: () => string; stage: FailedStage };

/** Says why a condition failed, when asked. */
type Why = () => string;

/** Where a rule stopped matching: a near miss got past the context and the anchor. */
export type FailedStage = 'context' | 'anchor' | 'present' | 'absent';

// A cache of a pure function keyed by the loaded rules' patterns (flags only 'i': a RegExp without g/y keeps no state between tests).
const compiled = new WeakMap<TextPattern, RegExp>();
function test(pattern: TextPattern, value: string | undefined): boolean {
  if (value === undefined) return false;
  let regex = compiled.get(pattern);
  if (!regex) compiled.set(pattern, (regex = new RegExp(pattern.regex, pattern.flags)));
  return regex.test(value);
}

// join, not map(String): the same text for strings and numbers, without an array per call (--explain builds thousands).
const list = (values: readonly (string | number)[]) => values.join('|');

function anchorFailure(condition: AnchorCondition, incident: Incident): Why | undefined {
  const records = incident.records;
  // Consts, so that their narrowing holds inside the closures that tell the failure.
  const { kind, source, errnoName, exception, cause, status, path, host, text, timed } = condition;
  const some = (predicate: (r: ConnectionEvent) => boolean) => records.some(predicate);
  if (kind && !some((r) => kind.includes(r.kind))) return () => `anchor kind is ${incident.anchor.kind}, not ${list(kind)}`;
  if (source && !some((r) => source.includes(r.source))) return () => `no record from ${list(source)}`;
  if (errnoName && !some((r) => r.errnoName !== undefined && errnoName.includes(r.errnoName))) {
    return () => `errno is ${incident.anchor.errnoName ?? 'unknown'}, not ${list(errnoName)}`;
  }
  if (exception && !some((r) => test(exception, r.exception))) return () => `no exception matching /${exception.regex}/`;
  if (cause && !some((r) => test(cause, r.cause))) return () => `no cause matching /${cause.regex}/`;
  if (status && !some((r) => r.status !== undefined && status.includes(r.status))) return () => `client saw no status ${list(status)}`;
  if (path && !test(path, incident.path)) return () => `path ${incident.path ?? 'unknown'} does not match /${path.regex}/`;
  if (host && !test(host, incident.host)) return () => `host ${incident.host ?? 'unknown'} does not match /${host.regex}/`;
  if (text && !some((r) => test(text, r.excerpt))) return () => `no record text matching /${text.regex}/`;
  if (timed !== undefined && timed !== (incident.time !== null)) return () => (timed ? 'the failure has no time' : 'the failure has a time');
  return undefined;
}

function presentMatches(condition: PresentCondition, join: Join): boolean {
  const e = join.event;
  if (condition.source && !condition.source.includes(e.source)) return false;
  if (condition.kind && !condition.kind.includes(e.kind)) return false;
  if (condition.status && (e.status === undefined || !condition.status.includes(e.status))) return false;
  if (condition.closedBy && (e.closedBy === undefined || !condition.closedBy.includes(e.closedBy))) return false;
  if (condition.proxyCode && !test(condition.proxyCode, e.proxyCode)) return false;
  if (condition.text && !test(condition.text, e.excerpt)) return false;
  if (condition.sameKeys && !condition.sameKeys.every((key) => join.keys.includes(key))) return false;
  // A verdict rests on a line tied to the failing request, never on a time-only neighbour.
  if (!(condition.link ?? DECISIVE_LINKS).includes(join.link)) return false;
  if (condition.order && (join.order === null || !condition.order.includes(join.order))) return false;
  if (condition.within !== undefined) {
    // An untimed join stands on its link alone; a timed one must be close enough.
    if (join.dtMs === null ? !DECISIVE_LINKS.includes(join.link) : Math.abs(join.dtMs) > condition.within * 1000) return false;
  }
  if (condition.between !== undefined) {
    const [from, to] = condition.between;
    if (join.dtMs === null ? !DECISIVE_LINKS.includes(join.link) : join.dtMs < from * 1000 || join.dtMs > to * 1000) return false;
  }
  return true;
}

function describePresent(condition: PresentCondition): string {
  const what = [condition.source ? list(condition.source) : 'any source', condition.kind ? list(condition.kind) : 'event'];
  if (condition.status) what.push(`status ${list(condition.status)}`);
  if (condition.closedBy) what.push(`closed by ${list(condition.closedBy)}`);
  if (condition.proxyCode) what.push(`code /${condition.proxyCode.regex}/`);
  const within =
    (condition.within !== undefined ? ` within ${condition.within}s` : '') +
    (condition.between !== undefined ? ` from ${condition.between[0]}s to ${condition.between[1]}s of the failure` : '');
  const keys = condition.sameKeys ? ` sharing ${condition.sameKeys.join('+')}` : '';
  const order = condition.order ? ` ${list(condition.order)} the failure` : '';
  return `${what.join(' ')}${within}${keys}${order} tied by ${list(condition.link ?? DECISIVE_LINKS)}`;
}

/** Why a witness's silence says nothing: what it did not log around the failure. */
export function silenceOf(witness: SourceWitness): string {
  return witness.beganAfter ? 'began logging after the failure: it cannot have logged the request' : 'logged nothing around the failure';
}

function absentFailure(condition: AbsentCondition, incident: Incident): Why | undefined {
  const witnesses = incident.witnesses.filter((w) => condition.source.includes(w.source));
  if (witnesses.length === 0) return () => `no ${list(condition.source)} log in the directory to witness it`;
  if (incident.time === null) return () => `the failure has no time: cannot tell whether ${list(condition.source)} was alive`;
  if (condition.request !== false && incident.path === undefined) return () => `the failure names no path: cannot tell whether ${list(condition.source)} logged it`;
  for (const witness of witnesses) {
    if (!witness.alive) return () => `${witness.source} ${silenceOf(witness)}`;
    if (condition.request !== false && witness.sawRequest) return () => `${witness.source} logged this request`;
    const kind = condition.kind;
    if (kind && incident.joined.some((j) => j.event.source === witness.source && kind.includes(j.event.kind))) {
      return () => `${witness.source} logged ${list(kind)}`;
    }
  }
  return undefined;
}

/** Evaluates one rule on one incident. */
export function evaluate(rule: Rule, incident: Incident): RuleOutcome {
  const when = rule.when;
  const present = when.context?.present;
  if (present && !present.some((s) => incident.sourcesPresent.includes(s))) {
    return { matched: false, failed: () => `none of ${list(present)} in the directory`, stage: 'context' };
  }
  if (when.context?.missing) {
    const there = when.context.missing.filter((s) => incident.sourcesPresent.includes(s));
    if (there.length > 0) return { matched: false, failed: () => `${list(there)} is in the directory`, stage: 'context' };
  }
  if (when.anchor) {
    const failed = anchorFailure(when.anchor, incident);
    if (failed) return { matched: false, failed, stage: 'anchor' };
  }
  const used: Join[] = [];
  for (const condition of when.present ?? []) {
    const matches = incident.joined.filter((join) => presentMatches(condition, join));
    if (matches.length === 0) return { matched: false, failed: () => `no ${describePresent(condition)}`, stage: 'present' };
    for (const join of matches) if (!used.includes(join)) used.push(join);
  }
  for (const condition of when.absent ?? []) {
    const failed = absentFailure(condition, incident);
    if (failed) return { matched: false, failed, stage: 'absent' };
  }
  return { matched: true, used, confidence: confidenceOf(rule, incident) };
}

/** A rule that leans on timing is less sure when the failure's time was inferred or is missing. */
function confidenceOf(rule: Rule, incident: Incident): number {
  const usesTime = (rule.when.present?.length ?? 0) > 0 || (rule.when.absent?.length ?? 0) > 0;
  const factor = !usesTime || incident.timeQuality === 'exact' || incident.timeQuality === 'zoned-by-option' ? 1 : incident.timeQuality === 'inferred' ? 0.95 : 0.8;
  return Math.round(rule.confidence * factor * 100) / 100;
}
