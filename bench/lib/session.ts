import { CAUSES, PLAYS, droppedIdle, harmlessRetry, type Cause, type Failure } from './causes.js';
import { finalException, internalErrorChain, pytestShort, pythonTraceback } from './python-tb.js';
import { duration, progressLine, sep, sessionHeader, stepHeader } from './pytest-format.js';
import { ordinaryTest, runOrdinary, open } from './traffic.js';
import type { World } from './world.js';

/** Share of tests that hit a connection problem: ~0.5 % of requests at ~1.8 requests a test. */
const P_INCIDENT = 0.009;
/** Resets urllib3 retried with success, and idle connections it noticed were dropped. */
const P_HARMLESS = 0.002;
const P_IDLE = 0.0003;
/** Share of pytest sessions aborted by an INTERNALERROR (the results plugin's upload reset). */
const P_INTERNAL = 0.2;

export interface RunStats {
  sessions: number;
  tests: number;
  incidents: Record<Cause, number>;
  harmless: number;
}

export function newStats(): RunStats {
  const incidents = {} as Record<Cause, number>;
  for (const c of CAUSES) incidents[c] = 0;
  return { sessions: 0, tests: 0, incidents, harmless: 0 };
}

/**
 * One `pytest -v --tb=short` run in its own CI step: progress lines as tests finish, then the
 * FAILURES section, the short summary and the result line. `maxTests` keeps the output near the
 * requested size. `failing`: false for a run where no test fails and nothing aborts it (the
 * harmless retries and dropped idle connections stay).
 */
export function runSession(w: World, stats: RunStats, maxTests: number, failing = true): void {
  const r = w.rng;
  const total = Math.max(1, Math.min(r.range(800, 3000), maxTests));
  const start = w.t;
  w.pytestBlock([...stepHeader(), ...sessionHeader(total)]);
  const internalAt = failing && r.chance(P_INTERNAL) ? r.int(total) : -1;
  const failures: Failure[] = [];
  let passed = 0;
  let internal: string[] | null = null;
  for (let i = 0; i < total; i++) {
    w.wait(0.5, 3);
    let nodeid: string;
    let failed = false;
    if (failing && r.chance(P_INCIDENT)) {
      const cause = r.pick(CAUSES);
      const f = PLAYS[cause](w);
      stats.incidents[cause]++;
      failures.push(f);
      nodeid = f.nodeid;
      failed = true;
    } else if (r.chance(P_HARMLESS)) {
      nodeid = harmlessRetry(w);
      stats.harmless++;
    } else if (r.chance(P_IDLE)) {
      nodeid = droppedIdle(w);
      stats.harmless++;
    } else {
      const test = ordinaryTest(w);
      runOrdinary(w, test);
      nodeid = test.nodeid;
    }
    w.wait(0.1, 0.5);
    w.pytestLine(progressLine(nodeid, failed ? 'FAILED' : 'PASSED', i + 1, total));
    stats.tests++;
    if (!failed) passed++;
    if (i === internalAt) {
      internal = resultsUploadReset(w);
      stats.incidents['proxy/middlebox-reset']++;
      break;
    }
  }
  stats.sessions++;
  w.wait(1, 5);
  w.pytestBlock(report(failures, passed, internal, w.t - start));
}

/** The results plugin opens its own connection after the test's report; a middlebox resets it. */
function resultsUploadReset(w: World): string[] {
  open(w);
  w.wait(0.5, 3);
  return pythonTraceback(internalErrorChain()).map((l) => `INTERNALERROR> ${l}`);
}

function report(failures: readonly Failure[], passed: number, internal: string[] | null, ms: number): string[] {
  const out: string[] = [];
  if (internal) out.push(...internal);
  out.push('');
  if (failures.length > 0) {
    out.push(sep('=', 'FAILURES'));
    for (const f of failures) {
      out.push(sep('_', f.name), ...pytestShort(f.sections));
      if (f.captured.length > 0) out.push(sep('-', 'Captured log call'), ...f.captured);
    }
    out.push(sep('=', 'short test summary info'));
    for (const f of failures) out.push(`FAILED ${f.nodeid} - ${finalException(f.sections)}`);
  }
  const counts = failures.length > 0 ? `${failures.length} failed, ${passed} passed` : `${passed} passed`;
  out.push(sep('=', `${counts} in ${duration(ms)}`));
  return out;
}
