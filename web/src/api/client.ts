/**
 * The one way the app talks to the API: same-origin fetch with the session cookie, the CSRF token on
 * every state change, and every refusal turned into an ApiProblem (RFC 9457) that screens show
 * next to the field it names, in the user's language. No screen calls fetch itself.
 */

/** A refusal from the server, as problem+json says it. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly hint: string | undefined;
  /** Anything else the server sent (the current version on a conflict, the documents still missing…). */
  readonly extra: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    super(typeof body.detail === 'string' ? body.detail : `HTTP ${status}`);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = typeof body.code === 'string' ? body.code : status >= 500 ? 'internal' : 'unknown';
    this.field = typeof body.field === 'string' ? body.field : undefined;
    this.hint = typeof body.hint === 'string' ? body.hint : undefined;
    this.extra = body;
  }
}

/** The request never reached the server (no connection, server down): worth retrying later. */
export class Offline extends Error {
  constructor() {
    super('no connection to the server');
    this.name = 'Offline';
  }
}

let csrfToken: string | undefined;
const expiryListeners = new Set<() => void>();

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the server says the session has ended, so the shell can ask to sign in again over the open form. */
export function onSessionExpired(listener: () => void): () => void {
  expiryListeners.add(listener);
  return () => expiryListeners.delete(listener);
}

export interface RequestOptions {
  body?: unknown;
  /** A file or photo sent as it is (document upload). */
  blob?: Blob;
  idempotencyKey?: string;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
}

function urlOf(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') params.set(key, String(value));
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.blob) {
    headers['content-type'] = options.blob.type || 'application/octet-stream';
    body = options.blob;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(urlOf(path, options.query), { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new Offline();
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  const parsed: unknown = type.includes('json') ? await response.json().catch(() => ({})) : {};
  if (!response.ok) {
    const problem = new ApiProblem(response.status, parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {});
    if (response.status === 401) for (const listener of expiryListeners) listener();
    // A gateway's 502/503/504 means the server is unreachable, not that it refused.
    if ([502, 503, 504].includes(response.status) && !type.includes('problem')) throw new Offline();
    throw problem;
  }
  return parsed as T;
}

/** A fresh idempotency key for one submission; kept with it so that every retry sends the same one. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
