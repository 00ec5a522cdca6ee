/**
 * Clocks first: the far side's clock samples are read from the heads of its files before the far
 * side itself, so that the incidents can be put on the one timeline and built first, and the far
 * side keep only what they can join. The estimate uses the first TRAFFIC_SAMPLE_CAP requests of a
 * clock group anyway; a head holds them.
 */
import { EvidenceCollector } from '../correlate/collect.js';
import type { LogFile } from '../discover/discover.js';
import type { RunFormats } from '../parse/formats.js';
import { scanFile } from './scan.js';
import { clockGroup } from '../time/clock-group.js';

/** A file that logged no request in this many lines logs none (an error log): it is not read further. */
const NO_REQUEST_LINES = 10_000;
/** No probe reads further than this into a file. */
const PROBE_MAX_LINES = 1_000_000;

/** Reads the far side's heads (problems are the full read's to report): a collector holding their clock samples. */
export async function probeClocks(files: readonly LogFile[], formats: RunFormats): Promise<EvidenceCollector> {
  const probe = new EvidenceCollector(formats.sides);
  const fast = probe.fastPaths();
  for (const file of files) {
    if (!file.format) continue;
    const group = clockGroup(file.format.source);
    const before = probe.sampleSize(group);
    const stop = (lines: number) => probe.sampleFull(group) || (lines >= NO_REQUEST_LINES && probe.sampleSize(group) === before) || lines >= PROBE_MAX_LINES;
    await scanFile(file, { onEvent: (event) => probe.add(event), onProblem: () => {}, fast, formats: formats.list, part: { stop } });
  }
  return probe;
}
