// The image properties Nova's ImageMetaProps object has a field for (nova/objects/image_meta.py,
// Nova 26). AggregateImagePropertiesIsolation reads a metadata key from the image only when
// it is one of these: `ImageMetaProps.get` raises AttributeError for any other name, and the
// filter logs a warning and skips the key (docs/semantics.md, "Filters").
import { architecture, hypervisorType, vmMode } from './image-properties.ts';

export const IMAGE_META_PROPS_FIELDS: ReadonlySet<string> = new Set([
  'hw_architecture', 'hw_auto_disk_config', 'hw_boot_menu', 'hw_cdrom_bus', 'hw_cpu_cores', 'hw_cpu_max_cores', 'hw_cpu_max_sockets',
  'hw_cpu_max_threads', 'hw_cpu_policy', 'hw_cpu_realtime_mask', 'hw_cpu_sockets', 'hw_cpu_thread_policy', 'hw_cpu_threads', 'hw_device_id',
  'hw_disk_bus', 'hw_disk_type', 'hw_emulation_architecture', 'hw_ephemeral_encryption', 'hw_ephemeral_encryption_format', 'hw_firmware_type',
  'hw_floppy_bus', 'hw_input_bus', 'hw_ipxe_boot', 'hw_locked_memory', 'hw_machine_type', 'hw_mem_encryption', 'hw_mem_page_size',
  'hw_numa_cpus', 'hw_numa_mem', 'hw_numa_nodes', 'hw_pci_numa_affinity_policy', 'hw_pmu', 'hw_pointer_model', 'hw_qemu_guest_agent',
  'hw_rescue_bus', 'hw_rescue_device', 'hw_rng_model', 'hw_scsi_model', 'hw_serial_port_count', 'hw_time_hpet', 'hw_tpm_model',
  'hw_tpm_version', 'hw_video_model', 'hw_video_ram', 'hw_vif_model', 'hw_vif_multiqueue_enabled', 'hw_viommu_model', 'hw_vm_mode',
  'hw_watchdog_action', 'img_bdm_v2', 'img_bittorrent', 'img_block_device_mapping', 'img_cache_in_nova', 'img_compression_level',
  'img_config_drive', 'img_hide_hypervisor_id', 'img_hv_requested_version', 'img_hv_type', 'img_linked_clone', 'img_mappings',
  'img_owner_id', 'img_root_device_name', 'img_signature', 'img_signature_certificate_uuid', 'img_signature_hash_method',
  'img_signature_key_type', 'img_use_agent', 'img_version', 'os_admin_user', 'os_command_line', 'os_distro', 'os_require_quiesce',
  'os_secure_boot', 'os_skip_agent_inject_files_at_boot', 'os_skip_agent_inject_ssh', 'os_type', 'traits_required',
]);

/** A property's value as its ImageMetaProps field holds it: the enumerations the filters read in their canonical names. */
export function imagePropertyValue(key: string, value: string): string {
  if (key === 'hw_architecture') return architecture(value);
  if (key === 'img_hv_type') return hypervisorType(value);
  return key === 'hw_vm_mode' ? vmMode(value) : value;
}
