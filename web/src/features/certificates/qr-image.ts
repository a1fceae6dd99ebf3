/**
 * Reading a QR code out of pixels (a camera frame, a photo) with jsQR. The library is loaded on
 * first use only, so the verification page opens without it.
 */
type JsQr = typeof import('jsqr').default;
let library: Promise<JsQr> | undefined;

function jsQr(): Promise<JsQr> {
  library ??= import('jsqr').then((module) => module.default);
  return library;
}

/** The text of the QR code in these pixels, or null when none is found. */
export async function readQr(image: ImageData, options: { thorough?: boolean } = {}): Promise<string | null> {
  const decode = await jsQr();
  // A live frame is tried as printed (dark on light) only, to keep up with the camera; a photo is worth both.
  const found = decode(image.data, image.width, image.height, { inversionAttempts: options.thorough ? 'attemptBoth' : 'dontInvert' });
  return found?.data ? found.data : null;
}

/** The longest side a photo is scaled to before decoding: a phone's 12 megapixels are slow and no easier to read. */
const photoSide = 1600;

/** The pixels of a drawable (video frame, photo) at most `side` on its longest side. */
export function pixelsOf(source: CanvasImageSource, width: number, height: number, canvas: HTMLCanvasElement, side = photoSide): ImageData | null {
  const scale = Math.min(1, side / Math.max(width, height));
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

/** The QR code's text in a photo or picture file, or null when none is found in it. */
export async function readQrFromFile(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    const pixels = pixelsOf(bitmap, bitmap.width, bitmap.height, document.createElement('canvas'));
    return pixels ? await readQr(pixels, { thorough: true }) : null;
  } finally {
    bitmap.close();
  }
}
