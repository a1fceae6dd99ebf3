import type { BirthView } from '../births/record/api.ts';
import { api, ApiProblem, Offline } from '../../api/client.ts';
import type { IssueBody } from './issue-form.ts';
import type { CertificateKind, Issuance, VerifyAnswer } from './types.ts';

/** The certificate routes the screens call. Reads and writes of JSON go through the app's one client. */

export const issuancesKey = (recordId: string) => ['birth', recordId, 'certificates'] as const;

export function listIssuances(recordId: string): Promise<Issuance[]> {
  return api<{ items: Issuance[] }>('GET', `/births/${recordId}/certificates`).then((answer) => answer.items);
}

/** Issues one certificate for the record version on screen; the idempotency key makes a retried click one issuance. */
export function issueCertificate(recordId: string, body: IssueBody, idempotencyKey: string): Promise<{ issuance: Issuance; record: BirthView }> {
  return api('POST', `/births/${recordId}/certificates`, { body, idempotencyKey });
}

/** Revokes an issued certificate; the idempotency key makes a retried click one revocation. */
export function revokeCertificate(serial: string, reason: string, idempotencyKey: string): Promise<Issuance> {
  return api('POST', `/certificates/${encodeURIComponent(serial)}/revoke`, { body: { reason }, idempotencyKey });
}

/** The registry's status answer for one payload: public, no sign-in; the server limits how often. */
export function askStatus(payload: string): Promise<VerifyAnswer> {
  return api('POST', '/certificates/verify', { body: { payload } });
}

/**
 * A PDF from the API, as a blob for a frame or a new tab. The one client reads JSON, so this asks
 * with fetch the same way: same origin, the session cookie, refusals as ApiProblem.
 */
async function pdf(path: string, signal?: AbortSignal): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { headers: { accept: 'application/pdf' }, credentials: 'same-origin', signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new Offline();
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => ({}));
    throw new ApiProblem(response.status, body && typeof body === 'object' ? (body as Record<string, unknown>) : {});
  }
  // Typed as a PDF whatever the header said, so the browser's viewer opens it.
  return new Blob([await response.arrayBuffer()], { type: 'application/pdf' });
}

/** The certificate as it would print, watermarked and without a QR code. */
export function previewPdf(recordId: string, kind: CertificateKind, signal?: AbortSignal): Promise<Blob> {
  return pdf(`/births/${recordId}/certificates/preview?kind=${kind}`, signal);
}

/** An issued certificate, to print. */
export function issuedPdf(serial: string): Promise<Blob> {
  return pdf(`/certificates/${encodeURIComponent(serial)}/pdf`);
}
