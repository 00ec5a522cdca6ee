import type { EvidenceItem } from './incident-record.js';
import { escapeControls } from './output.js';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Log text as HTML text or attribute value: markup characters as entities, control characters and
 * bidirectional overrides as visible `\xHH` (a log line must neither make markup nor reorder the page).
 */
export function escapeHtml(text: string): string {
  return escapeControls(text, false).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** "+0.574 s", "−0.426 s", "0 s": the sign always shown (a minus sign, not a hyphen). */
export function signedSeconds(seconds: number): string {
  if (seconds === 0) return '0 s';
  return `${seconds > 0 ? '+' : '−'}${Math.abs(seconds)} s`;
}

/** A line of evidence in words: what the mark and its row say to a screen reader. */
export function evidenceLabel(item: EvidenceItem): string {
  const { event, join } = item;
  const when = item.dt === null ? 'no time' : signedSeconds(item.dt);
  const tie = join === undefined ? "the failure's own record" : `${join.link}: ${join.tie}`;
  return `${event.source} ${event.kind}, ${when}, ${tie}, ${event.file}:${event.line}${item.decisive ? ' — decided the verdict' : ''}`;
}
