import fontkit from '@pdf-lib/fontkit';

/**
 * A TrueType font cut down to a set of characters, keeping a character map.
 *
 * fontkit's subsetter (the one pdf-lib uses) writes only the tables a PDF viewer strictly needs
 * (glyf, loca, hmtx, head, hhea, maxp and the hinting programs) and drops `cmap`, so nothing can
 * tell afterwards which letters the embedded font holds. We let fontkit copy the glyphs (it
 * follows composite glyphs and renumbers them) and add back a Unicode `cmap`, `OS/2`, `post` and
 * a short `name`: the result is a standalone font any tool can inspect, so a test can check that
 * every Kazakh letter is really embedded.
 */
export interface FontSubset {
  /** The subset font file (TrueType). */
  bytes: Uint8Array;
  /** code point → glyph id in the subset */
  glyphIds: Map<number, number>;
  /** code point → advance width in 1/1000 em (PDF text space) */
  advances: Map<number, number>;
  /** glyph id → advance width in 1/1000 em, for the PDF /W array (index = glyph id) */
  glyphAdvances: number[];
  postscriptName: string;
  /** Font-wide metrics in 1/1000 em, for the PDF font descriptor. */
  metrics: {
    ascent: number;
    descent: number;
    capHeight: number;
    xHeight: number;
    italicAngle: number;
    bbox: [number, number, number, number];
    fixedPitch: boolean;
    italic: boolean;
  };
}

/** The code points of `characters` the font has no glyph for (fontkit maps those to glyph 0). */
export function missingCodePoints(font: fontkit.Font, codePoints: Iterable<number>): number[] {
  const missing: number[] = [];
  for (const cp of codePoints) if (!font.hasGlyphForCodePoint(cp)) missing.push(cp);
  return missing;
}

/** Subsets `font` to `codePoints` (each must be in the font: check with missingCodePoints first). */
export async function subsetFont(font: fontkit.Font, codePoints: Iterable<number>): Promise<FontSubset> {
  const scale = 1000 / font.unitsPerEm;
  const subset = font.createSubset();
  const glyphIds = new Map<number, number>();
  const advances = new Map<number, number>();
  // Sorted, so runs of consecutive letters get consecutive glyph ids and the cmap stays compact.
  for (const cp of [...new Set(codePoints)].sort((a, b) => a - b)) {
    const glyph = font.glyphForCodePoint(cp);
    glyphIds.set(cp, subset.includeGlyph(glyph.id));
    advances.set(cp, Math.round(glyph.advanceWidth * scale));
  }
  const glyphOnly = await encodeSubset(subset);
  const tables = readTables(glyphOnly);
  const original = readTables(fontBytesOf(font));
  const glyphCount = view(tables.get('maxp')!).getUint16(4);
  const glyphAdvances = readAdvances(tables, glyphCount, scale);

  const postscriptName = (font.postscriptName ?? font.familyName ?? 'Font').replace(/[^A-Za-z0-9-]/g, '');
  stripHinting(tables);
  tables.set('cmap', cmapTable(glyphIds));
  tables.set('post', postTable(original.get('post')!));
  const os2 = original.get('OS/2');
  if (os2) tables.set('OS/2', os2);
  tables.set('name', nameTable(font, postscriptName));

  const os2Font = font['OS/2'] as { capHeight?: number; xHeight?: number } | undefined;
  return {
    bytes: writeTables(tables),
    glyphIds,
    advances,
    glyphAdvances,
    postscriptName,
    metrics: {
      ascent: Math.round(font.ascent * scale),
      descent: Math.round(font.descent * scale),
      capHeight: Math.round((os2Font?.capHeight || font.capHeight || font.ascent) * scale),
      xHeight: Math.round((os2Font?.xHeight || font.xHeight || 0) * scale),
      italicAngle: font.italicAngle,
      bbox: [font.bbox.minX, font.bbox.minY, font.bbox.maxX, font.bbox.maxY].map((v) => Math.round(v * scale)) as [
        number,
        number,
        number,
        number,
      ],
      fixedPitch: Boolean(font.post.isFixedPitch),
      italic: font.italicAngle !== 0,
    },
  };
}

function encodeSubset(subset: fontkit.Subset): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const parts: Uint8Array[] = [];
    const stream = subset.encodeStream();
    stream.on('data', (data) => void parts.push(data));
    stream.on('end', () => resolve(concat(parts)));
  });
}

/** fontkit keeps the bytes it parsed; the type declarations just do not say so. */
function fontBytesOf(font: fontkit.Font): Uint8Array {
  const stream = (font as unknown as { stream: { buffer: Uint8Array } }).stream;
  return stream.buffer;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** The table directory of an sfnt file: tag → a copy of the table's bytes. */
export function readTables(font: Uint8Array): Map<string, Uint8Array> {
  const v = view(font);
  const count = v.getUint16(4);
  const tables = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const record = 12 + i * 16;
    const tag = String.fromCharCode(...font.subarray(record, record + 4));
    const offset = v.getUint32(record + 8);
    const length = v.getUint32(record + 12);
    tables.set(tag, font.slice(offset, offset + length));
  }
  return tables;
}

function readAdvances(tables: Map<string, Uint8Array>, glyphCount: number, scale: number): number[] {
  const metricsCount = view(tables.get('hhea')!).getUint16(34);
  const hmtx = view(tables.get('hmtx')!);
  const advances: number[] = [];
  for (let gid = 0; gid < glyphCount; gid++) {
    // Glyphs past numberOfHMetrics share the last advance (monospaced tails).
    const entry = Math.min(gid, metricsCount - 1);
    advances.push(Math.round(hmtx.getUint16(entry * 4) * scale));
  }
  return advances;
}

function checksum(bytes: Uint8Array): number {
  const padded = new Uint8Array((bytes.length + 3) & ~3);
  padded.set(bytes);
  const v = view(padded);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + v.getUint32(i)) >>> 0;
  return sum;
}

/** Writes an sfnt file (TrueType outlines) from its tables, with checksums and head's adjustment. */
export function writeTables(tables: Map<string, Uint8Array>): Uint8Array {
  const tags = [...tables.keys()].sort();
  const headerSize = 12 + tags.length * 16;
  let size = headerSize;
  for (const tag of tags) size += (tables.get(tag)!.length + 3) & ~3;
  const out = new Uint8Array(size);
  const v = view(out);
  const entrySelector = Math.floor(Math.log2(tags.length));
  v.setUint32(0, 0x00010000);
  v.setUint16(4, tags.length);
  v.setUint16(6, 16 * 2 ** entrySelector);
  v.setUint16(8, entrySelector);
  v.setUint16(10, tags.length * 16 - 16 * 2 ** entrySelector);
  let offset = headerSize;
  let headOffset = -1;
  tags.forEach((tag, i) => {
    const table = tables.get(tag)!;
    if (tag === 'head') {
      headOffset = offset;
      view(table).setUint32(8, 0); // checkSumAdjustment is computed over the font with it zeroed
    }
    const record = 12 + i * 16;
    for (let c = 0; c < 4; c++) out[record + c] = tag.charCodeAt(c);
    v.setUint32(record + 4, checksum(table));
    v.setUint32(record + 8, offset);
    v.setUint32(record + 12, table.length);
    out.set(table, offset);
    offset += (table.length + 3) & ~3;
  });
  if (headOffset >= 0) v.setUint32(headOffset + 8, (0xb1b0afba - checksum(out)) >>> 0);
  return out;
}

/**
 * A cmap with one format 4 subtable (Unicode BMP), referenced as Unicode (0/3) and Windows (3/1).
 * Segments are runs of consecutive code points whose glyph ids are consecutive too (one idDelta).
 */
export function cmapTable(glyphIds: Map<number, number>): Uint8Array {
  const pairs = [...glyphIds].filter(([cp]) => cp <= 0xfffe).sort((a, b) => a[0] - b[0]);
  const segments: { start: number; end: number; delta: number }[] = [];
  for (const [cp, gid] of pairs) {
    const last = segments.at(-1);
    if (last && cp === last.end + 1 && gid - cp === last.delta) last.end = cp;
    else segments.push({ start: cp, end: cp, delta: gid - cp });
  }
  segments.push({ start: 0xffff, end: 0xffff, delta: 1 }); // the required last segment
  const n = segments.length;
  const subtableLength = 16 + n * 8;
  const out = new Uint8Array(4 + 2 * 8 + subtableLength);
  const v = view(out);
  v.setUint16(0, 0); // version
  v.setUint16(2, 2); // two encoding records
  v.setUint16(4, 0); // Unicode
  v.setUint16(6, 3); // Unicode BMP
  v.setUint32(8, 20);
  v.setUint16(12, 3); // Windows
  v.setUint16(14, 1); // Unicode BMP
  v.setUint32(16, 20);
  const s = 20;
  const entrySelector = Math.floor(Math.log2(n));
  const searchRange = 2 * 2 ** entrySelector;
  v.setUint16(s, 4);
  v.setUint16(s + 2, subtableLength);
  v.setUint16(s + 4, 0); // language
  v.setUint16(s + 6, n * 2);
  v.setUint16(s + 8, searchRange);
  v.setUint16(s + 10, entrySelector);
  v.setUint16(s + 12, n * 2 - searchRange);
  const ends = s + 14;
  const starts = ends + n * 2 + 2; // after the reserved pad
  const deltas = starts + n * 2;
  const rangeOffsets = deltas + n * 2;
  segments.forEach((seg, i) => {
    v.setUint16(ends + i * 2, seg.end);
    v.setUint16(starts + i * 2, seg.start);
    v.setUint16(deltas + i * 2, seg.delta & 0xffff);
    v.setUint16(rangeOffsets + i * 2, 0);
  });
  return out;
}

/**
 * Drops the TrueType hinting: the glyph programs (almost half of DejaVu's glyph bytes) and the
 * tables they call. Hints snap outlines to a screen's pixel grid; a certificate is printed at 300
 * dpi or more, where they change nothing, and PDF viewers mostly hint by themselves.
 */
function stripHinting(tables: Map<string, Uint8Array>): void {
  const head = tables.get('head')!;
  const loca = view(tables.get('loca')!);
  const glyf = tables.get('glyf')!;
  const g = view(glyf);
  const longOffsets = view(head).getInt16(50) === 1;
  const count = loca.byteLength / (longOffsets ? 4 : 2) - 1;
  const offsetAt = (i: number) => (longOffsets ? loca.getUint32(i * 4) : loca.getUint16(i * 2) * 2);
  const glyphs: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const start = offsetAt(i);
    const end = offsetAt(i + 1);
    if (end <= start) {
      glyphs.push(new Uint8Array(0));
      continue;
    }
    const contours = g.getInt16(start);
    if (contours >= 0) {
      const lengthAt = start + 10 + contours * 2;
      const instructions = g.getUint16(lengthAt);
      const out = new Uint8Array(end - start - instructions);
      out.set(glyf.subarray(start, lengthAt + 2));
      view(out).setUint16(lengthAt - start, 0);
      out.set(glyf.subarray(lengthAt + 2 + instructions, end), lengthAt + 2 - start);
      glyphs.push(out);
    } else {
      // A composite glyph: walk its components; the last one says whether instructions follow.
      let at = start + 10;
      let flags = 0;
      do {
        flags = g.getUint16(at);
        at += 4 + (flags & 0x1 ? 4 : 2);
        if (flags & 0x8) at += 2;
        else if (flags & 0x40) at += 4;
        else if (flags & 0x80) at += 8;
      } while (flags & 0x20);
      const out = glyf.slice(start, at);
      if (flags & 0x100) view(out).setUint16(at - start - (lastComponentLength(flags)), flags & ~0x100);
      glyphs.push(out);
    }
  }
  const offsets = new Uint8Array((count + 1) * 4);
  let size = 0;
  glyphs.forEach((glyph, i) => {
    view(offsets).setUint32(i * 4, size);
    size += (glyph.length + 3) & ~3;
  });
  view(offsets).setUint32(count * 4, size);
  const newGlyf = new Uint8Array(size);
  glyphs.forEach((glyph, i) => newGlyf.set(glyph, view(offsets).getUint32(i * 4)));
  view(head).setInt16(50, 1);
  tables.set('loca', offsets);
  tables.set('glyf', newGlyf);
  for (const tag of ['fpgm', 'prep', 'cvt ']) tables.delete(tag);
}

/** The byte length of a composite glyph's component record with these flags. */
function lastComponentLength(flags: number): number {
  return 4 + (flags & 0x1 ? 4 : 2) + (flags & 0x8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
}

/** post format 3: the metrics of the original table and no glyph names (PDF has no use for them). */
function postTable(original: Uint8Array): Uint8Array {
  const out = original.slice(0, 32);
  view(out).setUint32(0, 0x00030000);
  return out;
}

/** A name table with the copyright, family, style, full and PostScript names (Windows, UTF-16BE). */
function nameTable(font: fontkit.Font, postscriptName: string): Uint8Array {
  const style = font.subfamilyName || 'Book';
  const entries: [number, string][] = [
    [0, font.copyright || ''],
    [1, font.familyName ?? postscriptName],
    [2, style],
    [4, font.fullName || `${font.familyName} ${style}`],
    [6, postscriptName],
  ];
  const strings = entries.map(([, text]) => {
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) view(bytes).setUint16(i * 2, text.charCodeAt(i));
    return bytes;
  });
  const storageOffset = 6 + entries.length * 12;
  const out = new Uint8Array(storageOffset + strings.reduce((n, s) => n + s.length, 0));
  const v = view(out);
  v.setUint16(0, 0);
  v.setUint16(2, entries.length);
  v.setUint16(4, storageOffset);
  let at = 0;
  entries.forEach(([nameId], i) => {
    const r = 6 + i * 12;
    v.setUint16(r, 3); // Windows
    v.setUint16(r + 2, 1); // Unicode BMP
    v.setUint16(r + 4, 0x409); // en-US
    v.setUint16(r + 6, nameId);
    v.setUint16(r + 8, strings[i]!.length);
    v.setUint16(r + 10, at);
    out.set(strings[i]!, storageOffset + at);
    at += strings[i]!.length;
  });
  return out;
}
