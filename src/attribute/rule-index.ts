import type { Incident } from '../correlate/incident.js';
import type { ConnectionEvent } from '../model/event.js';
import type { PresentCondition, Rule } from './rule.js';

/**
 * The rules, in their order, that can get somewhere on an incident, found by the sources and kinds
 * of its events alone: the rest fail on them before anything else is looked at. Made once per run
 * (or report): a run's incidents share a few sets of sources and kinds, each filtered once.
 */
export class RuleIndex {
  private readonly fittingBySet = new Map<string, readonly Rule[]>();
  private readonly matchableBySet = new Map<string, readonly Rule[]>();

  constructor(private readonly rules: readonly Rule[]) {}

  /**
   * The rules whose anchor the failure's records can meet (a kind, a source it names): the others
   * fail at the context or the anchor, where no near miss is looked for.
   */
  fitting(incident: Incident): readonly Rule[] {
    const key = tagsOf(incident.records);
    let rules = this.fittingBySet.get(key);
    if (!rules) this.fittingBySet.set(key, (rules = this.rules.filter((rule) => mayAnchor(rule, incident.records))));
    return rules;
  }

  /** Of those, the rules whose every present condition some joined event's source and kind can meet: the only ones that can match. */
  matchable(incident: Incident): readonly Rule[] {
    const joined = incident.joined.map((join) => join.event);
    const key = `${tagsOf(incident.records)}|${tagsOf(joined)}`;
    let rules = this.matchableBySet.get(key);
    if (!rules) this.matchableBySet.set(key, (rules = this.fitting(incident).filter((rule) => (rule.when.present ?? []).every((condition) => joined.some((event) => mayJoin(condition, event))))));
    return rules;
  }
}

/** The events' distinct sources and kinds, as `source kind` sorted and joined: names are [a-z0-9-] (vocabulary, format.schema.json), so one key, one set. */
function tagsOf(events: readonly ConnectionEvent[]): string {
  const tags: string[] = [];
  for (const event of events) {
    const tag = `${event.source} ${event.kind}`;
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags.sort().join(',');
}

/** evaluate's anchor conditions on kind and source: some record has one of the kinds, some record one of the sources. */
function mayAnchor(rule: Rule, records: readonly ConnectionEvent[]): boolean {
  const anchor = rule.when.anchor;
  return (!anchor?.kind || records.some((r) => anchor.kind!.includes(r.kind))) && (!anchor?.source || records.some((r) => anchor.source!.includes(r.source)));
}

/** presentMatches's first two tests: the event's source and kind. */
function mayJoin(condition: PresentCondition, event: ConnectionEvent): boolean {
  return (!condition.source || condition.source.includes(event.source)) && (!condition.kind || condition.kind.includes(event.kind));
}
