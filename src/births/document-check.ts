import zlib from 'node:zlib';
import jpeg from 'jpeg-js';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, type PDFObject } from 'pdf-lib';
import { PNG } from 'pngjs';
import { AppError } from '../core/errors.ts';

/**
 * Looks at the whole of an uploaded file, not its first bytes: a PDF must load and carry no
 * script or launch action; an image must decode and end where its format says it ends (nothing
 * appended, such as HTML after a PNG's IEND). A registry clerk opens these files.
 */
export const documentMediaTypes = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentMediaType = (typeof documentMediaTypes)[number];

/** A scan larger than this many megapixels is refused before it is decoded. */
const maxMegapixels = 50;
/** An image whose decoded rows would take more than this is refused before it is decoded. */
const maxDecodedBytes = 64 * 1_048_576;

function refused(message: string, hint = 'scan or export the document again as PDF, JPEG or PNG'): AppError {
  return new AppError('validation_failed', message, { field: 'body', hint });
}

/** PDF names that run code or open other programs when a reader opens the file. */
const activeNames = new Set(['JS', 'JavaScript', 'Launch']);

/**
 * True when any dictionary of the PDF (in any object, nested or in a stream's dictionary) names a
 * script or a launch: a /JS or /JavaScript key, or an action whose /S is /JavaScript or /Launch.
 * An /OpenAction or /AA that points at one is found because every object is looked at. Walked
 * with a stack: no nesting depth can overflow it.
 */
function hasActiveContent(pdf: PDFDocument): boolean {
  const stack: PDFObject[] = pdf.context.enumerateIndirectObjects().map(([, object]) => object);
  const { Root, Info } = pdf.context.trailerInfo;
  stack.push(...[Root, Info].filter((o): o is PDFObject => o !== undefined));
  const seen = new Set<PDFObject>();
  while (stack.length) {
    const object = stack.pop()!;
    if (seen.has(object)) continue;
    seen.add(object);
    const dict = object instanceof PDFRawStream ? object.dict : object instanceof PDFDict ? object : undefined;
    if (dict) {
      for (const [key, value] of dict.entries()) {
        if (activeNames.has(key.decodeText())) return true;
        if (key === PDFName.of('S') && value instanceof PDFName && activeNames.has(value.decodeText())) return true;
        stack.push(value);
      }
    } else if (object instanceof PDFArray) {
      stack.push(...object.asArray());
    }
  }
  return false;
}

/** Names that must not appear anywhere in a PDF's bytes: scripts, launches and XFA forms (which carry scripts). */
const activeRawNames = new Set(['JS', 'JavaScript', 'Launch', 'XFA']);

/** Every name token of raw PDF text, its #xx escapes decoded as a reader decodes them. */
function pdfNames(text: string): { name: string; end: number }[] {
  return [...text.matchAll(/\/([^\s\0/<>[\]()%{}]*)/g)].map((m) => ({ name: m[1]!.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), end: m.index + m[0].length }));
}

/** Object streams together may not inflate to more than this: a few hundred bytes can otherwise claim gigabytes. */
const maxObjectStreamBytes = 32 * 1_048_576;

/**
 * What a reader could find that the parsed document does not show: a reader follows the
 * cross-reference table, so an object defined twice, hidden inside another stream's data or
 * appended after %%EOF can be the one it runs. So the raw bytes, and every object stream inflated
 * (within a budget, before the parser inflates anything), may not name a script, launch or XFA.
 * An object stream with another encoding or an indirect filter cannot be checked and is refused.
 */
function rawActiveContent(content: Buffer): string | undefined {
  const text = content.toString('latin1');
  const names = pdfNames(text);
  if (names.some((n) => activeRawNames.has(n.name))) return 'the PDF contains JavaScript, a launch action or an XFA form';
  let inflated = 0;
  for (const { name, end } of names) {
    if (name !== 'ObjStm') continue;
    const start = text.lastIndexOf(' obj', end);
    const stream = /stream\r?\n/g;
    stream.lastIndex = end;
    const found = stream.exec(text);
    if (start < 0 || !found) continue;
    const dict = text.slice(start, found.index);
    const filter = /\/Filter\s*(\/[^\s/<>[\]]*|\[[^\]]*\])?/.exec(dict);
    const filters = filter ? pdfNames(filter[1] ?? '').map((n) => n.name) : [];
    if (filter && (filters.length !== 1 || !['FlateDecode', 'Fl'].includes(filters[0]!))) return 'the PDF has an object stream that cannot be checked';
    let data: Buffer;
    try {
      data = filter ? zlib.inflateSync(content.subarray(found.index + found[0].length), { maxOutputLength: maxObjectStreamBytes - inflated, finishFlush: zlib.constants.Z_SYNC_FLUSH }) : Buffer.alloc(0);
    } catch (error) {
      return error instanceof RangeError ? 'the PDF expands to too much data' : 'the PDF cannot be read';
    }
    inflated += data.length;
    if (pdfNames(data.toString('latin1')).some((n) => activeRawNames.has(n.name))) return 'the PDF contains JavaScript, a launch action or an XFA form';
  }
  return undefined;
}

async function checkPdf(content: Buffer): Promise<void> {
  if (!content.subarray(0, 5).equals(Buffer.from('%PDF-'))) throw refused('the file is not a PDF');
  const raw = rawActiveContent(content);
  if (raw) throw refused(raw, 'print it to a new PDF, or scan the paper document');
  let pdf: PDFDocument;
  let pages: number;
  try {
    pdf = await PDFDocument.load(content, { updateMetadata: false, throwOnInvalidObject: true });
    pages = pdf.getPageCount();
  } catch (error) {
    const encrypted = (error as Error).name === 'EncryptedPDFError';
    throw refused(encrypted ? 'the PDF is encrypted: it cannot be checked' : 'the PDF cannot be read', encrypted ? 'save it again without a password' : undefined);
  }
  if (pages === 0) throw refused('the PDF has no pages');
  if (hasActiveContent(pdf)) throw refused('the PDF contains JavaScript or a launch action', 'print it to a new PDF, or scan the paper document');
}

/** Walks the PNG's chunks: IEND must be the last bytes of the file. */
function checkPng(content: Buffer): void {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!content.subarray(0, 8).equals(signature)) throw refused('the file is not a PNG');
  let at = 8;
  let end = -1;
  while (at + 12 <= content.length) {
    const length = content.readUInt32BE(at);
    const type = content.toString('latin1', at + 4, at + 8);
    if (type === 'IHDR' && length >= 13) {
      const [width, height, depth, colour] = [content.readUInt32BE(at + 8), content.readUInt32BE(at + 12), content[at + 16]!, content[at + 17]!];
      if (width * height > maxMegapixels * 1e6) throw refused(`the image is larger than ${maxMegapixels} megapixels`);
      // The decoder holds the inflated rows and the pixels several times over: a 400 KB PNG can claim 400 MB of rows.
      const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colour] ?? 4;
      if (height * (1 + Math.ceil((width * channels * depth) / 8)) > maxDecodedBytes) throw refused(`the image would take more than ${maxDecodedBytes / 1_048_576} MiB to decode`, 'scan it again at 300 dpi, or as a JPEG');
    }
    at += 12 + length;
    if (type === 'IEND') {
      end = at;
      break;
    }
  }
  if (end < 0 || end > content.length) throw refused('the PNG is cut short');
  if (end !== content.length) throw refused('the PNG has data after its end', 'export the image again');
  try {
    PNG.sync.read(content);
  } catch {
    throw refused('the PNG cannot be decoded');
  }
}

const isRestart = (marker: number) => marker >= 0xd0 && marker <= 0xd7;

/** Walks the JPEG's segments and scans: EOI must be the last bytes of the file. */
function jpegEnd(content: Buffer): number {
  let at = 2;
  while (at + 1 < content.length) {
    if (content[at] !== 0xff) return -1;
    while (content[at + 1] === 0xff) at++;
    const marker = content[at + 1]!;
    if (marker === 0xd9) return at + 2;
    if (isRestart(marker) || marker === 0x01) {
      at += 2;
      continue;
    }
    if (at + 4 > content.length) return -1;
    at += 2 + content.readUInt16BE(at + 2);
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart.
      while (at + 1 < content.length && !(content[at] === 0xff && content[at + 1] !== 0x00 && !isRestart(content[at + 1]!))) at++;
    }
  }
  return -1;
}

/** The size the first frame header (SOFn) declares. */
function jpegSize(content: Buffer): { width: number; height: number } | undefined {
  let at = 2;
  while (at + 9 < content.length && content[at] === 0xff) {
    const marker = content[at + 1]!;
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return { height: content.readUInt16BE(at + 5), width: content.readUInt16BE(at + 7) };
    if (marker === 0xda || marker === 0xd9) return undefined;
    at += 2 + content.readUInt16BE(at + 2);
  }
  return undefined;
}

function checkJpeg(content: Buffer): void {
  if (!(content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff)) throw refused('the file is not a JPEG');
  // Every 8×8 block costs at least one bit of scan data: a file claiming more pixels is a decompression bomb, refused before decoding.
  const size = jpegSize(content);
  if (size && size.width * size.height > content.length * 512) throw refused('the JPEG claims more pixels than its data can hold');
  const end = jpegEnd(content);
  if (end < 0) throw refused('the JPEG is cut short or malformed');
  if (end !== content.length) throw refused('the JPEG has data after its end', 'export the image again');
  try {
    jpeg.decode(content, { useTArray: true, maxResolutionInMP: maxMegapixels, maxMemoryUsageInMB: 512 });
  } catch {
    throw refused('the JPEG cannot be decoded');
  }
}

/**
 * Refuses a type the pack does not know, a media type not on the list, an empty file, or a file
 * that is not wholly what its media type says.
 */
export async function checkDocument(type: string, mediaType: string, content: Buffer, documentTypes: readonly string[]): Promise<DocumentMediaType> {
  if (!documentTypes.includes(type)) {
    throw new AppError('validation_failed', `the pack knows no document type ${JSON.stringify(type.slice(0, 60))}`, { field: 'type', hint: `one of: ${documentTypes.join(', ')}` });
  }
  if (!(documentMediaTypes as readonly string[]).includes(mediaType)) {
    throw new AppError('unsupported_media_type', `documents of type ${mediaType} are not accepted`, { field: 'content-type', hint: `send one of: ${documentMediaTypes.join(', ')}` });
  }
  if (content.length === 0) throw new AppError('validation_failed', 'the document is empty', { field: 'body' });
  const media = mediaType as DocumentMediaType;
  if (media === 'application/pdf') await checkPdf(content);
  else if (media === 'image/png') checkPng(content);
  else checkJpeg(content);
  return media;
}
