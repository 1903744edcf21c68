// Values the documents do not state; declared here (and in the protocol's conventions) so a
// reader sees every assumption in one place.

/** Crash-consistent recovery points are made this often (later public documentation says 5 minutes). */
export const crashConsistentIntervalSeconds = 5 * 60;
/** Process servers look for new VMware VMs this often, besides when a VMware server is added or refreshed. */
export const discoveryIntervalSeconds = 15 * 60;
/** How fast the initial copy moves, per minute of virtual time. */
export const initialCopyBytesPerMinute = 256 * 1024 * 1024;
/** How often a configuration server reports to the Site Recovery service when nothing else happens. */
export const serviceHeartbeatSeconds = 15 * 60;
/** One replication cycle per this many seconds of virtual time. */
export const cycleSeconds = 60;
/**
 * The seeds name no port for host-to-host Hyper-V replication (002 says LAN or VPN with
 * Kerberos or certificates) nor for Scout; the reference uses Hyper-V Replica's usual HTTP 80
 * with Kerberos and HTTPS 443 with certificates, and 9443 for Scout data. No check depends on them.
 */
export const hostReplicationPorts = { kerberos: 80, certificate: 443 } as const;
export const scoutDataPort = 9443;
/** How many machines a Scout master target protects unless arranged otherwise (002 gives no number). */
export const scoutMasterTargetCapacity = 8;
