// Where the pipeline's components talk to in Azure. Both endpoints are public HTTPS endpoints
// on 443 (REPL-PORT-CS-AZURE-MGMT, REPL-PORT-PS-AZURE-STORAGE, REPL-NET-PUBLIC-ENDPOINT).
export const azurePort = 443;

export const siteRecoveryServiceUrl = (region: string, vault: string, resource: string) =>
  `https://${region}.hypervrecoverymanager.windowsazure.com/vaults/${vault}/${resource}`;

export const protectedItemUrl = (region: string, vault: string, machine: string) =>
  siteRecoveryServiceUrl(region, vault, `replicationProtectedItems/${machine}`);

export const storagePageUrl = (account: string, vault: string, machine: string) =>
  `https://${account}.blob.core.windows.net/${vault}-replica/${machine}-disk0?comp=page`;

export const portOf = (url: string): number => {
  const parsed = new URL(url);
  if (parsed.port) return Number(parsed.port);
  return parsed.protocol === "https:" ? 443 : 80;
};
