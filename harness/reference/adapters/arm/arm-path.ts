// Reads an Azure Resource Manager path of the Site Recovery REST API (api-version 2023-06-01)
// into the resource it names. ARM treats the fixed segments of a path case-insensitively
// (the service's own ids begin "/Subscriptions/..."), so they are compared in lower case;
// names keep their case.

export const apiVersion = "2023-06-01";

/** The resource path of a vault, as ARM ids spell it. */
export const vaultPath = (subscription: string, resourceGroup: string, vault: string) =>
  `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${vault}`;

export interface ArmPath {
  subscription: string;
  resourceGroup: string;
  vault: string;
  /** The segments after the vault, e.g. ["replicationFabrics", "cs1", ...] (names decoded). */
  rest: string[];
}

/**
 * Splits `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.RecoveryServices/vaults/{v}/...`.
 * @returns undefined when the path is not under a Recovery Services vault.
 */
export function parseArmPath(pathname: string): ArmPath | undefined {
  const parts = pathname.split("/").filter((p) => p.length > 0);
  let decoded: string[];
  try {
    decoded = parts.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
  const [s, subscription, r, resourceGroup, p, provider, v, vault, ...rest] = decoded;
  if (
    s?.toLowerCase() !== "subscriptions" ||
    r?.toLowerCase() !== "resourcegroups" ||
    p?.toLowerCase() !== "providers" ||
    provider?.toLowerCase() !== "microsoft.recoveryservices" ||
    v?.toLowerCase() !== "vaults" ||
    !subscription ||
    !resourceGroup ||
    !vault
  ) {
    return undefined;
  }
  return { subscription, resourceGroup, vault, rest };
}

/**
 * Matches the segments after the vault against a pattern such as
 * `replicationFabrics/{fabric}/replicationProtectionContainers`: fixed words compare
 * case-insensitively, `{x}` captures a name.
 */
export function matchSegments(rest: string[], pattern: string): Record<string, string> | undefined {
  const words = pattern.split("/");
  if (words.length !== rest.length) return undefined;
  const captured: Record<string, string> = {};
  for (const [i, word] of words.entries()) {
    const actual = rest[i] ?? "";
    const name = /^\{(\w+)\}$/.exec(word)?.[1];
    if (name) captured[name] = actual;
    else if (word.toLowerCase() !== actual.toLowerCase()) return undefined;
  }
  return captured;
}

/** The name at the end of an ARM id (`.../recoveryPoints/p1` gives `p1`), or the text itself. */
export const lastSegment = (id: string) =>
  id
    .split("/")
    .filter((p) => p.length > 0)
    .at(-1) ?? id;
