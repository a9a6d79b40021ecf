// What Nova's compute API, conductor and virt driver refuse about a move before or after
// any claim, in Nova's words (docs/semantics.md, "Moves"). The claims themselves, and what
// each host holds while a move is unconfirmed, are CloudState's.
import type { Flavor, MoveEndRequest, MoveOperation } from '../core/model.ts';
import { failure, success, type Result } from '../core/result.ts';

/** What the API lets through: each check below answers it, or the text of Nova's refusal. */
export const ACCEPTED: Result<void> = success(undefined);

/** The states an instance can be in as a replay sees it (nova/compute/vm_states.py). */
export type VmState = 'active' | 'resized' | 'error';

type InstanceAction = MoveOperation | MoveEndRequest['op'];

/** The API action each request is, as nova/api/openstack/common.py names it in a conflict. */
const API_ACTIONS: Record<InstanceAction, string> = {
  resize: 'resize',
  migrate: 'migrate',
  live_migrate: 'os-migrateLive',
  evacuate: 'evacuate',
  confirm: 'confirmResize',
  revert: 'revertResize',
};

/**
 * The vm_states each action accepts (nova/compute/api.py `check_instance_state` on
 * `resize`, `live_migrate`, `evacuate`, `confirm_resize`, `revert_resize`, Zed): an
 * unconfirmed move must be confirmed or reverted before anything else moves the instance.
 */
const ACCEPTED_STATES: Record<InstanceAction, readonly VmState[]> = {
  resize: ['active'],
  migrate: ['active'],
  live_migrate: ['active'],
  evacuate: ['active', 'error'],
  confirm: ['resized'],
  revert: ['resized'],
};

/**
 * InstanceInvalidState as the API answers it (nova/api/openstack/common.py
 * `raise_http_conflict_for_instance_invalid_state`).
 */
export function checkInstanceState(action: InstanceAction, instance: string, state: VmState): Result<void> {
  if (ACCEPTED_STATES[action].includes(state)) return ACCEPTED;
  return failure(`Cannot '${API_ACTIONS[action]}' instance ${instance} while it is in vm_state ${state}`);
}

/**
 * What the API refuses about a resize's new flavor (nova/compute/api.py `resize`):
 * the same flavor (CannotResizeToSameFlavor), and a flavor without a root disk for an
 * instance that has one on local disk (CannotResizeDisk).
 */
export function checkResizeFlavor(current: Flavor, next: Flavor, bootFromVolume: boolean): Result<void> {
  if (current.name === next.name) return failure('When resizing, instances must change flavor!');
  if (!bootFromVolume && next.root_gb === 0 && current.root_gb !== 0) {
    return failure('Server disk was unable to be resized because: Resize to zero disk flavor is not allowed.');
  }
  return ACCEPTED;
}

/**
 * The libvirt driver's refusal once the destination has claimed
 * (nova/virt/libvirt/driver.py `migrate_disk_and_power_off`): a disk may grow, never
 * shrink; a root disk on a volume is not the driver's to resize. The destination's claim
 * is then dropped and the instance stays where it was.
 */
export function checkDiskResize(current: Flavor, next: Flavor, bootFromVolume: boolean): Result<void> {
  const rootDown = next.root_gb < current.root_gb && !bootFromVolume;
  if (!rootDown && next.ephemeral_gb >= current.ephemeral_gb) return ACCEPTED;
  return failure('Resize error: Unable to resize disk down.');
}

/** nova/api/openstack/compute/evacuate.py, when the destination asked for is `instance.host` (None included). */
export const EVACUATION_TO_OWN_HOST = "The target host can't be the same one.";

/**
 * A destination named on the request that is the host the instance is on, for a cold
 * migration or a resize (nova/compute/api.py `_get_host_for_migration`,
 * CannotMigrateToSameHost, unless allow_resize_to_same_host lets a resize stay). A live
 * migration is sent to the scheduler, which ignores the source and finds no host; an
 * evacuation's is EVACUATION_TO_OWN_HOST.
 */
export function checkSameHostMove(operation: Exclude<MoveOperation, 'evacuate'>, allowResizeToSameHost: boolean): Result<void> {
  if (operation === 'live_migrate' || mayStayOnSource(operation, allowResizeToSameHost)) return ACCEPTED;
  return failure('Cannot migrate to the host where the server exists.');
}

/**
 * Whether the move may land on the host the instance is on. Never for a migration or
 * an evacuation; a resize when nova.conf allows it (nova/compute/api.py
 * `_allow_resize_to_same_host`; libvirt reports no COMPUTE_SAME_HOST_COLD_MIGRATE trait).
 */
export function mayStayOnSource(operation: MoveOperation, allowResizeToSameHost: boolean): boolean {
  return operation === 'resize' && allowResizeToSameHost;
}
