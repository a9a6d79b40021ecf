// JSON over HTTP with Node's built-in fetch, and every failure said once in a sentence an
// operator can act on. Certificates: Node's fetch trusts the system's CAs and those of
// NODE_EXTRA_CA_CERTS, read at start-up; it takes no CA file per request without undici's
// Agent, which Node does not expose, so a clouds.yaml `cacert` or `verify: false` turns
// into the environment variable to set when a certificate is refused.
import { failure, success, type Result } from '../engine/core/result.ts';

export interface TlsSettings {
  cacert?: string;
  verify: boolean;
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code;
}

/** What to do about a refused certificate, from the cloud's own TLS settings. */
function tlsAdvice(tls: TlsSettings): string {
  if (!tls.verify) return 'the cloud sets `verify: false` (or OS_INSECURE), which Node\'s fetch cannot do per request: run with NODE_TLS_REJECT_UNAUTHORIZED=0 to skip verification';
  if (tls.cacert) return `run with NODE_EXTRA_CA_CERTS=${tls.cacert} (the cloud's cacert), which Node reads at start-up`;
  return 'if the cloud uses a private CA, run with NODE_EXTRA_CA_CERTS=/path/to/ca.pem';
}

/** The message of an OpenStack error body: `{"error": {"message"}}`, `{"forbidden": {"message"}}`, or Placement's `{"errors": [{"detail"}]}`. */
function serviceMessage(body: unknown): string | null {
  if (body === null || typeof body !== 'object') return null;
  const record = body as Record<string, unknown>;
  if (Array.isArray(record.errors)) {
    const first = record.errors[0] as { detail?: unknown; title?: unknown } | undefined;
    return typeof first?.detail === 'string' ? first.detail.trim() : typeof first?.title === 'string' ? first.title : null;
  }
  for (const value of Object.values(record)) {
    if (value !== null && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') return (value as { message: string }).message;
  }
  return null;
}

/**
 * One request; `what` names it in messages ("GET /os-hypervisors/detail"). A status
 * outside 2xx is returned to the caller only when listed in `accept`.
 */
export async function requestJson(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown },
  tls: TlsSettings,
  what: string,
  accept: number[] = [],
): Promise<Result<JsonResponse>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { Accept: 'application/json', ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      redirect: 'follow',
    });
  } catch (error) {
    const code = causeCode(error);
    if (code && TLS_CODES.has(code)) return failure(`${what}: cannot verify the TLS certificate of ${new URL(url).origin} (${code}): ${tlsAdvice(tls)}`);
    return failure(`${what}: cannot reach ${new URL(url).origin}${code ? ` (${code})` : ''}`);
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    if (response.ok) return failure(`${what}: ${new URL(url).origin} answered ${response.status} with a body that is not JSON`);
  }
  if (response.ok || accept.includes(response.status)) return success({ status: response.status, headers: response.headers, body });
  const said = serviceMessage(body);
  const detail = said ? `: ${said}` : '';
  if (response.status === 401) return failure(`${what}: refused (401 Unauthorized)${detail}`);
  if (response.status === 403) return failure(`${what}: forbidden (403)${detail}; claimplan reads what only an administrator sees (hypervisors, every project's servers, Placement)`);
  return failure(`${what}: ${response.status} ${response.statusText}${detail}`);
}
