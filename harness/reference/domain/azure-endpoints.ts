// Where the pipeline's components talk to in Azure. Both endpoints are public HTTPS endpoints
// on 443 (REPL-PORT-CS-AZURE-MGMT, REPL-PORT-PS-AZURE-STORAGE, REPL-NET-PUBLIC-ENDPOINT).
export const azurePort = 443;

export const siteRecoveryServiceUrl = (region: string, vault: string, resource: string) =>
  `https://${region}.hypervrecoverymanager.windowsazure.com/vaults/${vault}/${resource}`;

export const protectedItemUrl = (region: string, vault: string, machine: string) =>
  siteRecoveryServiceUrl(region, vault, `replicationProtectedItems/${machine}`);

/**
 * A disk range cut into pieces of at most `maxBytes` (ReferenceChoices.storageRequestMaxBytes),
 * in order: one storage request each.
 */
export function requestRanges(
  offset: number,
  length: number,
  maxBytes: number,
): { offset: number; length: number }[] {
  const pieces: { offset: number; length: number }[] = [];
  for (let done = 0; done < length; done += maxBytes)
    pieces.push({ offset: offset + done, length: Math.min(maxBytes, length - done) });
  return pieces;
}

export const storagePageUrl = (account: string, vault: string, machine: string) =>
  `https://${account}.blob.core.windows.net/${vault}-replica/${machine}-disk0?comp=page`;

const knownPorts = new Map<string, number>();
/** The port a URL names (its scheme's default otherwise); remembered, as each machine asks every cycle. */
export const portOf = (url: string): number => {
  const known = knownPorts.get(url);
  if (known !== undefined) return known;
  const parsed = new URL(url);
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === "https:" ? 443 : 80;
  if (knownPorts.size >= 100_000) knownPorts.clear();
  knownPorts.set(url, port);
  return port;
};

/** The port storage page writes go to (storagePageUrl names none: HTTPS's default). */
export const storagePort = portOf(storagePageUrl("account", "vault", "machine"));
