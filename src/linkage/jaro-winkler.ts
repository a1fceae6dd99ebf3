/**
 * Jaro–Winkler similarity (Winkler 1990, "String comparator metrics and enhanced decision rules in
 * the Fellegi–Sunter model of record linkage"): 1 for equal strings, 0 for strings with nothing in
 * common. Scoring calls it for millions of pairs of short names, so it allocates nothing: the
 * "matched" marks live in scratch arrays kept between calls (grown when a longer name comes; a call
 * never yields, so nothing else uses them meanwhile). A position is matched when its mark equals
 * the current call's stamp, so nothing needs clearing between calls. Strings are compared by UTF-16
 * code unit, which is exact for the Latin match forms scoring feeds it.
 */

let matchedA = new Uint32Array(64);
let matchedB = new Uint32Array(64);
let stamp = 0;

/** Winkler's prefix scale and the longest common prefix that earns the boost. */
const prefixScale = 0.1;
const maxPrefix = 4;
/** Winkler boosts only strings that already look alike (the threshold of his 1990 paper). */
const boostThreshold = 0.7;

/**
 * The similarity of a and b, symmetric. `floor`: the caller only needs to know whether the result
 * reaches it (a comparison level's threshold); when it cannot, the work stops early and some value
 * below `floor` is returned. Without it, the exact value.
 */
export function jaroWinkler(a: string, b: string, floor = 0): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  // The greedy matching below can count differently depending on which string leads; comparing
  // in one fixed order makes jaroWinkler(a, b) === jaroWinkler(b, a) exactly.
  if (a > b) {
    const t = a;
    a = b;
    b = t;
  }
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;

  const limit = Math.min(maxPrefix, la, lb);
  let prefix = 0;
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  // The fewest matches that can still reach `floor`: with m matches and no transpositions, Jaro is
  // at most (m/la + m/lb + 1)/3, and the prefix boost lifts it to j + boost·(1 − j).
  const boost = prefix * prefixScale;
  const jaroNeeded = floor > 0 ? (floor - boost) / (1 - boost) : 0;
  // (less a hair, so that rounding never cuts a pair that reaches floor exactly)
  const matchesNeeded = jaroNeeded > 0 ? ((3 * jaroNeeded - 1) * la * lb) / (la + lb) - 1e-9 : 0;

  if (la < matchesNeeded || lb < matchesNeeded) return 0;
  if (la > matchedA.length) matchedA = new Uint32Array(la * 2);
  if (lb > matchedB.length) matchedB = new Uint32Array(lb * 2);
  if (stamp === 0xffffffff) {
    matchedA.fill(0);
    matchedB.fill(0);
    stamp = 0;
  }
  const mark = ++stamp;
  const fa = matchedA;
  const fb = matchedB;

  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    // Even if every remaining character matched, too few: give up (the result is below floor).
    if (matches + (la - i) < matchesNeeded) return 0;
    const c = a.charCodeAt(i);
    const from = i > window ? i - window : 0;
    const to = i + window < lb ? i + window : lb - 1;
    for (let j = from; j <= to; j++) {
      if (fb[j] !== mark && b.charCodeAt(j) === c) {
        fa[i] = mark;
        fb[j] = mark;
        matches++;
        break;
      }
    }
  }
  if (matches === 0 || matches < matchesNeeded) return 0;

  // Matched characters out of order, counted once per side (so halved below).
  let halfTranspositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (fa[i] !== mark) continue;
    while (fb[k] !== mark) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) halfTranspositions++;
    k++;
  }
  const jaro = (matches / la + matches / lb + (matches - halfTranspositions / 2) / matches) / 3;
  if (jaro <= boostThreshold) return jaro;
  return jaro + boost * (1 - jaro);
}
