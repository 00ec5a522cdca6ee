import type { Incident, Join } from '../correlate/incident.js';
import { fillAdvice } from './advice.js';
import { evaluate, silenceOf, type FailedStage } from './evaluate.js';
import type { Attribution, Rule } from './rule.js';

export interface NearMiss {
  ruleId: string;
  failed: string;
  stage: FailedStage;
  priority: number;
  /** It looks for a source the directory does not have at all: the farthest kind of miss. */
  lacksSource: boolean;
}

export interface Verdict {
  incident: Incident;
  attribution: Attribution;
  cause: string;
  ruleId: string | null;
  confidence: number;
  /** The events the deciding rule used, then the rest of what was joined. */
  evidence: Join[];
  /** The joined events the deciding rule rested on (none: the failure's own records decided). */
  deciding: Join[];
  advice: string[];
  /** For unknown: what is missing or in conflict. */
  reasons: string[];
}

/** Matches this sure are "strong": two of them disagreeing at one priority make the verdict unknown. */
const STRONG = 0.7;

/** What an unknown verdict says when the directory lacks nothing: the evidence decided nothing. */
const NO_RULE_MATCHED = 'no rule matched the evidence joined to this failure';

/**
 * Every rule is evaluated on the incident. The match with the highest priority wins, ties broken by
 * confidence and then by id, so the order is deterministic. Strong matches of equal priority that
 * disagree on the side give unknown, as does no match, with what is missing.
 */
export function decide(incident: Incident, rules: readonly Rule[]): Verdict {
  const matches: Array<{ rule: Rule; used: Join[]; confidence: number }> = [];
  for (const rule of rules) {
    const outcome = evaluate(rule, incident);
    if (outcome.matched) matches.push({ rule, used: outcome.used, confidence: outcome.confidence });
  }
  matches.sort((a, b) => b.rule.priority - a.rule.priority || b.confidence - a.confidence || (a.rule.id < b.rule.id ? -1 : 1));
  const best = matches[0];
  const evidenceFrom = (used: Join[]) => [...used, ...incident.joined.filter((j) => !used.includes(j))];
  if (!best) {
    return {
      incident,
      attribution: 'unknown',
      cause: 'unknown/no-match',
      ruleId: null,
      confidence: 0,
      evidence: incident.joined,
      deciding: [],
      advice: [noMatchAdvice(incident)],
      reasons: missingEvidence(incident),
    };
  }
  const rival = matches.find((m) => m !== best && m.rule.priority === best.rule.priority && m.rule.attribution !== best.rule.attribution && m.confidence >= STRONG);
  if (rival && best.confidence >= STRONG) {
    return {
      incident,
      attribution: 'unknown',
      cause: 'unknown/conflict',
      ruleId: null,
      confidence: 0,
      evidence: evidenceFrom([...best.used, ...rival.used]),
      deciding: [],
      advice: [...fillAdvice(best.rule.advice, incident, best.used), ...fillAdvice(rival.rule.advice, incident, rival.used)],
      reasons: [`${best.rule.id} (${best.rule.attribution}) and ${rival.rule.id} (${rival.rule.attribution}) both match with equal priority`],
    };
  }
  return {
    incident,
    attribution: best.rule.attribution,
    cause: best.rule.cause ?? best.rule.id,
    ruleId: best.rule.id,
    confidence: best.confidence,
    evidence: evidenceFrom(best.used),
    deciding: best.used,
    advice: fillAdvice(best.rule.advice, incident, best.used),
    reasons: best.rule.attribution === 'unknown' ? unknownReasons(incident, best.rule, best.used) : [],
  };
}

/**
 * Why a rule of attribution unknown decided: one that rests on joined events says why in its title
 * (those events are what leaves it open), then what the directory lacks; one that rests on nothing
 * joined (no server logs) is said by what is missing alone.
 */
function unknownReasons(incident: Incident, rule: Rule, used: readonly Join[]): string[] {
  const missing = missingEvidence(incident);
  return used.length === 0 ? missing : [rule.title, ...missing.filter((reason) => reason !== NO_RULE_MATCHED)];
}

/**
 * Rules that fit the client's error (context and anchor matched) but not the evidence, with the
 * condition that failed: for --explain, asked per verdict as it is written. Kept on every verdict,
 * they were a third of a long job's memory (a 1 GiB job: 109,000 of them for 5,900 incidents).
 */
export function nearMisses(incident: Incident, rules: readonly Rule[]): NearMiss[] {
  const misses: NearMiss[] = [];
  for (const rule of rules) {
    const outcome = evaluate(rule, incident);
    if (outcome.matched || (outcome.stage !== 'present' && outcome.stage !== 'absent')) continue;
    const lacksSource = (rule.when.present ?? []).some((p) => p.source !== undefined && !p.source.some((s) => incident.sourcesPresent.includes(s)));
    misses.push({ ruleId: rule.id, failed: outcome.failed(), stage: outcome.stage, priority: rule.priority, lacksSource });
  }
  return misses;
}

/** What to do when no rule matched: collect the logs that are missing, or read what the ones here say. */
function noMatchAdvice(incident: Incident): string {
  const missing: string[] = [];
  if (!incident.witnesses.some((w) => w.side === 'server')) missing.push('the server-side logs (nginx error and access logs)');
  // A Python suite's own client log times the failure and names its request (a curl or Node step has none).
  const python = incident.records.some((r) => r.source === 'pytest' || r.source === 'junit');
  if (python && !incident.sourcesPresent.includes('client')) missing.push('the client log (requests and urllib3 at DEBUG)');
  if (missing.length > 0) return `Re-run the job with ${missing.join(' and ')} collected as artifacts.`;
  return 'No rule knows the evidence joined to this failure: --explain lists it, and what each rule looked for and missed. A cause these logs do show can be declared as a rule (rules/README.md).';
}

/** What the directory lacks for a verdict, in the words a person would use. */
function missingEvidence(incident: Incident): string[] {
  const reasons: string[] = [];
  // Every far-side source in the directory is a witness (join.ts), so no server witness is no server log.
  const server = incident.witnesses.filter((w) => w.side === 'server');
  if (server.length === 0) reasons.push('no server logs in the directory');
  if (incident.time === null) reasons.push('no client log or CI timestamps: time of the failure unknown');
  if (incident.path === undefined) reasons.push('the failure names no URL: cannot match it to server lines');
  // Server logs with no timed line near the failure (none at all: no stamps), or that begin after it, cannot witness it.
  if (server.length > 0 && server.every((w) => w.alive === false)) {
    reasons.push(
      server.some((w) => w.beganAfter)
        ? `the server's logs cannot witness the failure: ${server.map((w) => `${w.source} ${silenceOf(w)}`).join('; ')}`
        : `the server's logs (${server.map((w) => w.source).join(', ')}) have no timed line around the failure: none of their lines can be tied to it`,
    );
  }
  if (reasons.length === 0) reasons.push(NO_RULE_MATCHED);
  return reasons;
}
