import type { Incident } from '../correlate/incident.js';
import { joinedRequest, joinOf, JoinSharing } from '../correlate/join.js';
import { toIncident } from '../correlate/merge.js';
import { tieStaleReuse } from '../correlate/keepalive.js';
import type { ConnectionEvent, Source, SourceSides } from '../model/event.js';
import type { FixtureEvent, IncidentFixture } from './rule.js';

const FIXTURE_TIME = Date.UTC(2026, 10, 24, 6, 40, 0);
const FIXTURE_WINDOW_MS = 10_000;

function toEvent(fixture: FixtureEvent, id: string, timed: boolean): ConnectionEvent {
  const { dt, excerpt, idle, timeout, ...fields } = fixture;
  // A configuration has no time: it holds throughout.
  const at = timed && timeout === undefined;
  return {
    id,
    file: 'fixture',
    line: 0,
    excerpt: excerpt ?? `${fixture.source} ${fixture.kind}`,
    time: at ? FIXTURE_TIME + (dt ?? 0) * 1000 : null,
    timeQuality: at ? 'exact' : 'none',
    ...fields,
    ...(timeout !== undefined && { timeoutMs: timeout * 1000 }),
    ...(idle !== undefined && {
      pooled: { host: fixture.host ?? 'localhost', port: fixture.port ?? 80, idleMs: idle * 1000, since: { id: `${id}:previous`, line: 0, excerpt: 'the pool\'s previous request' }, threaded: true },
    }),
  };
}

/**
 * Builds an incident from a rule example with the same join logic the real pipeline uses, so an
 * example proves what the rule does on real input. `sides`: the run's (runFormats), for declared sources.
 */
export function incidentFromFixture(fixture: IncidentFixture, sides: SourceSides): Incident {
  const timed = fixture.untimed !== true;
  const records = [fixture.anchor, ...(fixture.records ?? [])].map((r, i) => toEvent(r, `record:${i}`, timed));
  const incident = toIncident(records);
  incident.id = 'example';
  const events = (fixture.events ?? []).map((e, i) => toEvent(e, `event:${i}`, true));
  const sharing = new JoinSharing();
  incident.joined = events.flatMap((event) => joinOf(incident, event, FIXTURE_WINDOW_MS, sharing) ?? []);
  const sources = new Set<Source>([...records, ...events].map((e) => e.source));
  for (const source of fixture.sources ?? []) sources.add(source);
  for (const source of fixture.silent ?? []) sources.add(source);
  incident.sourcesPresent = [...sources].sort();
  tieStaleReuse([incident], events, sources);
  incident.witnesses = incident.sourcesPresent.filter((source) => sides.isFarSide(source)).map((source) => ({
    source,
    side: sides.sideOf(source),
    alive: timed ? !(fixture.silent ?? []).includes(source) : null,
    sawRequest: joinedRequest(incident, source),
  }));
  return incident;
}
