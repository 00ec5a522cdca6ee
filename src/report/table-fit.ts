/** Fitting text into terminal columns: cut in the middle, columns shrunk widest first. */

/** The text in at most `width` characters, its middle replaced by `…` (both ends are what people recognise: a test's file and name). */
export function cutMiddle(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, width).join('');
  const head = Math.ceil((width - 1) / 2);
  const tail = width - 1 - head;
  return chars.slice(0, head).join('') + '…' + (tail > 0 ? chars.slice(chars.length - tail).join('') : '');
}

export function textWidth(text: string): number {
  return [...text].length;
}

/**
 * Widths for columns whose natural widths overflow `room`: the widest is cut down first, to the
 * next widest, and so on, never below `min` (the caller drops columns when even that overflows).
 */
export function shrinkWidest(natural: readonly number[], room: number, min: number): number[] {
  const widths = [...natural];
  let excess = widths.reduce((a, b) => a + b, 0) - room;
  while (excess > 0) {
    const widest = Math.max(...widths);
    if (widest <= min) break;
    const next = Math.max(min, ...widths.filter((w) => w < widest));
    const atWidest = widths.filter((w) => w === widest).length;
    // Take from every column at the widest width, down to the next width at most.
    const take = Math.min(widest - next, Math.ceil(excess / atWidest));
    for (let i = 0; i < widths.length && excess > 0; i++) {
      if (widths[i] === widest) {
        const cut = Math.min(take, excess);
        widths[i] -= cut;
        excess -= cut;
      }
    }
  }
  return widths;
}
