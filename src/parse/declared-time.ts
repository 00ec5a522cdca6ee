/**
 * The time layouts a declared format may name (formats/*.json `time.layout`): the named ones
 * (iso8601, epoch, epoch-ms, clf) and strftime patterns of %Y %m %d %e %H %M %S %f %b %a %z %%,
 * compiled once into a reader of the `time` field (`.%f` may be absent from a stamp). A stamp with a zone (or a format with a `zone`)
 * is exact; one without is the wall clock read as UTC, `zoneless`, for the time stage to place.
 */
import { clfTime, monthAt, utcOf } from './timestamps.js';

export interface DeclaredTime {
  layout: string;
  /** "UTC" or ±hh:mm: the zone of stamps that carry none. */
  zone?: string;
}

export interface ReadTime {
  time: number;
  zoneless: boolean;
}

/** Minutes east of UTC of `Z`, `±hh:mm` or `±hhmm`, or undefined. */
function offsetMinutes(text: string): number | undefined {
  if (text === 'Z' || text === 'UTC') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** Milliseconds of a fraction's digits ("5" is 500, "123456" is 123). */
function fractionMs(digits: string | undefined): number {
  return digits ? Number(digits.slice(0, 3).padEnd(3, '0')) : 0;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/** What each strftime directive matches, and which field it gives. */
const DIRECTIVES: Readonly<Record<string, { regex: string; field?: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'fraction' | 'monthName' | 'zone' }>> = {
  Y: { regex: '(\\d{4})', field: 'year' },
  m: { regex: '(\\d{2})', field: 'month' },
  d: { regex: '(\\d{2})', field: 'day' },
  e: { regex: ' ?(\\d{1,2})', field: 'day' },
  H: { regex: '(\\d{2})', field: 'hour' },
  M: { regex: '(\\d{2})', field: 'minute' },
  S: { regex: '(\\d{2})', field: 'second' },
  f: { regex: '(\\d{1,9})', field: 'fraction' },
  b: { regex: '([A-Z][a-z]{2})', field: 'monthName' },
  a: { regex: '[A-Z][a-z]{2}' },
  z: { regex: '(Z|[+-]\\d{2}:?\\d{2})', field: 'zone' },
  '%': { regex: '%' },
};

const NAMED = new Set(['iso8601', 'epoch', 'epoch-ms', 'clf']);

/** Why a layout cannot be compiled, or undefined when it can. */
export function layoutProblem(layout: string): string | undefined {
  if (NAMED.has(layout)) return undefined;
  const directives = [...layout.matchAll(/%(.)/g)].map((m) => m[1]!);
  const unknown = directives.find((d) => !(d in DIRECTIVES));
  if (unknown !== undefined) return `unknown directive %${unknown}; expected one of ${Object.keys(DIRECTIVES).map((d) => `%${d}`).join(' ')}, or iso8601, epoch, epoch-ms, clf`;
  for (const needed of ['Y', 'H', 'M', 'S']) if (!directives.includes(needed)) return `a layout needs %${needed}`;
  if (!directives.includes('m') && !directives.includes('b')) return 'a layout needs %m or %b';
  if (!directives.includes('d') && !directives.includes('e')) return 'a layout needs %d or %e';
  return undefined;
}

function strftimeReader(layout: string): (text: string) => { wall: number; offset?: number } | undefined {
  const fields: string[] = [];
  let source = '^';
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]!;
    if ((c === '.' || c === ',') && layout.startsWith('%f', i + 1)) {
      // A fraction may be left out (Apache 2.2 writes none where 2.4 writes microseconds).
      source += '(?:[.,](\\d{1,9}))?';
      fields.push('fraction');
      i += 2;
    } else if (c === '%' && i + 1 < layout.length) {
      const directive = DIRECTIVES[layout[++i]!]!;
      source += directive.regex;
      if (directive.field) fields.push(directive.field);
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const regex = new RegExp(source + '$');
  return (text) => {
    const m = regex.exec(text);
    if (!m) return undefined;
    const got: Record<string, string> = {};
    fields.forEach((field, i) => (got[field] = m[i + 1]!));
    const month = got.month !== undefined ? Number(got.month) : monthAt(got.monthName!, 0);
    const wall = utcOf(Number(got.year), month, Number(got.day), Number(got.hour), Number(got.minute), Number(got.second), fractionMs(got.fraction));
    if (wall === undefined) return undefined;
    return got.zone === undefined ? { wall } : { wall, offset: offsetMinutes(got.zone) };
  };
}

function isoReader(text: string): { wall: number; offset?: number } | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const wall = utcOf(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), fractionMs(m[7]));
  if (wall === undefined) return undefined;
  return m[8] === undefined ? { wall } : { wall, offset: offsetMinutes(m[8]) };
}

function clfReader(text: string): { wall: number; offset?: number } | undefined {
  const read = clfTime(text);
  if (!read) return undefined;
  return read.zoneless ? { wall: read.time } : { wall: read.time, offset: 0 };
}

/** Epoch seconds (scale 1000) or milliseconds (1), read by digits: a float would turn .001 into 0.999…. */
function epochReader(scale: 1000 | 1): (text: string) => { wall: number; offset: number } | undefined {
  return (text) => {
    const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
    if (!m) return undefined;
    return { wall: Number(m[1]) * scale + (scale === 1000 ? fractionMs(m[2]) : 0), offset: 0 };
  };
}

/** The reader of a format's `time` field: undefined for a stamp the layout does not fit. */
export function timeReader(spec: DeclaredTime): (text: string) => ReadTime | undefined {
  const read =
    spec.layout === 'iso8601' ? isoReader : spec.layout === 'clf' ? clfReader : spec.layout === 'epoch' ? epochReader(1000) : spec.layout === 'epoch-ms' ? epochReader(1) : strftimeReader(spec.layout);
  const formatOffset = spec.zone === undefined ? undefined : offsetMinutes(spec.zone);
  return (text) => {
    const got = read(text);
    if (!got) return undefined;
    const offset = got.offset ?? formatOffset;
    return offset === undefined ? { time: got.wall, zoneless: true } : { time: got.wall - offset * 60_000, zoneless: false };
  };
}
