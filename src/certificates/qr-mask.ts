/**
 * Choosing a QR code's mask. The mask is one of eight patterns XORed over the data modules so the
 * symbol has no large blank areas or finder look-alikes; the encoder scores all eight (ISO/IEC
 * 18004 §7.8.3) and keeps the lowest. The qrcode package scores them with a method call per
 * module, which takes longer than all the rest of a certificate, so we score them here on bit
 * sets, 32 modules to an operation, by exactly the package's rules: the symbol is the one the
 * package would make (the tests compare them), several times faster.
 */

const patterns: ((i: number, j: number) => boolean)[] = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i * j) % 3) + ((i + j) % 2)) % 2 === 0,
];

const maskCache = new Map<number, Uint8Array[]>();

/**
 * The eight masks as module arrays (1 where the mask flips a data module), made once per symbol
 * size: every symbol of a version reserves the same modules (finders, timing, format, version).
 */
function maskModules(size: number, reserved: Uint8Array): Uint8Array[] {
  let masks = maskCache.get(size);
  if (!masks) {
    masks = patterns.map((at) => {
      const mask = new Uint8Array(size * size);
      for (let row = 0; row < size; row++) {
        for (let col = 0; col < size; col++) {
          const i = row * size + col;
          if (!reserved[i] && at(row, col)) mask[i] = 1;
        }
      }
      return mask;
    });
    maskCache.set(size, masks);
  }
  return masks;
}

/** The 15 format bits for level M with `mask`: BCH(15,5) over 00 + mask, XOR 0x5412. */
function formatBits(mask: number): number {
  let d = mask << 10; // level M's two bits are 00
  const generator = 0x537;
  const bitLength = (v: number) => 32 - Math.clz32(v);
  while (bitLength(d) >= bitLength(generator)) d ^= generator << (bitLength(d) - bitLength(generator));
  return ((mask << 10) | d) ^ 0x5412;
}

/** Where the format bits go (the qrcode package's order): [row, col] pairs, bit i at 2i and 2i+1. */
function formatPlaces(size: number): [number, number][] {
  const places: [number, number][] = [];
  for (let i = 0; i < 15; i++) {
    places.push(i < 6 ? [i, 8] : i < 8 ? [i + 1, 8] : [size - 15 + i, 8]);
    places.push(i < 8 ? [8, size - i - 1] : i < 9 ? [8, 15 - i] : [8, 14 - i]);
  }
  return places;
}

/**
 * The symbol with the best mask, given the qrcode package's symbol made with mask 0 (`modules`)
 * and its reserved modules: unmask, try the eight, keep the lowest penalty (the first on a tie).
 */
export function withBestMask(modules: Uint8Array, reserved: Uint8Array, size: number): Uint8Array {
  const masks = maskModules(size, reserved);
  const unmasked = modules.slice();
  for (let i = 0; i < unmasked.length; i++) unmasked[i]! ^= masks[0]![i]!;
  const places = formatPlaces(size);
  const data = BitLines.of(unmasked, size);
  const maskBits = maskLines(size, reserved);
  const rows = new BitLines(size);
  const cols = new BitLines(size);
  let best = 0;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 8; mask++) {
    rows.xorOf(data.rows, maskBits[mask]!.rows);
    cols.xorOf(data.cols, maskBits[mask]!.cols);
    const bits = formatBits(mask);
    places.forEach(([row, col], k) => {
      const bit = (bits >> (k >> 1)) & 1;
      rows.put(row, col, bit);
      cols.put(col, row, bit);
    });
    rows.put(size - 8, 8, 1);
    cols.put(8, size - 8, 1);
    const score = penalty(rows, cols, size);
    if (score < bestScore) {
      bestScore = score;
      best = mask;
    }
  }
  const out = unmasked;
  const m = masks[best]!;
  for (let i = 0; i < out.length; i++) out[i]! ^= m[i]!;
  const bits = formatBits(best);
  places.forEach(([row, col], k) => void (out[row * size + col] = (bits >> (k >> 1)) & 1));
  out[(size - 8) * size + 8] = 1;
  return out;
}

const maskLineCache = new Map<number, { rows: BitLines; cols: BitLines }[]>();

function maskLines(size: number, reserved: Uint8Array): { rows: BitLines; cols: BitLines }[] {
  let lines = maskLineCache.get(size);
  if (!lines) {
    lines = maskModules(size, reserved).map((mask) => BitLines.of(mask, size));
    maskLineCache.set(size, lines);
  }
  return lines;
}

/** The lines (rows, or columns) of a symbol as bit sets: bit j of a line is module j. */
class BitLines {
  readonly words: number;
  readonly bits: Uint32Array;
  constructor(readonly size: number) {
    this.words = (size + 31) >> 5;
    this.bits = new Uint32Array(size * this.words);
  }
  /** A symbol's rows and columns as bit sets. */
  static of(modules: Uint8Array, size: number): { rows: BitLines; cols: BitLines } {
    const rows = new BitLines(size);
    const cols = new BitLines(size);
    for (let row = 0, i = 0; row < size; row++) {
      for (let col = 0; col < size; col++, i++) {
        if (modules[i]) {
          rows.set(row, col);
          cols.set(col, row);
        }
      }
    }
    return { rows, cols };
  }
  xorOf(a: BitLines, b: BitLines): void {
    for (let i = 0; i < this.bits.length; i++) this.bits[i] = a.bits[i]! ^ b.bits[i]!;
  }
  set(line: number, j: number): void {
    this.bits[line * this.words + (j >> 5)]! |= 1 << (j & 31);
  }
  put(line: number, j: number, bit: number): void {
    const w = line * this.words + (j >> 5);
    if (bit) this.bits[w]! |= 1 << (j & 31);
    else this.bits[w]! &= ~(1 << (j & 31));
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Word w of a line shifted right by k (bit j of the result is bit j + k of the line). */
function shifted(bits: Uint32Array, start: number, words: number, w: number, k: number): number {
  if (k === 0) return bits[start + w]!;
  const high = w + 1 < words ? bits[start + w + 1]! << (32 - k) : 0;
  return ((bits[start + w]! >>> k) | high) >>> 0;
}

/** The low `n` bits of word w set (positions 0 … n-1 of a line). */
function firstBits(w: number, n: number): number {
  const from = w * 32;
  if (n <= from) return 0;
  if (n >= from + 32) return 0xffffffff;
  return ((1 << (n - from)) - 1) >>> 0;
}

/** The 1:1:3:1:1 finder look-alike with four light modules after or before it, first module first. */
const finderLike = [
  [1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0],
  [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1],
];

/**
 * The package's score: N1, runs of 5+ equal modules in a line (3 + each extra); N2, 2×2 blocks of
 * one colour (3 each); N3, finder look-alikes in a line (40 each); N4, 10 per 5 % away from half
 * dark (rounded as the package rounds).
 */
function penalty(rows: BitLines, cols: BitLines, size: number): number {
  const words = rows.words;
  let points = 0;
  let dark = 0;
  const equalNext = new Uint32Array(words);
  const previousEqualNext = new Uint32Array(words);
  const window = new Uint32Array(11);
  for (const lines of [rows, cols]) {
    const { bits } = lines;
    for (let line = 0; line < size; line++) {
      const start = line * words;
      // equalNext bit j: module j equals module j+1
      for (let w = 0; w < words; w++) {
        equalNext[w] = ~(bits[start + w]! ^ shifted(bits, start, words, w, 1)) & firstBits(w, size - 1);
      }
      for (let w = 0; w < words; w++) {
        const word = bits[start + w]!;
        if (lines === rows) dark += popcount(word);
        // five equal in a row from j; a run starts at j when j-1 does not equal j
        const five = equalNext[w]! & shifted(equalNext, 0, words, w, 1) & shifted(equalNext, 0, words, w, 2) & shifted(equalNext, 0, words, w, 3);
        const carry = w > 0 ? equalNext[w - 1]! >>> 31 : 0;
        const startsRun = five & ~((equalNext[w]! << 1) | carry);
        points += popcount(five) + 2 * popcount(startsRun);
        // The line seen from 11 offsets, shared by both finder look-alikes.
        for (let k = 0; k < 11; k++) window[k] = shifted(bits, start, words, w, k);
        for (const pattern of finderLike) {
          let match = firstBits(w, size - 10);
          for (let k = 0; k < 11 && match; k++) match &= pattern[k] ? window[k]! : ~window[k]!;
          points += 40 * popcount(match >>> 0);
        }
        if (lines === rows && line > 0) {
          const same = ~(word ^ bits[start - words + w]!);
          points += 3 * popcount(equalNext[w]! & previousEqualNext[w]! & same);
        }
      }
      if (lines === rows) previousEqualNext.set(equalNext);
    }
  }
  return points + Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10) * 10;
}
