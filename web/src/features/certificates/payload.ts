/**
 * Turning what a verifier has — a link opened from the QR code, a scan, a pasted text — into the
 * texts the codec is asked to verify. Pure: no codec, no browser.
 *
 * A QR payload is Base45, whose alphabet has a space and a per cent sign. So a payload that came
 * through an address bar is ambiguous: the browser writes a space in a fragment as "%20", and
 * "%20" could also be three Base45 characters. Both readings are tried (only the genuine one can
 * carry a valid signature); nothing else is ever changed, so a tampered text stays tampered.
 */

/**
 * Characters that are never part of a payload but come with a paste or a scan: line ends, tabs,
 * zero-width marks and a byte order mark (the joiners as alternatives: in a class they would join).
 */
const around = /^(?:[\r\n\t\u200b\u2060\ufeff]|\u200c|\u200d)+|(?:[\r\n\t\u200b\u2060\ufeff]|\u200c|\u200d)+$/g;

/** A pasted or scanned text without what surrounds it. Spaces are kept: a space is a Base45 character. */
export function cleanPasted(text: string): string {
  return text.replace(around, '');
}

/** The payload a verification link carries after its "#" (`/verify#KZ1:…`), or null when it carries none. */
export function payloadFromHash(hash: string): string | null {
  const text = cleanPasted(hash.startsWith('#') ? hash.slice(1) : hash);
  return text === '' ? null : text;
}

/**
 * The readings of one text worth verifying, the text as given first: with "%20" read as a space
 * (a fragment's spaces as a browser writes them), and fully percent-decoded when it decodes
 * (a link passed through a messenger that encoded the colon). Never more than three, never a duplicate.
 */
export function candidateTexts(text: string): string[] {
  const readings = [text];
  if (text.includes('%20')) readings.push(text.replaceAll('%20', ' '));
  if (/%[0-9A-Fa-f]{2}/.test(text)) {
    try {
      readings.push(decodeURIComponent(text));
    } catch {
      // A lone "%" that is Base45, not an escape: the text as given is the reading.
    }
  }
  return [...new Set(readings)];
}

