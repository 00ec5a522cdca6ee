/**
 * Time stamps in each program's own format, all from the one simulated clock (epoch ms, UTC).
 * Each formatter caches the part that changes once a second: most lines share their second.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The simulated nginx host's zone: UTC+8, so its wall clock runs 8 h ahead of the runner's. */
export const SERVER_OFFSET_MS = 8 * 3600_000;

const p2 = (n: number): string => (n < 10 ? '0' + n : String(n));

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function partsOf(ms: number): Parts {
  const t = new Date(ms);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth(),
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
  };
}

/** Caches `format(second)` for the last second seen. */
function perSecond(format: (p: Parts) => string): (ms: number) => string {
  let lastSecond = NaN;
  let last = '';
  return (ms: number) => {
    const sec = Math.floor(ms / 1000);
    if (sec !== lastSecond) {
      lastSecond = sec;
      last = format(partsOf(sec * 1000));
    }
    return last;
  };
}

const ghSecond = perSecond((p) => `${p.y}-${p2(p.mo + 1)}-${p2(p.d)}T${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}.`);
/**
 * GitHub Actions line prefix: "2026-11-24T06:40:01.1234567Z " (UTC, 7 fractional digits). The
 * simulated clock is a float, so its sub-millisecond part gives the last 4 digits, monotonic.
 */
export function ghPrefix(ms: number): string {
  const frac = Math.floor((ms % 1000) * 10000);
  return ghSecond(ms) + String(frac).padStart(7, '0') + 'Z ';
}

const errSecond = perSecond((p) => `${p.y}/${p2(p.mo + 1)}/${p2(p.d)} ${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}`);
/** nginx error log: "2026/11/24 14:40:01", server local time, no zone. */
export function nginxErrorTime(ms: number): string {
  return errSecond(ms + SERVER_OFFSET_MS);
}

const accessSecond = perSecond((p) => `${p2(p.d)}/${MONTHS[p.mo]}/${p.y}:${p2(p.h)}:${p2(p.mi)}:${p2(p.s)} +0800`);
/** nginx $time_local: "24/Nov/2026:14:40:01 +0800". */
export function nginxAccessTime(ms: number): string {
  return accessSecond(ms + SERVER_OFFSET_MS);
}

const pySecond = perSecond((p) => `${p.y}-${p2(p.mo + 1)}-${p2(p.d)} ${p2(p.h)}:${p2(p.mi)}:${p2(p.s)},`);
/** Python logging %(asctime)s on the runner (UTC, no zone): "2026-11-24 06:40:01,123". */
export function pyAsctime(ms: number): string {
  return pySecond(ms) + String(Math.floor(ms % 1000)).padStart(3, '0');
}
