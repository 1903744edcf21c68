// Which machines a failover (or a test failover) takes extra processing for, written from 004
// "Failover processing" (catalog FO-PROCESSING-EXTRA), fed only by what the harness asked for
// when it arranged the machine: the machine kind and the guest facts of its request.
import { bootDrivers, type MachineRequest } from "../protocol/types.ts";

/** The extra processing 004 gives ("about 8 to 10 minutes"), seconds; srkit takes the figures as bounds. */
export const extraProcessingSeconds = { min: 8 * 60, max: 10 * 60 } as const;

/** The oldest Mobility service version that needs no extra processing (004: older than 9.8 does). */
const firstQuickMobility = [9, 8] as const;

/** Whether version "a.b" is older than "major.minor", part by part (9.10 is newer than 9.8). */
function olderThan(version: string, [major, minor]: readonly [number, number]): boolean {
  const [a = 0, b = 0] = version.split(".").map(Number);
  return a < major || (a === major && b < minor);
}

/**
 * Whether a failover of the machine arranged with `request` takes the extra processing: a
 * physical server (a Hyper-V VM protected as one included), or a VMware VM with a Mobility
 * service older than 9.8, running Linux, without DHCP, or lacking any of the five boot drivers.
 * Absent fields take the protocol's defaults (MachineRequest: Windows, Mobility 9.30, DHCP on,
 * every boot driver). A Hyper-V VM protected as such needs none.
 */
export function needsExtraProcessing(request: Omit<MachineRequest, "name">): boolean {
  if (request.kind === "physical-server") return true;
  if (request.kind !== "vmware-vm") return false;
  const drivers = request.bootDrivers ?? bootDrivers;
  return (
    olderThan(request.mobilityServiceVersion ?? "9.30", firstQuickMobility) ||
    (request.os ?? "windows") === "linux" ||
    request.dhcp === false ||
    bootDrivers.some((d) => !drivers.includes(d))
  );
}
