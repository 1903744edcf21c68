// The REST API's action inputs, read into the protocol's requests. The shapes are those of
// api-version 2023-06-01 (TestFailoverInput, UnplannedFailoverInput, PlannedFailoverInput,
// ApplyRecoveryPointInput, ReverseReplicationInput, EnableProtectionInput,
// CreateRecoveryPlanInput and the recovery plan inputs). Where the API and the protocol name
// the same choice differently the mapping is written here once:
//   - a single machine's recovery point is an id, or none for the latest (InMageAzureV2,
//     HyperVReplicaAzure); InMage names LatestTime, LatestTag or Custom;
//   - a plan names a recovery point type per provider, with useMultiVmSyncPoint for the
//     multi-VM consistent points.
import type { RecoveryPointChoice, RecoveryPointOption } from "../../../protocol/types.ts";
import { ArmFailure, badInput } from "./arm-errors.ts";
import { lastSegment } from "./arm-path.ts";
import type { Provider } from "./world-view.ts";

export type Json = Record<string, unknown>;

export function objectAt(value: unknown, where: string): Json {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw badInput(`${where} must be an object`);
  return value as Json;
}

export function stringAt(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length === 0 || value.length > 1000)
    throw badInput(`${where} must be a non-empty string`);
  return value;
}

/** `properties` of an input body, and its `providerSpecificDetails` when it is one object. */
export function propertiesOf(body: unknown): { properties: Json; details?: Json } {
  const properties = objectAt(objectAt(body, "the body").properties, "properties");
  const raw = properties.providerSpecificDetails;
  if (raw === undefined || raw === null || Array.isArray(raw)) return { properties };
  return { properties, details: objectAt(raw, "properties.providerSpecificDetails") };
}

/** Refuses provider-specific input written for another replication provider. */
export function checkProvider(details: Json | undefined, allowed: string[]): void {
  const type = details?.instanceType;
  if (details && (typeof type !== "string" || !allowed.includes(type))) {
    throw new ArmFailure(
      400,
      "InvalidProviderSpecificInput",
      `providerSpecificDetails.instanceType '${String(type)}' does not fit this item (expected ${allowed.join(" or ")})`,
    );
  }
}

const inMageTypes: Record<string, RecoveryPointOption> = {
  LatestTime: "Latest",
  LatestTag: "LatestApplicationConsistent",
  Custom: "Custom",
};

/** A single machine's recovery point: an id (Custom), or none for the latest. */
export function itemChoice(provider: Provider, details: Json | undefined): RecoveryPointChoice {
  const id = stringAt(details?.recoveryPointId, "providerSpecificDetails.recoveryPointId");
  if (provider === "InMage") {
    const typeName =
      stringAt(details?.recoveryPointType, "providerSpecificDetails.recoveryPointType") ?? "LatestTime";
    const type = inMageTypes[typeName];
    if (!type) throw badInput(`recoveryPointType '${typeName}' is not LatestTime, LatestTag or Custom`);
    if (type !== "Custom") return { type };
    if (!id) throw badInput("a Custom recovery point type needs providerSpecificDetails.recoveryPointId");
    return { type, recoveryPointId: lastSegment(id) };
  }
  return id ? { type: "Custom", recoveryPointId: lastSegment(id) } : { type: "Latest" };
}

const planTypes: Record<string, RecoveryPointOption> = {
  Latest: "Latest",
  LatestProcessed: "LatestProcessed",
  LatestApplicationConsistent: "LatestApplicationConsistent",
  LatestTime: "Latest",
  LatestTag: "LatestApplicationConsistent",
};
const multiVm: Partial<Record<RecoveryPointOption, RecoveryPointOption>> = {
  LatestProcessed: "LatestMultiVmProcessed",
  LatestApplicationConsistent: "LatestMultiVmApplicationConsistent",
};

/**
 * A plan's recovery point option from its per-provider inputs. srkit applies one option to
 * the whole plan, so inputs that disagree are refused; none means Latest.
 */
export function planChoice(body: Json): RecoveryPointChoice {
  const list = body.providerSpecificDetails;
  if (list !== undefined && !Array.isArray(list))
    throw badInput("properties.providerSpecificDetails of a recovery plan input is an array");
  const options = new Set<RecoveryPointOption>();
  for (const [i, raw] of (list ?? []).entries()) {
    const entry = objectAt(raw, `providerSpecificDetails[${i}]`);
    if (entry.instanceType === "HyperVReplicaAzureFailback") continue;
    const typeName = stringAt(entry.recoveryPointType, `providerSpecificDetails[${i}].recoveryPointType`);
    if (typeName === undefined) continue;
    if (typeName === "Custom") {
      // FO-RP-CUSTOM: a custom point is for single machines only.
      throw new ArmFailure(
        409,
        "RECOVERY_POINT_CUSTOM_NOT_FOR_PLANS",
        "a recovery plan cannot fail over to a custom point",
      );
    }
    let option = planTypes[typeName];
    if (!option) throw badInput(`recoveryPointType '${typeName}' is not one of the documented options`);
    if (entry.useMultiVmSyncPoint === "UseMultiVmSyncRecoveryPoint") option = multiVm[option] ?? option;
    options.add(option);
  }
  if (options.size > 1) throw badInput("the providers of a plan must name the same recovery point option");
  return { type: [...options][0] ?? "Latest" };
}

/** Hyper-V failback: when the data is synchronised (HyperVReplicaAzureFailback dataSyncOption). */
export function synchronizationOf(
  details: Json | undefined,
): "BeforeFailover" | "DuringFailoverOnly" | undefined {
  const option = stringAt(details?.dataSyncOption, "dataSyncOption");
  if (option === undefined) return undefined;
  if (option === "ForSynchronization") return "BeforeFailover";
  if (option === "ForDownTime") return "DuringFailoverOnly";
  throw badInput(`dataSyncOption '${option}' is not ForDownTime or ForSynchronization`);
}

/** The first HyperVReplicaAzureFailback entry of a plan's inputs. */
export function planFailbackDetails(body: Json): Json | undefined {
  const list = Array.isArray(body.providerSpecificDetails) ? body.providerSpecificDetails : [];
  return list.find(
    (e): e is Json => objectAt(e, "providerSpecificDetails[]").instanceType === "HyperVReplicaAzureFailback",
  );
}

/** failoverDirection as the protocol's reprotect direction. */
export function directionOf(value: unknown): "AzureToOnPremises" | "OnPremisesToAzure" | undefined {
  const direction = stringAt(value, "properties.failoverDirection");
  if (direction === undefined) return undefined;
  if (direction === "RecoveryToPrimary") return "AzureToOnPremises";
  if (direction === "PrimaryToRecovery") return "OnPremisesToAzure";
  throw badInput(`failoverDirection '${direction}' is not PrimaryToRecovery or RecoveryToPrimary`);
}

/** Names of the machines a CreateRecoveryPlanInput's groups hold, in order, once each. */
export function planMachines(properties: Json): string[] {
  const groups = properties.groups;
  if (!Array.isArray(groups) || groups.length === 0)
    throw badInput("properties.groups must list the plan's groups");
  const names: string[] = [];
  for (const [i, raw] of groups.entries()) {
    const items = objectAt(raw, `groups[${i}]`).replicationProtectedItems ?? [];
    if (!Array.isArray(items)) throw badInput(`groups[${i}].replicationProtectedItems must be an array`);
    for (const [j, item] of items.entries()) {
      const id = stringAt(objectAt(item, `groups[${i}].replicationProtectedItems[${j}]`).id, "id");
      if (!id) throw badInput(`groups[${i}].replicationProtectedItems[${j}].id is missing`);
      const name = lastSegment(id);
      if (!names.includes(name)) names.push(name);
    }
  }
  if (names.length === 0) throw badInput("a recovery plan protects at least one item");
  return names;
}

/** The drill network a test failover input names (networkId), as srkit's network name. */
export function drillNetwork(properties: Json): string {
  const network = stringAt(properties.networkId, "properties.networkId");
  if (!network) throw badInput("a test failover names the network of the drill in properties.networkId");
  return lastSegment(network);
}

/** sourceSiteOperations: Required asks the failover to shut the source down first. */
export function shutDownSource(properties: Json): boolean {
  const site = stringAt(properties.sourceSiteOperations, "properties.sourceSiteOperations") ?? "NotRequired";
  if (site !== "Required" && site !== "NotRequired")
    throw badInput(`sourceSiteOperations '${site}' is not Required or NotRequired`);
  return site === "Required";
}
