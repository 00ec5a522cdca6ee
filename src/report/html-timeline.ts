import type { SourceSides } from '../model/event.js';
import { LANE_NAMES, LANES, laneOf, type Lane } from './lane.js';
import type { EvidenceItem } from './incident-record.js';
import { escapeHtml, evidenceLabel, signedSeconds } from './html-text.js';

/** Marks closer than this (% of the track) go on separate rows of their lane, so none hides another. */
const MIN_GAP_PERCENT = 4;
/** Rows a lane grows to at most; past that, marks share the last row. */
const MAX_ROWS = 6;
/** How many ticks the axis aims for. */
const TICKS = 6;

interface Scale {
  lo: number;
  hi: number;
  step: number;
}

/** The axis: every timed line and the failure (0) inside it, with a little room either side. */
function scaleOf(dts: readonly number[]): Scale {
  let lo = Math.min(0, ...dts);
  let hi = Math.max(0, ...dts);
  if (hi - lo < 0.002) [lo, hi] = [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.06;
  lo -= pad;
  hi += pad;
  return { lo, hi, step: tickStep((hi - lo) / TICKS) };
}

/** The round step (1, 2 or 5 times a power of ten) nearest above `rough`. */
function tickStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough) ?? 10 * power;
}

function percentAt(scale: Scale, dt: number): number {
  return ((dt - scale.lo) / (scale.hi - scale.lo)) * 100;
}

/** `left` as CSS: fixed digits, so the same report is the same bytes. */
function left(percent: number): string {
  return `left:${percent.toFixed(2)}%`;
}

/** The evidence's index in its incident, for the anchor of its row (`I3-e2`). */
export function rowId(incidentId: string, index: number): string {
  return `${incidentId}-e${index + 1}`;
}

/** What a deciding mark's label takes to its right (% of the track). */
const LABEL_PERCENT = 16;

/** Each timed mark's row within its lane: the first row whose last mark (and label) ends far enough to the left. */
function rowsOf(marks: ReadonlyArray<{ percent: number; labelled: boolean }>): number[] {
  const endOfRow: number[] = [];
  return marks.map(({ percent, labelled }) => {
    let row = endOfRow.findIndex((end) => percent - end >= MIN_GAP_PERCENT);
    if (row < 0) row = endOfRow.length < MAX_ROWS ? endOfRow.length : MAX_ROWS - 1;
    endOfRow[row] = percent + (labelled ? LABEL_PERCENT : 0);
    return row;
  });
}

/** A mark on a lane: a link to the evidence row, with the line's words for a reader without sight of the picture. */
function mark(incidentId: string, item: EvidenceItem, index: number, style: string): string {
  const classes = ['mark', item.join === undefined ? 'own' : item.join.link === 'time' ? 'time-only' : 'tied', item.decisive ? 'decisive' : ''].filter((c) => c !== '').join(' ');
  const label = evidenceLabel(item);
  return `<a class="${classes}" href="#${rowId(incidentId, index)}" style="${style}" title="${escapeHtml(label)}" aria-label="${escapeHtml(label)}"><span aria-hidden="true">${item.decisive ? '◆' : item.join === undefined ? '●' : '■'}</span>${item.decisive ? `<span class="label" aria-hidden="true">${escapeHtml(`${item.event.source} ${item.event.kind}`)}</span>` : ''}</a>`;
}

/**
 * The incident's timeline: one lane per place a line was written, each line a mark at its Δt from
 * the failure (the red rule at 0), the deciding one highlighted; lines with no time listed at the
 * lane's end. Plain HTML and CSS: it reads without JavaScript, and each mark is a link (Tab).
 */
export function timelineHtml(incidentId: string, items: readonly EvidenceItem[], present: ReadonlySet<Lane>, sides: SourceSides): string {
  const timed = items.map((item, index) => ({ item, index })).filter(({ item }) => item.dt !== null);
  const scale = scaleOf(timed.map(({ item }) => item.dt!));
  const out: string[] = [`<figure class="timeline" aria-label="Timeline of ${escapeHtml(incidentId)}: each line of evidence at its time from the failure">`];
  out.push('<div class="lane axis" aria-hidden="true"><div class="lane-name">Δt from the failure</div><div class="track">');
  const first = Math.ceil(scale.lo / scale.step);
  for (let k = first; k * scale.step <= scale.hi; k++) {
    const dt = k * scale.step;
    out.push(`<span class="tick" style="${left(percentAt(scale, dt))}">${escapeHtml(signedSeconds(Math.round(dt * 1000) / 1000))}</span>`);
  }
  out.push('</div><div class="untimed">no time</div></div>');
  for (const lane of LANES) {
    const own = timed.filter(({ item }) => laneOf(item.event.source, sides) === lane).sort((a, b) => a.item.dt! - b.item.dt! || a.index - b.index);
    const untimed = items.map((item, index) => ({ item, index })).filter(({ item }) => item.dt === null && laneOf(item.event.source, sides) === lane);
    const percents = own.map(({ item }) => percentAt(scale, item.dt!));
    const rows = rowsOf(own.map(({ item }, k) => ({ percent: percents[k]!, labelled: item.decisive })));
    const height = Math.max(1, ...rows.map((row) => row + 1));
    const empty = own.length + untimed.length === 0 ? `<span class="empty">${present.has(lane) ? 'nothing within the window' : 'no log in the directory'}</span>` : '';
    out.push(`<div class="lane" data-lane="${lane}" style="--rows:${height}"><div class="lane-name">${escapeHtml(LANE_NAMES[lane])}</div>`);
    out.push(`<div class="track"><span class="failure" style="${left(percentAt(scale, 0))}" aria-hidden="true"></span>${empty}`);
    own.forEach(({ item, index }, k) => out.push(mark(incidentId, item, index, `${left(percents[k]!)};--row:${rows[k]}`)));
    out.push('</div><div class="untimed">');
    for (const { item, index } of untimed) out.push(mark(incidentId, item, index, ''));
    out.push('</div></div>');
  }
  out.push('</figure>');
  return out.join('');
}
