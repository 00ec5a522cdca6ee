import type { ConnectionEvent, Source, TimeQuality } from '../model/event.js';
import { clockGroup, REFERENCE_GROUP } from './clock-group.js';
import { describeOffset, estimateOffset, type ClockOffset, type TrafficSample } from './offset.js';
import { parseZone, type Zone } from './zone.js';

/** How one clock group's times were made UTC: reported with the results. */
export interface ClockReport {
  group: string;
  zone: string | null;
  /** Where the zone came from. */
  zoneFrom: 'option' | 'stamps' | 'estimate' | 'assumed-utc' | 'exact';
  offset: ClockOffset | null;
  text: string;
}

const STAMP_RESOLUTION_MS = 1000;

interface GroupClock {
  zone: Zone | undefined;
  zoneFrom: ClockReport['zoneFrom'];
  shiftMs: number;
  offset: ClockOffset | undefined;
}

/** A clock group's reading as plain data (posted to worker threads): its zone's name and shift. */
export interface ClockData {
  group: string;
  zone: string | undefined;
  shiftMs: number;
}

/** The UTC instant of a source's own clock reading: zone-less stamps read in the zone, then the shift. */
function instantOn(clock: Pick<GroupClock, 'zone' | 'shiftMs'>, time: number, zoneless: boolean): number {
  return (zoneless && clock.zone ? clock.zone.toUtc(time) : time) - clock.shiftMs;
}

/**
 * The clocks of a Timeline rebuilt from their data, where the Timeline is not (a worker thread):
 * puts a source's own readings on the one timeline exactly as Timeline.resolve does.
 */
export class SourceClocks {
  private readonly clocks = new Map<string, Pick<GroupClock, 'zone' | 'shiftMs'>>();
  constructor(data: readonly ClockData[]) {
    for (const clock of data) this.clocks.set(clock.group, { zone: clock.zone === undefined ? undefined : parseZone(clock.zone), shiftMs: clock.shiftMs });
  }
  /** Per source, its group's clock (null: none): asked once per request line of a failed path. */
  private readonly bySource = new Map<Source, Pick<GroupClock, 'zone' | 'shiftMs'> | null>();
  instantOf(source: Source, time: number, zoneless: boolean): number {
    let clock = this.bySource.get(source);
    if (clock === undefined) this.bySource.set(source, (clock = this.clocks.get(clockGroup(source)) ?? null));
    return clock ? instantOn(clock, time, zoneless) : time;
  }
}

export interface TimelineInput {
  /** --tz: source or group name → zone spec. */
  zones: ReadonlyMap<string, string>;
  traffic: ReadonlyMap<string, readonly TrafficSample[]>;
  zoneSeen: ReadonlyMap<string, number>;
  groups: ReadonlySet<string>;
}

/**
 * One clock for all sources. Zone-less stamps are read in the zone given by --tz, else the zone
 * the same process printed elsewhere (nginx access log), else UTC; then every group is shifted by
 * the offset estimated against the client's clock from requests seen on both sides.
 */
export class Timeline {
  private readonly clocks = new Map<string, GroupClock>();

  constructor(input: TimelineInput) {
    for (const group of [...input.groups].sort()) {
      const spec = input.zones.get(group);
      const seen = input.zoneSeen.get(group);
      let zone: Zone | undefined;
      let zoneFrom: ClockReport['zoneFrom'] = 'assumed-utc';
      if (spec !== undefined) {
        zone = parseZone(spec);
        zoneFrom = 'option';
      } else if (seen !== undefined) {
        zone = parseZone(formatMinutes(seen));
        zoneFrom = 'stamps';
      }
      this.clocks.set(group, { zone, zoneFrom, shiftMs: 0, offset: undefined });
    }
    const reference = input.traffic.get(REFERENCE_GROUP);
    if (!reference) return;
    const refSamples = reference.map((s) => this.baseSample(REFERENCE_GROUP, s));
    for (const [group, clock] of this.clocks) {
      const samples = input.traffic.get(group);
      if (group === REFERENCE_GROUP || !samples) continue;
      const offset = estimateOffset(group, REFERENCE_GROUP, refSamples, samples.map((s) => this.baseSample(group, s)));
      if (!offset) continue;
      clock.offset = offset;
      // Access logs stamp whole seconds: a difference under a second is their resolution, not skew.
      clock.shiftMs = Math.abs(offset.skewMs) < STAMP_RESOLUTION_MS ? offset.zoneMs : offset.offsetMs;
      if (!clock.zone && offset.zoneMs !== 0) clock.zoneFrom = 'estimate';
    }
  }

  private baseSample(group: string, sample: TrafficSample): TrafficSample {
    const zone = this.clocks.get(group)?.zone;
    return sample.zoneless && zone ? { ...sample, time: zone.toUtc(sample.time) } : sample;
  }

  /** Sets the event's UTC instant and how far it can be trusted. */
  resolve(event: ConnectionEvent): void {
    if (event.time === null) {
      event.timeQuality = 'none';
      return;
    }
    const clock = this.clocks.get(clockGroup(event.source));
    if (!clock) return;
    event.time = instantOn(clock, event.time, event.zoneless === true);
    event.timeQuality = this.quality(event, clock);
  }

  private quality(event: ConnectionEvent, clock: GroupClock): TimeQuality {
    if (clock.shiftMs !== 0) return 'inferred';
    if (!event.zoneless) return event.timeQuality;
    return clock.zoneFrom === 'option' ? 'zoned-by-option' : 'inferred';
  }

  /** The clocks as data, for SourceClocks. */
  clockData(): ClockData[] {
    return [...this.clocks].map(([group, clock]) => ({ group, zone: clock.zone?.name, shiftMs: clock.shiftMs }));
  }

  /** The source's own clock reading at a UTC instant: to query its per-second activity. */
  toSourceClock(source: Source, utc: number, zoneless: boolean): number {
    const clock = this.clocks.get(clockGroup(source));
    if (!clock) return utc;
    const base = utc + clock.shiftMs;
    return zoneless && clock.zone ? clock.zone.fromUtc(base) : base;
  }

  report(): ClockReport[] {
    return [...this.clocks].map(([group, clock]) => ({
      group,
      zone: clock.zone?.name ?? null,
      zoneFrom: clock.zoneFrom,
      offset: clock.offset ?? null,
      text: clock.offset
        ? `clock: ${describeOffset(clock.offset)}${clock.shiftMs === clock.offset.offsetMs ? '' : '; under the stamps\' 1 s resolution, not shifted'}`
        : `clock: ${group}: ${clock.zone ? `zone ${clock.zone.name} (from ${clock.zoneFrom})` : 'no zone known, stamps read as UTC'}`,
    }));
  }
}

function formatMinutes(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Parses repeated `--tz source=zone` options; problems are returned, not thrown. */
export function parseZoneOptions(specs: readonly string[]): { zones: Map<string, string>; errors: string[] } {
  const zones = new Map<string, string>();
  const errors: string[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const name = spec.slice(0, eq);
    const zone = spec.slice(eq + 1);
    if (eq <= 0 || !parseZone(zone)) {
      errors.push(`--tz ${spec}: expected <source>=<IANA zone or ±hh:mm>, e.g. nginx=Asia/Shanghai or nginx=+08:00`);
      continue;
    }
    zones.set(clockGroup(name as Source), zone);
  }
  return { zones, errors };
}
