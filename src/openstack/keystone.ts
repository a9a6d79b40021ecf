// Keystone v3 authentication (keystone api-ref, "Authentication and token management"):
// password or application credential, the scope clouds.yaml gives, and the service
// catalog the token comes with, from which each service's endpoint is chosen by type,
// interface and region.
import type { CloudAuth, CloudConfig } from './clouds-config.ts';
import { failure, success, type Result } from '../engine/core/result.ts';
import { requestJson } from './http.ts';

export interface CatalogEndpoint {
  url: string;
  interface: string;
  region_id?: string;
  region?: string;
}

export interface CatalogService {
  type: string;
  endpoints: CatalogEndpoint[];
}

export interface Session {
  /** sent as X-Auth-Token; never printed */
  token: string;
  catalog: CatalogService[];
}

/** `http://keystone:5000` and `http://keystone:5000/v3/` both mean the v3 API there. */
function v3Url(authUrl: string): string {
  const trimmed = authUrl.replace(/\/+$/, '');
  return /\/v3$/.test(trimmed) ? trimmed : `${trimmed}/v3`;
}

const named = (id: string | undefined, name: string | undefined) => (id !== undefined ? { id } : name !== undefined ? { name } : undefined);

function domainOf(auth: CloudAuth, kind: 'user' | 'project'): { id: string } | { name: string } | undefined {
  const specific = kind === 'user' ? named(auth.user_domain_id, auth.user_domain_name) : named(auth.project_domain_id, auth.project_domain_name);
  return specific ?? named(auth.domain_id, auth.domain_name) ?? { id: 'default' };
}

function identityOf(config: CloudConfig): Result<Record<string, unknown>> {
  const { auth } = config;
  if (/applicationcredential|application_credential/.test(config.auth_type)) {
    if (!auth.application_credential_secret) return failure(`${config.label}: an application credential needs application_credential_secret`);
    const credential =
      auth.application_credential_id !== undefined
        ? { id: auth.application_credential_id, secret: auth.application_credential_secret }
        : { name: auth.application_credential_name, secret: auth.application_credential_secret, user: { ...named(auth.user_id, auth.username), domain: domainOf(auth, 'user') } };
    return success({ methods: ['application_credential'], application_credential: credential });
  }
  if (!/password/.test(config.auth_type)) return failure(`${config.label}: auth_type \`${config.auth_type}\` is not one claimplan speaks (password, v3password, v3applicationcredential)`);
  if (auth.password === undefined || (auth.username === undefined && auth.user_id === undefined)) {
    return failure(`${config.label}: password authentication needs a username (or user_id) and a password (in clouds.yaml, secure.yaml or OS_PASSWORD)`);
  }
  const user = auth.user_id !== undefined ? { id: auth.user_id } : { name: auth.username, domain: domainOf(auth, 'user') };
  return success({ methods: ['password'], password: { user: { ...user, password: auth.password } } });
}

function scopeOf(config: CloudConfig): Record<string, unknown> | undefined {
  const { auth } = config;
  // An application credential carries its own project.
  if (/application/.test(config.auth_type)) return undefined;
  if (auth.system_scope !== undefined) return { system: { all: true } };
  if (auth.project_id !== undefined) return { project: { id: auth.project_id } };
  if (auth.project_name !== undefined) return { project: { name: auth.project_name, domain: domainOf(auth, 'project') } };
  const domain = named(auth.domain_id, auth.domain_name);
  return domain ? { domain } : undefined;
}

export async function authenticate(config: CloudConfig): Promise<Result<Session>> {
  if (!config.auth.auth_url) return failure(`${config.label} has no auth_url`);
  const url = `${v3Url(config.auth.auth_url)}/auth/tokens`;
  const scope = scopeOf(config);
  const identity = identityOf(config);
  if (!identity.ok) return identity;
  const body = { auth: { identity: identity.value, ...(scope ? { scope } : {}) } };
  const answer = await requestJson(url, { method: 'POST', body }, config, `authenticating at ${url}`, [401]);
  if (!answer.ok) return answer;
  const response = answer.value;
  if (response.status === 401) {
    return failure(`Keystone at ${url} refused the credentials of ${config.label} (401): check the user, password or application credential, and the domains`);
  }
  const token = response.headers.get('x-subject-token');
  const catalog = (response.body as { token?: { catalog?: CatalogService[] } } | null)?.token?.catalog;
  if (!token) return failure(`Keystone at ${url} answered without an X-Subject-Token header`);
  if (!Array.isArray(catalog)) return failure(`Keystone at ${url} gave a token without a service catalog: scope it to a project (project_name or project_id)`);
  return success({ token, catalog });
}

/** The endpoint of a service type, as openstacksdk picks it: the interface asked for, in the region asked for. */
export function endpointFor(session: Session, config: CloudConfig, serviceType: string): Result<string> {
  const override = config.endpoint_override[serviceType];
  if (override) return success(override.replace(/\/+$/, ''));
  const endpoints = session.catalog.filter((service) => service.type === serviceType).flatMap((service) => service.endpoints);
  const onInterface = endpoints.filter((endpoint) => endpoint.interface === config.interface);
  const inRegion = config.region_name === undefined ? onInterface : onInterface.filter((endpoint) => (endpoint.region_id ?? endpoint.region) === config.region_name);
  const where = `interface ${config.interface}${config.region_name !== undefined ? `, region ${config.region_name}` : ''}`;
  if (inRegion.length === 0) {
    const offered = [...new Set(endpoints.map((endpoint) => `${endpoint.interface}${endpoint.region_id ?? endpoint.region ? ` in ${endpoint.region_id ?? endpoint.region}` : ''}`))];
    const has = offered.length > 0 ? `; it offers ${offered.join(', ')}` : '';
    return failure(`the service catalog of ${config.label} has no ${serviceType} endpoint (${where})${has}`);
  }
  const regions = [...new Set(inRegion.map((endpoint) => endpoint.region_id ?? endpoint.region))];
  if (regions.length > 1) return failure(`${serviceType} has endpoints in several regions (${regions.join(', ')}): choose one with --os-region-name or region_name`);
  return success(inRegion[0].url.replace(/\/+$/, ''));
}
