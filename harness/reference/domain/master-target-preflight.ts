// The install rules of an on-premises master target (001 prerequisites and the Linux master
// target procedure): each broken rule refuses the registration with its own code.
import type { LinuxInstall, MasterTargetRequest } from "../../protocol/types.ts";
import { Refusal } from "./refusal.ts";

export const linuxMasterTargetDistribution = "CentOS 6.6 minimal";
/** FB-MT-LINUX-PARTITIONS: the custom layout's ext4 partitions, plus a swap partition. */
export const linuxMasterTargetExt4Mounts = ["/", "/var/crash", "/home"];
/** FB-MT-LINUX-PACKAGES: the packages of the documented yum command. */
export const linuxMasterTargetPackages = ["xfsprogs", "perl", "lsscsi", "rsync", "wget", "kexec-tools"];

/** A Linux master target nobody described: installed exactly as documented. */
export const documentedLinuxInstall: Required<LinuxInstall> = {
  distribution: linuxMasterTargetDistribution,
  partitions: [
    ...linuxMasterTargetExt4Mounts.map((mount) => ({ mount, fsType: "ext4" })),
    { mount: "swap", fsType: "swap" },
  ],
  packages: [...linuxMasterTargetPackages],
  applyCustomChangesRuns: 1,
};

/**
 * The install rules of 001, in the order the documents give them; `diskEnableUuidValues` are the
 * disk.EnableUUID values this target registers (True; 001's prerequisites also write true).
 * @throws Refusal 409 with the code of the first rule broken; nothing is registered.
 */
export function checkMasterTargetInstall(req: MasterTargetRequest, diskEnableUuidValues: string[]): void {
  // FB-MT-DISK-UUID: the VMware row must exist and read True (case-sensitive, no quotes).
  if (req.diskEnableUuid === null || !diskEnableUuidValues.includes(req.diskEnableUuid ?? "True")) {
    throw new Refusal(
      409,
      "MASTER_TARGET_DISK_UUID_NOT_TRUE",
      req.diskEnableUuid === null
        ? "the master target VM has no disk.EnableUUID configuration parameter; add it with the value True"
        : `disk.EnableUUID is '${req.diskEnableUuid}'; it must read ${diskEnableUuidValues.join(" or ")}`,
    );
  }
  if (req.os !== "linux") return;
  const linux = { ...documentedLinuxInstall, ...req.linux };
  if (linux.distribution !== linuxMasterTargetDistribution) {
    throw new Refusal(
      409,
      "MASTER_TARGET_OS_NOT_SUPPORTED",
      `a Linux master target runs ${linuxMasterTargetDistribution} only, not '${linux.distribution}'`,
    );
  }
  const ext4 = new Set(linux.partitions.filter((p) => p.fsType === "ext4").map((p) => p.mount));
  const missing = linuxMasterTargetExt4Mounts.filter((m) => !ext4.has(m));
  if (missing.length > 0 || !linux.partitions.some((p) => p.fsType === "swap")) {
    throw new Refusal(
      409,
      "MASTER_TARGET_PARTITIONS_INVALID",
      `the layout needs ${linuxMasterTargetExt4Mounts.join(", ")} as ext4 and a swap partition` +
        (missing.length > 0 ? `; missing: ${missing.join(", ")}` : "; no swap partition"),
    );
  }
  const absent = linuxMasterTargetPackages.filter((p) => !linux.packages.includes(p));
  if (absent.length > 0) {
    throw new Refusal(409, "MASTER_TARGET_PACKAGES_MISSING", `packages not installed: ${absent.join(", ")}`);
  }
  if (linux.applyCustomChangesRuns !== 1) {
    throw new Refusal(
      409,
      "MASTER_TARGET_CUSTOM_CHANGES_NOT_APPLIED_ONCE",
      `ApplyCustomChanges.sh ran ${linux.applyCustomChangesRuns} times; it must run exactly once`,
    );
  }
}
