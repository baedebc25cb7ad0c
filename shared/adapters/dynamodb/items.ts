import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { AuditEvent, ClusterAssociation, Credential } from "../../domain/credentials/model";
import { credentialNameKey } from "../../domain/credentials/model";
import { keys } from "./keys";

type Item = Record<string, AttributeValue>;

export const toItem = (value: Record<string, unknown>): Item =>
  marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: false });

/** The credential's own attributes, without keys: what an update may SET. */
export function credentialAttributes(credential: Credential): Record<string, unknown> {
  const { tenant: _tenant, id: _id, ...attributes } = credential;
  return {
    ...attributes,
    nameKey: credentialNameKey(credential.name),
    gsi1pk: keys.credentialsByName(credential.tenant),
    gsi1sk: `${credentialNameKey(credential.name)}#${credential.id}`,
    // Sparse indexes of the credentials in each mode, across tenants, for the scheduled jobs.
    gsi2pk: credential.modes.includes("finops") ? keys.modeIndex("finops") : undefined,
    gsi2sk: credential.modes.includes("finops") ? `${credential.tenant}#${credential.id}` : undefined,
    gsi3pk: credential.modes.includes("inventory") ? keys.modeIndex("inventory") : undefined,
    gsi3sk: credential.modes.includes("inventory") ? `${credential.tenant}#${credential.id}` : undefined,
  };
}

export function credentialItem(credential: Credential): Item {
  return toItem({
    pk: keys.tenant(credential.tenant),
    sk: keys.credential(credential.id),
    entity: "credential",
    tenant: credential.tenant,
    id: credential.id,
    ...credentialAttributes(credential),
  });
}

export function credentialFromItem(item: Item): Credential {
  const {
    pk: _pk,
    sk: _sk,
    entity: _entity,
    nameKey: _nameKey,
    gsi1pk: _g1,
    gsi1sk: _g2,
    ...rest
  } = unmarshall(item);
  return rest as Credential;
}

export function nameGuardItem(credential: Credential): Item {
  return toItem({
    pk: keys.tenant(credential.tenant),
    sk: keys.nameGuard(credentialNameKey(credential.name)),
    entity: "name-guard",
    credentialId: credential.id,
  });
}

export function associationItem(association: ClusterAssociation): Item {
  return toItem({
    pk: keys.tenant(association.tenant),
    sk: keys.cluster(association.credentialId, association.clusterId),
    entity: "cluster-association",
    ...association,
  });
}

export function associationFromItem(item: Item): ClusterAssociation {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = unmarshall(item);
  return rest as ClusterAssociation;
}

export function auditItem(event: AuditEvent): Item {
  return toItem({
    pk: keys.tenant(event.tenant),
    sk: keys.audit(event.at, event.id),
    entity: "audit-event",
    gsi1pk: keys.auditByCredential(event.tenant, event.credentialId),
    gsi1sk: `${event.at}#${event.id}`,
    ...event,
  });
}

export function auditFromItem(item: Item): AuditEvent {
  const { pk: _pk, sk: _sk, entity: _entity, gsi1pk: _g1, gsi1sk: _g2, ...rest } = unmarshall(item);
  return rest as AuditEvent;
}

/** `SET a = :a, ...` (and REMOVE for undefined values) for an UpdateItem of plain attributes. */
export function updateExpression(attributes: Record<string, unknown>): {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Item;
} {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  Object.entries(attributes).forEach(([name, value], index) => {
    names[`#a${index}`] = name;
    if (value === undefined) {
      removes.push(`#a${index}`);
    } else {
      values[`:a${index}`] = value;
      sets.push(`#a${index} = :a${index}`);
    }
  });
  const expression = [`SET ${sets.join(", ")}`, removes.length ? `REMOVE ${removes.join(", ")}` : ""].join(
    " ",
  );
  return {
    UpdateExpression: expression.trim(),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: toItem(values),
  };
}
