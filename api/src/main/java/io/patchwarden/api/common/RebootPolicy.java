package io.patchwarden.api.common;

/** When a target may be rebooted after installing updates. */
public enum RebootPolicy {
  /** Reboot only when the host reports that a reboot is required. */
  IfRequired,
  /** Always reboot after installing. */
  Always,
  /** Never reboot; a required reboot is tracked as PendingReboot. */
  Never
}
