import { spawn } from 'node:child_process';
// jsqr is CommonJS with a `default` property; under NodeNext typing the import is the module object.
import jsQR from 'jsqr';

/**
 * Reading a certificate's QR code the way a verifier's phone does: from the printed page, not
 * from the PDF's drawing commands. The page is rasterised by poppler's pdftoppm (150 dpi, grey)
 * and the image is decoded with jsQR.
 */

export interface GreyImage {
  width: number;
  height: number;
  /** one byte a pixel, 0 black … 255 white, row by row */
  pixels: Uint8Array;
}

/** Runs a program with `input` on stdin; resolves with its stdout, rejects with its stderr. */
function run(program: string, args: string[], input: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new Error(`${program} could not start (is poppler-utils installed?): ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`${program} exited with ${code}: ${Buffer.concat(err).toString('utf8')}`));
    });
    child.stdin.end(input);
  });
}

/** The first page of `pdf` as a grey image at `dpi`, by `pdftoppm -gray` (a binary PGM, read here). */
export async function rasterisePdf(pdf: Uint8Array, dpi = 150): Promise<GreyImage> {
  const pgm = await run('pdftoppm', ['-r', String(dpi), '-gray', '-f', '1', '-l', '1', '-singlefile', '-'], pdf);
  return parsePgm(pgm);
}

/** A binary PGM (P5): "P5", width, height, maxval (comments allowed), one whitespace, the pixels. */
export function parsePgm(bytes: Buffer): GreyImage {
  let at = 0;
  const token = () => {
    for (;;) {
      while (at < bytes.length && /\s/.test(String.fromCharCode(bytes[at]!))) at++;
      if (bytes[at] !== 0x23) break; // '#': a comment to the end of the line
      while (at < bytes.length && bytes[at] !== 0x0a) at++;
    }
    const start = at;
    while (at < bytes.length && !/\s/.test(String.fromCharCode(bytes[at]!))) at++;
    return bytes.subarray(start, at).toString('latin1');
  };
  const magic = token();
  const width = Number(token());
  const height = Number(token());
  const max = Number(token());
  if (magic !== 'P5' || !(width > 0) || !(height > 0) || max !== 255) {
    throw new Error(`not an 8-bit binary PGM (${magic} ${width}×${height}, max ${max})`);
  }
  at++; // the single whitespace after maxval
  const pixels = new Uint8Array(bytes.subarray(at, at + width * height));
  if (pixels.length !== width * height) throw new Error('the PGM is truncated');
  return { width, height, pixels };
}

/** Decodes the QR code in a grey image, or returns null. */
export function readQrFromImage(image: GreyImage): string | null {
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0; i < image.pixels.length; i++) {
    const v = image.pixels[i]!;
    rgba[i * 4] = v;
    rgba[i * 4 + 1] = v;
    rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  return jsQR.default(rgba, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

/**
 * The text of the QR code printed on a certificate PDF's first page. Rejects when the page shows
 * no readable QR code (a preview has none).
 */
export async function readQrFromPdf(pdf: Uint8Array): Promise<string> {
  const text = readQrFromImage(await rasterisePdf(pdf, 150));
  if (text === null) throw new Error('no readable QR code on the rendered page');
  return text;
}

/** The page's text as a PDF reader extracts it (`pdftotext`): what a person can search and copy. */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  return (await run('pdftotext', ['-enc', 'UTF-8', '-layout', '-', '-'], pdf)).toString('utf8');
}
