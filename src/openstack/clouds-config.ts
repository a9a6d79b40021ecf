// Which cloud to read and how to log in, found the way openstacksdk finds it
// (openstack/config/loader.py): clouds.yaml in OS_CLIENT_CONFIG_FILE, ./, the user's
// ~/.config/openstack/ and /etc/openstack/, with secure.yaml (OS_CLIENT_SECURE_FILE, same
// folders) merged over it; or, without a cloud name, the OS_* environment variables.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { failure, success, type Result } from '../engine/core/result.ts';

export interface CloudAuth {
  auth_url?: string;
  username?: string;
  user_id?: string;
  password?: string;
  user_domain_name?: string;
  user_domain_id?: string;
  project_name?: string;
  project_id?: string;
  project_domain_name?: string;
  project_domain_id?: string;
  domain_name?: string;
  domain_id?: string;
  system_scope?: string;
  application_credential_id?: string;
  application_credential_name?: string;
  application_credential_secret?: string;
}

export interface CloudConfig {
  /** how messages name the cloud */
  label: string;
  auth: CloudAuth;
  auth_type: string;
  region_name?: string;
  /** public, internal or admin */
  interface: string;
  cacert?: string;
  verify: boolean;
  /** `<service>_endpoint_override` settings, by service type */
  endpoint_override: Record<string, string>;
}

const FILE_NAMES = (base: string) => [`${base}.yaml`, `${base}.yml`, `${base}.json`];

function searchFolders(): string[] {
  const configHome = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return [process.cwd(), join(configHome, 'openstack'), '/etc/openstack'];
}

/** The first of the files openstacksdk would read, and every place looked in (for the message when there is none). */
function findFile(variable: string, base: string): { file: string | null; looked: string[] } {
  const explicit = process.env[variable];
  const candidates = [...(explicit ? [explicit] : []), ...searchFolders().flatMap((folder) => FILE_NAMES(base).map((name) => join(folder, name)))];
  return { file: candidates.find((candidate) => existsSync(candidate)) ?? null, looked: candidates };
}

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping => value !== null && typeof value === 'object' && !Array.isArray(value);

function readClouds(file: string): Result<Mapping> {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return failure(`cannot read ${file}: ${(error as Error).message}`);
  }
  return success(isMapping(document) && isMapping(document.clouds) ? document.clouds : {});
}

/** secure.yaml's values over clouds.yaml's, key by key, as openstacksdk merges them. */
function merged(base: Mapping, over: Mapping): Mapping {
  const result: Mapping = { ...base };
  for (const [key, value] of Object.entries(over)) result[key] = isMapping(value) && isMapping(result[key]) ? merged(result[key] as Mapping, value) : value;
  return result;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined);

/** `publicURL` (the old catalog's name) and `public` are the same interface. */
const interfaceName = (value: string) => value.replace(/URL$/, '');

function authFromEnvironment(): CloudAuth {
  const env = process.env;
  return {
    auth_url: env.OS_AUTH_URL,
    username: env.OS_USERNAME,
    user_id: env.OS_USER_ID,
    password: env.OS_PASSWORD,
    user_domain_name: env.OS_USER_DOMAIN_NAME,
    user_domain_id: env.OS_USER_DOMAIN_ID,
    project_name: env.OS_PROJECT_NAME ?? env.OS_TENANT_NAME,
    project_id: env.OS_PROJECT_ID ?? env.OS_TENANT_ID,
    project_domain_name: env.OS_PROJECT_DOMAIN_NAME,
    project_domain_id: env.OS_PROJECT_DOMAIN_ID,
    domain_name: env.OS_DOMAIN_NAME,
    domain_id: env.OS_DOMAIN_ID,
    system_scope: env.OS_SYSTEM_SCOPE,
    application_credential_id: env.OS_APPLICATION_CREDENTIAL_ID,
    application_credential_name: env.OS_APPLICATION_CREDENTIAL_NAME,
    application_credential_secret: env.OS_APPLICATION_CREDENTIAL_SECRET,
  };
}

export interface CloudChoice {
  cloud?: string;
  regionName?: string;
  interface?: string;
}

export function loadCloudConfig(choice: CloudChoice): Result<CloudConfig> {
  const env = process.env;
  const insecure = env.OS_INSECURE !== undefined && /^(1|true|yes)$/i.test(env.OS_INSECURE);
  if (choice.cloud === undefined || choice.cloud === 'envvars') {
    if (!env.OS_AUTH_URL) return failure('no cloud to read: give --os-cloud NAME (a cloud of clouds.yaml), or set OS_CLOUD or OS_AUTH_URL and the other OS_* variables');
    return success({
      label: 'the cloud of the OS_* variables',
      auth: authFromEnvironment(),
      auth_type: env.OS_AUTH_TYPE ?? (env.OS_APPLICATION_CREDENTIAL_SECRET ? 'v3applicationcredential' : 'password'),
      region_name: choice.regionName ?? env.OS_REGION_NAME,
      interface: interfaceName(choice.interface ?? env.OS_INTERFACE ?? 'public'),
      cacert: env.OS_CACERT,
      verify: !insecure,
      endpoint_override: {},
    });
  }
  const clouds = findFile('OS_CLIENT_CONFIG_FILE', 'clouds');
  if (clouds.file === null) return failure(`no clouds.yaml for cloud \`${choice.cloud}\`: looked in ${clouds.looked.join(', ')}`);
  const secure = findFile('OS_CLIENT_SECURE_FILE', 'secure');
  const read = readClouds(clouds.file);
  if (!read.ok) return read;
  const entries = read.value;
  if (!isMapping(entries[choice.cloud])) {
    const known = Object.keys(entries);
    return failure(`${clouds.file} has no cloud \`${choice.cloud}\`${known.length > 0 ? ` (it has ${known.map((name) => `\`${name}\``).join(', ')})` : ''}`);
  }
  const secureRead: Result<Mapping> = secure.file !== null ? readClouds(secure.file) : success({});
  if (!secureRead.ok) return secureRead;
  const secureEntry = secureRead.value[choice.cloud];
  const cloud = isMapping(secureEntry) ? merged(entries[choice.cloud] as Mapping, secureEntry) : (entries[choice.cloud] as Mapping);
  const auth = isMapping(cloud.auth) ? cloud.auth : {};
  const endpoint_override: Record<string, string> = {};
  for (const [key, value] of Object.entries(cloud)) {
    const match = /^(.+)_endpoint_override$/.exec(key);
    if (match && text(value)) endpoint_override[match[1].replace(/_/g, '-')] = text(value)!;
  }
  const verify = cloud.verify === undefined ? !insecure : cloud.verify !== false;
  return success({
    label: `cloud \`${choice.cloud}\` of ${clouds.file}`,
    auth: Object.fromEntries(Object.entries(auth).flatMap(([key, value]) => (text(value) !== undefined ? [[key, text(value)]] : []))) as CloudAuth,
    auth_type: text(cloud.auth_type) ?? (text(auth.application_credential_secret) ? 'v3applicationcredential' : 'password'),
    region_name: choice.regionName ?? env.OS_REGION_NAME ?? text(cloud.region_name),
    interface: interfaceName(choice.interface ?? env.OS_INTERFACE ?? text(cloud.interface) ?? text(cloud.endpoint_type) ?? 'public'),
    cacert: text(cloud.cacert) ?? env.OS_CACERT,
    verify,
    endpoint_override,
  });
}
