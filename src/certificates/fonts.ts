import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { PDFArray, type PDFContext, PDFNumber, PDFRawStream, type PDFRef, PDFString } from 'pdf-lib';
import { type FontSubset, missingCodePoints, subsetFont } from './font-subset.ts';

/**
 * The certificate fonts: DejaVu Sans and DejaVu Sans Bold (every Kazakh letter) from the
 * dejavu-fonts-ttf package, cut down once per process to the pack's alphabet. pdf-lib's own
 * `embedFont(…, { subset: true })` subsets again for every document, which costs far more than the
 * rest of a certificate; here each document only registers the ready, compressed font file.
 */
export interface PreparedFont {
  /** the PDF name of the embedded font: a subset tag and the PostScript name (ABCDEF+DejaVuSans) */
  baseFont: string;
  subset: FontSubset;
  /** the width of `text` at `size` points, in points (no kerning: the PDF draws none either) */
  widthOf(text: string, size: number): number;
  /** `text` as the 2-byte glyph ids of the subset, in hex, for a `<…> Tj` operator */
  encode(text: string): string;
  /** the compressed font file and ToUnicode map, made once and added to every document */
  fontFile: Uint8Array;
  toUnicode: Uint8Array;
  /** each glyph's advance as a PDF number, made once: a document only lists them in its /W array */
  widths: PDFNumber[];
}

export interface CertificateFonts {
  regular: PreparedFont;
  bold: PreparedFont;
  /** the characters both fonts hold */
  characters: Set<number>;
}

const require = createRequire(import.meta.url);
const fontFiles = {
  regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
} as const;

let dejavu: { regular: fontkit.Font; bold: fontkit.Font } | undefined;

/** The full DejaVu fonts, parsed once (about 20 ms each); only subsets are ever embedded. */
function fullFonts(): { regular: fontkit.Font; bold: fontkit.Font } {
  dejavu ??= {
    regular: fontkit.create(fs.readFileSync(require.resolve(fontFiles.regular))),
    bold: fontkit.create(fs.readFileSync(require.resolve(fontFiles.bold))),
  };
  return dejavu;
}

/**
 * Scripts written right to left, whose letters join: DejaVu has some of their glyphs, but the
 * renderer draws glyphs one after another, left to right, so such a name would print wrong.
 */
const rightToLeft = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;

/**
 * The characters of `text` the certificate fonts cannot print: those neither DejaVu font has (a
 * name in a script DejaVu lacks), and those of right-to-left scripts.
 */
export function unprintableCharacters(text: string): string[] {
  const { regular, bold } = fullFonts();
  const codePoints = [...new Set(Array.from(text, (ch) => ch.codePointAt(0)!))];
  const missing = new Set([...missingCodePoints(regular, codePoints), ...missingCodePoints(bold, codePoints)]);
  for (const cp of codePoints) if (rightToLeft.test(String.fromCodePoint(cp))) missing.add(cp);
  return [...missing].map((cp) => String.fromCodePoint(cp));
}

const cache = new Map<string, Promise<CertificateFonts>>();
/** Alphabets beyond the pack's (a foreign name's letters) are rare; keep only the latest few. */
const cacheLimit = 16;

/**
 * The fonts cut down to `characters` (each must be printable: see unprintableCharacters), built
 * once per distinct alphabet and kept for the life of the process.
 */
export function certificateFonts(characters: string): Promise<CertificateFonts> {
  const codePoints = [...new Set(Array.from(characters, (ch) => ch.codePointAt(0)!))].sort((a, b) => a - b);
  const key = String.fromCodePoint(...codePoints);
  let fonts = cache.get(key);
  if (!fonts) {
    fonts = buildFonts(codePoints);
    // A failed build is not kept: the next call tries again.
    fonts.catch(() => cache.delete(key));
    if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value!);
    cache.set(key, fonts);
  }
  return fonts;
}

async function buildFonts(wanted: number[]): Promise<CertificateFonts> {
  const { regular, bold } = fullFonts();
  // A character either font lacks is left out: the renderer refuses a value holding one, by name.
  const missing = new Set([...missingCodePoints(regular, wanted), ...missingCodePoints(bold, wanted)]);
  const codePoints = wanted.filter((cp) => !missing.has(cp));
  const tag = subsetTag(codePoints);
  return {
    regular: prepare(await subsetFont(regular, codePoints), tag),
    bold: prepare(await subsetFont(bold, codePoints), tag),
    characters: new Set(codePoints),
  };
}

/** PDF names a subset font with six capital letters and a plus; ours follow from the alphabet. */
function subsetTag(codePoints: number[]): string {
  const digest = createHash('sha256').update(String.fromCodePoint(...codePoints)).digest();
  return Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
}

function prepare(subset: FontSubset, tag: string): PreparedFont {
  const { glyphIds, advances } = subset;
  const hex = new Map<number, string>();
  for (const [cp, gid] of glyphIds) hex.set(cp, gid.toString(16).padStart(4, '0'));
  return {
    baseFont: `${tag}+${subset.postscriptName}`,
    subset,
    widthOf(text, size) {
      let width = 0;
      for (const ch of text) width += advances.get(ch.codePointAt(0)!) ?? 0;
      return (width * size) / 1000;
    },
    encode(text) {
      let out = '';
      // Characters outside the subset cannot reach here (the renderer builds a font that has them),
      // but if one did it would print the empty glyph 0, never another letter.
      for (const ch of text) out += hex.get(ch.codePointAt(0)!) ?? '0000';
      return out;
    },
    fontFile: deflateSync(subset.bytes, { level: 9 }),
    widths: subset.glyphAdvances.map((w) => PDFNumber.of(w)),
    toUnicode: deflateSync(Buffer.from(toUnicodeCMap(glyphIds), 'latin1'), { level: 9 }),
  };
}

/** The ToUnicode CMap: glyph id → character, so text copied or searched in the PDF is the real text. */
function toUnicodeCMap(glyphIds: Map<number, number>): string {
  const pairs = [...glyphIds].sort((a, b) => a[1] - b[1]);
  const hex4 = (n: number) => n.toString(16).padStart(4, '0');
  const utf16 = (cp: number) =>
    Array.from(String.fromCodePoint(cp), (ch) => hex4(ch.charCodeAt(0))).join('');
  const blocks: string[] = [];
  // A bfchar block holds at most 100 entries (PDF 32000-1, 9.10.3).
  for (let i = 0; i < pairs.length; i += 100) {
    const chunk = pairs.slice(i, i + 100);
    blocks.push(`${chunk.length} beginbfchar\n${chunk.map(([cp, gid]) => `<${hex4(gid)}> <${utf16(cp)}>`).join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <ffff>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

function widthArray(context: PDFContext, widths: PDFNumber[]): PDFArray {
  const array = PDFArray.withContext(context);
  for (const width of widths) array.push(width);
  return array;
}

/**
 * Adds a prepared font to a document as a Type 0 font with Identity-H encoding (text is glyph ids)
 * over a CIDFontType2 with the subset TrueType file; returns the font dictionary's reference.
 */
export function embedPreparedFont(context: PDFContext, font: PreparedFont): PDFRef {
  const { subset } = font;
  const m = subset.metrics;
  const fontFile = context.register(
    PDFRawStream.of(context.obj({ Filter: 'FlateDecode', Length1: subset.bytes.length }), font.fontFile),
  );
  // Flags: Symbolic (4), the font has glyphs beyond the standard Latin set; FixedPitch (1), Italic (64).
  const flags = 4 | (m.fixedPitch ? 1 : 0) | (m.italic ? 64 : 0);
  const descriptor = context.register(
    context.obj({
      Type: 'FontDescriptor',
      FontName: font.baseFont,
      Flags: flags,
      FontBBox: m.bbox,
      ItalicAngle: m.italicAngle,
      Ascent: m.ascent,
      Descent: m.descent,
      CapHeight: m.capHeight,
      XHeight: m.xHeight,
      // No font program states its stem width; a typical value for a book and a bold weight.
      StemV: subset.postscriptName.includes('Bold') ? 140 : 80,
      FontFile2: fontFile,
    }),
  );
  const descendant = context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: font.baseFont,
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      CIDToGIDMap: 'Identity',
      W: [0, widthArray(context, font.widths)],
    }),
  );
  const toUnicode = context.register(PDFRawStream.of(context.obj({ Filter: 'FlateDecode' }), font.toUnicode));
  return context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: font.baseFont,
      Encoding: 'Identity-H',
      DescendantFonts: [descendant],
      ToUnicode: toUnicode,
    }),
  );
}
