/**
 * Fitting a value into its box on the printed form: a certificate may not grow, so a long name
 * or place is shrunk, and when shrinking alone would make it too small to read, it is broken
 * into two smaller lines in the same box. Nothing is ever cut off. Pure: the width of a text comes
 * from `measure`.
 */
export type Measure = (text: string, size: number) => number;

export interface FittedText {
  size: number;
  /** each line with its baseline offset from the box's one-line baseline (positive is up) */
  lines: { text: string; dy: number }[];
}

export interface FitBox {
  width: number;
  /** the size the text is printed at when it fits */
  size: number;
  /** the height of the line box: two wrapped lines share it */
  lineHeight: number;
}

/** Below this, one line of shrunk text is harder to read than two lines. */
const smallestSingleLine = 6.5;

export function fitText(text: string, box: FitBox, measure: Measure): FittedText {
  const width = measure(text, box.size);
  if (width <= box.width) return { size: box.size, lines: [{ text, dy: 0 }] };
  const single = floorTo(box.size * (box.width / width));
  if (single >= smallestSingleLine || text.length < 2) return { size: single, lines: [{ text, dy: 0 }] };

  // Two lines, split where the longer of the two is shortest.
  const [first, second] = bestSplit(text, measure);
  // Both lines stay between the box's rule (3.5 pt under the baseline) and the rule of the line
  // above (a line height higher): descenders ≈ 0.24 em, capitals ≈ 0.76 em, leading 1.05 em.
  const tallest = floorTo((box.lineHeight - 0.5) / 2.1);
  const widest = Math.max(measure(first, 1), measure(second, 1));
  const size = Math.min(tallest, floorTo(box.width / widest));
  if (size <= single) return { size: single, lines: [{ text, dy: 0 }] };
  const lower = -3.2 + 0.24 * size;
  return {
    size,
    lines: [
      { text: first, dy: lower + 1.05 * size },
      { text: second, dy: lower },
    ],
  };
}

function bestSplit(text: string, measure: Measure): [string, string] {
  const chars = Array.from(text);
  // At a space, or after a hyphen (a double surname); inside a word only when there is neither.
  const breaks = chars.flatMap((ch, i) => (i > 0 && i < chars.length - 1 && (ch === ' ' || chars[i - 1] === '-') ? [i] : []));
  const cuts = breaks.length ? breaks : chars.map((_, i) => i).slice(1);
  let best: [string, string] = [text, ''];
  let bestWidth = Number.POSITIVE_INFINITY;
  for (const cut of cuts) {
    const first = chars.slice(0, cut).join('').trimEnd();
    const second = chars.slice(cut).join('').trimStart();
    const widest = Math.max(measure(first, 1), measure(second, 1));
    if (widest < bestWidth) {
      bestWidth = widest;
      best = [first, second];
    }
  }
  return best;
}

const floorTo = (size: number) => Math.floor(size * 20) / 20;
