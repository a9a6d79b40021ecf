// A service endpoint spoken to with the session's token and a microversion
// (api-wg microversion_specification: `OpenStack-API-Version: <service> <version>`).
import { success, type Result } from '../engine/core/result.ts';
import type { TlsSettings } from './http.ts';
import { requestJson } from './http.ts';
import type { Session } from './keystone.ts';

export type Microversion = [major: number, minor: number];

export function parseMicroversion(text: unknown): Microversion | null {
  const match = typeof text === 'string' ? /^(\d+)\.(\d+)$/.exec(text) : null;
  return match ? [Number(match[1]), Number(match[2])] : null;
}

const formatMicroversion = (version: Microversion) => `${version[0]}.${version[1]}`;

/** The lower of two microversions: what both the cloud and claimplan speak. */
export function lowerOf(a: Microversion, b: Microversion): Microversion {
  return a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]) ? a : b;
}

export const atLeast = (version: Microversion, minor: number) => version[1] >= minor;

export class ServiceClient {
  constructor(
    /** the catalog's name for it: compute, placement */
    readonly serviceType: string,
    readonly endpoint: string,
    private readonly session: Session,
    private readonly tls: TlsSettings,
    /** extra headers some services also read (Nova's X-OpenStack-Nova-API-Version) */
    private readonly legacyVersionHeader: string | null = null,
  ) {}

  /** GET a path under the endpoint (or a whole URL for version discovery) at a microversion. */
  async get(path: string, microversion: Microversion | null): Promise<Result<unknown>> {
    const url = /^https?:/.test(path) ? path : `${this.endpoint}${path}`;
    const headers: Record<string, string> = { 'X-Auth-Token': this.session.token };
    if (microversion) {
      headers['OpenStack-API-Version'] = `${this.serviceType} ${formatMicroversion(microversion)}`;
      if (this.legacyVersionHeader) headers[this.legacyVersionHeader] = formatMicroversion(microversion);
    }
    const shown = /^https?:/.test(path) ? path : `${this.serviceType} ${path}`;
    const answer = await requestJson(url, { headers }, this.tls, `GET ${shown}`);
    return answer.ok ? success(answer.value.body) : answer;
  }
}
