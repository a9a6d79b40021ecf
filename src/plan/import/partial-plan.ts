// What one export file says about the cloud, as read by the reader of its form: the
// typed pieces a plan is assembled from (assemble.ts), each with the place it was read
// from, so that every warning or error about a host or flavor points into the export.
import type { Inventory } from '../../engine/core/model.ts';
import type { PlanError } from '../errors.ts';
import type { PathSegment } from '../path.ts';
import { errorIn, type Origin, type Source } from '../source.ts';

/** A compute node's legacy figures, as `os-hypervisors` gave them below compute API 2.88. */
export interface HypervisorFigures {
  vcpus: number;
  vcpus_used: number;
  memory_mb: number;
  memory_mb_used: number;
  /** absent in `openstack hypervisor list --long`, which has no disk columns */
  local_gb?: number;
  local_gb_used?: number;
  running_vms?: number;
}

export interface HypervisorExport {
  origin: Origin;
  /** the compute node's name: `hypervisor_hostname`, Placement's provider name */
  name: string;
  /** from compute API 2.53 on, the compute node's UUID, which is its resource provider's */
  id: string | null;
  /** the nova-compute service's host, which aggregates and `OS-EXT-SRV-ATTR:host` name */
  serviceHost: string | null;
  /** null when the export carries none (API 2.88 and later, `hypervisor list` without --long) */
  figures: HypervisorFigures | null;
  /** aggregate names, as `openstack hypervisor show` lists them */
  aggregates: string[];
  /** the compute service's `state` is `down`: not heard from */
  down: boolean;
  /** the compute service's `status` is `disabled` */
  disabled: boolean;
  /** `hypervisor_type` (`QEMU`, `ironic`, …), which ComputeCapabilitiesFilter and ImagePropertiesFilter read; null when not exported */
  hypervisorType: string | null;
  /** `hypervisor_version`, the integer Nova keeps (7002000 for QEMU 7.2.0); null when not exported */
  hypervisorVersion: number | null;
  /**
   * What this export lacks for a plan and the command that exports it, said when no
   * Placement provider makes up for it; null when the figures are whole.
   */
  lacking: string | null;
}

export interface FlavorFigures {
  vcpus: number;
  memory_mb: number;
  root_gb: number;
  ephemeral_gb: number;
  /** MB; 0 for none */
  swap: number;
}

export interface FlavorExport extends FlavorFigures {
  origin: Origin;
  id: string | null;
  name: string;
  /** null when the export does not carry them (compute API below 2.61, `flavor list` without --long) */
  extra_specs: Record<string, string> | null;
}

/** Placement's inventory record fields (placement api-ref, "Resource provider inventories"), as the engine keeps them. */
export type InventoryRecord = Inventory;

export interface ProviderExport {
  origin: Origin;
  uuid: string;
  name: string;
  parentUuid: string | null;
  rootUuid: string | null;
}

/**
 * Per-provider facts. The API bodies and the client's per-provider listings do not name
 * their provider: the UUID (or name) comes from the file's path (docs/import.md).
 */
export interface ProviderDetail {
  origin: Origin;
  /**
   * The provider it belongs to: its UUID or name as a bundle gives it, or the names the
   * file's path offers (a UUID in it first, then the file's and its folders' names).
   */
  provider: string[];
  inventories?: Record<string, InventoryRecord>;
  usages?: Record<string, number>;
  traits?: string[];
  aggregates?: string[];
}

export interface ServerFlavor {
  /** below compute API 2.47 a server names its flavor only by id */
  id: string | null;
  name: string | null;
  /** from compute API 2.47 on, the flavor as the server was built with it */
  embedded: (FlavorFigures & { extra_specs: Record<string, string> }) | null;
}

export interface ServerExport {
  origin: Origin;
  id: string;
  name: string;
  status: string | null;
  /** `OS-EXT-SRV-ATTR:host`: the compute service */
  host: string | null;
  /** `OS-EXT-SRV-ATTR:hypervisor_hostname`: the compute node */
  hypervisorHostname: string | null;
  flavor: ServerFlavor;
}

export interface AggregateExport {
  origin: Origin;
  name: string;
  uuid: string | null;
  /** compute service hosts */
  hosts: string[];
  availabilityZone: string | null;
  metadata: Record<string, string>;
}

/** A compute service as `GET /os-services` or `openstack compute service list` gives it. */
export interface ServiceExport {
  origin: Origin;
  /** the service's host, which hypervisors' `service.host` and aggregates name */
  host: string;
  /** its `state` is `down`: not heard from within service_down_time (or forced down) */
  down: boolean;
  /** its `status` is `disabled` */
  disabled: boolean;
}

export interface PartialPlan {
  hypervisors: HypervisorExport[];
  services: ServiceExport[];
  flavors: FlavorExport[];
  providers: ProviderExport[];
  providerDetails: ProviderDetail[];
  servers: ServerExport[];
  aggregates: AggregateExport[];
}

export function emptyPartialPlan(): PartialPlan {
  return { hypervisors: [], services: [], flavors: [], providers: [], providerDetails: [], servers: [], aggregates: [] };
}

export function mergePartialPlans(parts: PartialPlan[]): PartialPlan {
  const merged = emptyPartialPlan();
  for (const part of parts) {
    for (const key of Object.keys(merged) as (keyof PartialPlan)[]) (merged[key] as unknown[]).push(...part[key]);
  }
  return merged;
}

/** Errors refuse the import; warnings say what the plan could not hold or had to assume. */
export class Diagnostics {
  readonly errors: PlanError[] = [];
  readonly warnings: PlanError[] = [];

  error(origin: Origin, subpath: PathSegment[], message: string, part: 'key' | 'value' = 'value'): void {
    this.errors.push(errorIn(origin, subpath, message, part));
  }

  warn(origin: Origin, subpath: PathSegment[], message: string, part: 'key' | 'value' = 'value'): void {
    this.warnings.push(errorIn(origin, subpath, message, part));
  }
}

/** An export file as read: its value, where it came from, and the path it was given by. */
export interface ExportDocument {
  source: Source;
  value: unknown;
  /** the file's path, whose folders and name may carry a provider's UUID or name */
  path: string;
}

/** One export form: how to tell it by its content, and its reader. */
export interface ExportForm {
  /** the command or API call that prints it, as messages and docs/import.md name it */
  name: string;
  recognise(value: unknown): boolean;
  read(document: ExportDocument, diagnostics: Diagnostics): PartialPlan;
}

export function originOf(document: ExportDocument, path: PathSegment[] = []): Origin {
  return { source: document.source, path };
}

/** The reader of a form no plan can be made from: the export, at `path`, is refused with what to export instead. */
export function refused(path: PathSegment[], message: string): ExportForm['read'] {
  return (document, diagnostics) => {
    diagnostics.error(originOf(document, path), [], message);
    return emptyPartialPlan();
  };
}
