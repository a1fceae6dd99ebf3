import QRCode, { type QRCodeSegment } from 'qrcode';
import { AppError } from '../core/errors.ts';
import { withBestMask } from './qr-mask.ts';

/**
 * The certificate's QR code, drawn as vector squares (sharp at any printer resolution, a few
 * hundred bytes). Error correction M (15 % of the symbol may be lost to a fold or a stain) and
 * the standard quiet zone of 4 modules, which the template's QR size includes.
 */

/** QR's alphanumeric mode holds 0–9, A–Z, space and $%*+-./: — exactly the Base45 alphabet. */
const alphanumeric = /^[0-9A-Z $%*+\-./:]*$/;
export const quietZone = 4;

/**
 * The segments of a QR text. A `URL#PAYLOAD` puts the URL (lower case, so bytes) in a byte segment
 * and the Base45 payload in an alphanumeric segment (5.5 bits a character instead of 8), which
 * keeps a ~600-character payload in a symbol small enough to scan from paper.
 */
export function qrSegments(text: string): QRCodeSegment[] {
  const bytes = (s: string) => new TextEncoder().encode(s);
  if (alphanumeric.test(text)) return [{ mode: 'alphanumeric', data: text }];
  const hash = text.indexOf('#');
  if (hash >= 0) {
    const url = text.slice(0, hash + 1);
    const payload = text.slice(hash + 1);
    if (payload && alphanumeric.test(payload)) {
      return [
        { mode: 'byte', data: bytes(url) },
        { mode: 'alphanumeric', data: payload },
      ];
    }
  }
  return [{ mode: 'byte', data: bytes(text) }];
}

export interface QrMatrix {
  /** modules on a side, without the quiet zone */
  size: number;
  version: number;
  /** row by row, 1 for a dark module */
  modules: Uint8Array;
}

/**
 * The symbol for `text`: the qrcode package encodes it with mask 0, and qr-mask.ts picks the best
 * mask the way the package would, only faster.
 */
export function qrMatrix(text: string): QrMatrix {
  let code: QRCode.QRCode;
  try {
    code = QRCode.create(qrSegments(text), { errorCorrectionLevel: 'M', maskPattern: 0 });
  } catch (error) {
    throw new AppError('validation_failed', `the QR text (${text.length} characters) does not fit in a QR code: ${(error as Error).message}`, {
      field: 'qrText',
      hint: 'the signed payload must stay under about 2,000 characters; keep the claims compact',
    });
  }
  const { size, data, reservedBit } = code.modules;
  return { size, version: code.version, modules: withBestMask(data, reservedBit, size) };
}

/**
 * The PDF operators drawing `matrix` in the square (x, y, side) — side includes the quiet zone.
 * Drawn in module units (one `cm` scales a module to its size), each run of dark modules in a row
 * one rectangle, all filled as one path, so a rasteriser shows no seams between neighbours.
 */
export function qrPathOperators(matrix: QrMatrix, x: number, y: number, side: number): string {
  const { size, modules } = matrix;
  const module = side / (size + 2 * quietZone);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  // Module (column, row) has its lower left corner at (quiet + column, quiet + size - 1 - row).
  const parts: string[] = [`q ${round(module)} 0 0 ${round(module)} ${round(x)} ${round(y)} cm`];
  for (let row = 0; row < size; row++) {
    const base = row * size;
    const bottom = quietZone + size - 1 - row;
    let column = 0;
    while (column < size) {
      if (modules[base + column] === 0) {
        column++;
        continue;
      }
      const start = column;
      while (column < size && modules[base + column] === 1) column++;
      parts.push(`${quietZone + start} ${bottom} ${column - start} 1 re`);
    }
  }
  parts.push('f Q');
  return parts.join('\n');
}
