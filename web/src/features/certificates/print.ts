import { issuedPdf } from './api.ts';

/** How long an opened certificate's blob URL lives: long enough for the tab to read it. */
const keepUrlMs = 60_000;

/**
 * Opens an issued certificate in a new tab, where the browser's PDF viewer prints it. The tab is
 * opened at once, inside the click, so no pop-up blocker takes it for an unasked window; the PDF
 * follows when it has downloaded. When the browser opened no tab, the URL is returned to be shown
 * as a link instead.
 */
export async function openForPrinting(serial: string): Promise<{ opened: true } | { opened: false; url: string }> {
  const tab = window.open('', '_blank');
  try {
    const url = URL.createObjectURL(await issuedPdf(serial));
    if (!tab || tab.closed) return { opened: false, url };
    tab.location.href = url;
    setTimeout(() => URL.revokeObjectURL(url), keepUrlMs);
    return { opened: true };
  } catch (error) {
    tab?.close();
    throw error;
  }
}
