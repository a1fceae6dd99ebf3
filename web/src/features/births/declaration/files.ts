/**
 * A photographed or scanned document, made ready to send before it goes into the outbox: the
 * server takes PDF, JPEG or PNG (read whole) up to its upload limit, so a file that would be
 * refused is caught here, while the person still holds the paper, not later from the outbox.
 */
export type DocumentMediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

/** The server's default upload limit (TIRKEU_UPLOAD_LIMIT); a larger photo is made smaller here. */
export const uploadLimitBytes = 5 * 1_048_576;

/** A4 at 300 dpi: a photo larger than this gains nothing a registrar can read. */
const maxSide = 3508;

/** What the bytes are, whatever the file's name or label says. */
export function sniff(head: Uint8Array): DocumentMediaType | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  return undefined;
}

export type PreparedFile = { ok: true; blob: Blob; mediaType: DocumentMediaType } | { ok: false; reason: 'unsupported' | 'too_large' | 'unreadable' };

/** A photo cut short by a failed transfer starts right but does not decode: the server would refuse it. */
async function decodes(file: Blob): Promise<boolean> {
  try {
    (await createImageBitmap(file)).close();
    return true;
  } catch {
    return false;
  }
}

async function reencode(file: Blob): Promise<Blob | undefined> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return undefined;
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob ?? undefined), 'image/jpeg', 0.85));
}

/**
 * A PDF, JPEG or PNG within the limit is sent as it is. A photo in another format the browser can
 * show (HEIC on some phones, WebP), or one too large, is redrawn as a JPEG no larger than A4 at 300 dpi.
 */
export async function prepareFile(file: Blob): Promise<PreparedFile> {
  const type = sniff(new Uint8Array(await file.slice(0, 8).arrayBuffer()));
  if (type && file.size <= uploadLimitBytes) {
    if (type !== 'application/pdf' && !(await decodes(file))) return { ok: false, reason: 'unreadable' };
    return { ok: true, blob: type === file.type ? file : new Blob([file], { type }), mediaType: type };
  }
  if (type === 'application/pdf') return { ok: false, reason: 'too_large' };
  if (!type && !file.type.startsWith('image/')) return { ok: false, reason: 'unsupported' };
  const jpeg = await reencode(file);
  if (!jpeg) return { ok: false, reason: 'unreadable' };
  if (jpeg.size > uploadLimitBytes) return { ok: false, reason: 'too_large' };
  return { ok: true, blob: jpeg, mediaType: 'image/jpeg' };
}
