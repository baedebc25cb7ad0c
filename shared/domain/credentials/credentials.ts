import { createHash } from "node:crypto";
import type { CreateCredentialInput, UpdateCredentialInput } from "../../http/inputs";
import { credentialIdSchema } from "../../http/inputs";
import { type FieldProblem, InvalidInput, NotFound, VersionMismatch } from "../errors";
import type { Clock, IdGenerator, Page } from "../ports";
import { providerDefinition } from "../providers/catalogue";
import type { Mode, ProviderDefinition } from "../providers/types";
import { parseOrThrow } from "../validation";
import type { AuditEvent, CheckOutcome, Credential } from "./model";
import type {
  CredentialChecker,
  CredentialListQuery,
  CredentialStore,
  HostPolicy,
  SecretSealer,
} from "./ports";
import {
  changedSettingFields,
  joinSettings,
  mergeSettings,
  splitSettings,
  touchesSealedFields,
} from "./settings";

/** Who acts: the tenant everything belongs to, the subject recorded in the audit trail. */
export interface Actor {
  tenant: string;
  subject: string;
  requestId?: string;
}

export interface CredentialServiceDeps {
  store: CredentialStore;
  sealer: SecretSealer;
  checker: CredentialChecker;
  hostPolicy: HostPolicy;
  clock: Clock;
  ids: IdGenerator;
}

function checkModes(provider: ProviderDefinition, modes: readonly Mode[] | undefined): Mode[] {
  if (!modes) return [...provider.defaultModes];
  const refused = modes.filter((mode) => !provider.allowedModes.includes(mode));
  if (refused.length > 0) {
    throw new InvalidInput([
      {
        path: "modes",
        message: `${provider.id} credentials support only ${provider.allowedModes.join(", ")} (not ${refused.join(", ")})`,
      },
    ]);
  }
  return [...modes];
}

/** A stable hash of a request body, so an Idempotency-Key replay can tell "same request" from "other". */
export function requestHash(body: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, inner]) => [key, canonical(inner)]),
      );
    }
    return value;
  };
  return createHash("sha256")
    .update(JSON.stringify(canonical(body)))
    .digest("hex");
}

export class CredentialService {
  constructor(private readonly deps: CredentialServiceDeps) {}

  async create(
    actor: Actor,
    input: CreateCredentialInput,
    idempotencyKey?: string,
  ): Promise<{ credential: Credential; replayed: boolean }> {
    const provider = providerDefinition(input.provider);
    const modes = checkModes(provider, input.modes);
    await this.checkOutboundUrls(provider, input.settings);
    const id = this.deps.ids.newId();
    const now = this.deps.clock.now().toISOString();
    const split = splitSettings(provider, input.settings);
    const credential: Credential = {
      tenant: actor.tenant,
      id,
      name: input.name,
      provider: input.provider,
      description: input.description,
      modes,
      tags: input.tags ?? {},
      publicSettings: split.publicSettings,
      secretFields: split.secretFields,
      encryptedSecrets: await this.deps.sealer.seal(split.sealedSettings, {
        tenant: actor.tenant,
        credentialId: id,
      }),
      clusterCount: 0,
      validation: { status: "unknown" },
      version: 1,
      createdAt: now,
      createdBy: actor.subject,
      updatedAt: now,
      updatedBy: actor.subject,
      secretsRotatedAt: now,
    };
    const audit = this.auditEvent(actor, credential, "credential.created", {
      changedFields: ["name", ...Object.keys(input.settings).map((field) => `settings.${field}`)],
    });
    const claim = idempotencyKey ? { key: idempotencyKey, requestHash: requestHash(input) } : undefined;
    const { replayOf } = await this.deps.store.create(credential, audit, claim);
    if (replayOf) return { credential: await this.get(actor, replayOf), replayed: true };
    return { credential, replayed: false };
  }

  async get(actor: Actor, id: string): Promise<Credential> {
    if (!credentialIdSchema.safeParse(id).success) throw new NotFound("credential");
    const credential = await this.deps.store.get(actor.tenant, id);
    if (!credential) throw new NotFound("credential");
    return credential;
  }

  /** The credential with its full settings, secrets opened: for the jobs that call providers. */
  async settingsOf(
    actor: Actor,
    id: string,
  ): Promise<{ credential: Credential; settings: Record<string, unknown> }> {
    const credential = await this.get(actor, id);
    const sealed = await this.deps.sealer.open(credential.encryptedSecrets, {
      tenant: actor.tenant,
      credentialId: id,
    });
    return { credential, settings: joinSettings(credential.publicSettings, sealed) };
  }

  /** Credentials in a mode across every tenant: for the scheduled jobs, never for a request. */
  listInMode(mode: Mode) {
    return this.deps.store.listInMode(mode);
  }

  list(actor: Actor, query: CredentialListQuery): Promise<Page<Credential>> {
    return this.deps.store.list(actor.tenant, query);
  }

  async update(
    actor: Actor,
    id: string,
    expectedVersion: number | "any",
    patch: UpdateCredentialInput,
  ): Promise<Credential> {
    const current = await this.get(actor, id);
    if (expectedVersion !== "any" && current.version !== expectedVersion) {
      throw new VersionMismatch(expectedVersion, current.version);
    }
    const provider = providerDefinition(current.provider);
    const next: Credential = {
      ...current,
      version: current.version + 1,
      updatedAt: this.deps.clock.now().toISOString(),
      updatedBy: actor.subject,
    };
    const changedFields: string[] = [];
    if (patch.name !== undefined && patch.name !== current.name) {
      next.name = patch.name;
      changedFields.push("name");
    }
    if (patch.description !== undefined && patch.description !== current.description) {
      next.description = patch.description ?? undefined;
      changedFields.push("description");
    }
    if (patch.modes !== undefined) {
      next.modes = checkModes(provider, patch.modes);
      changedFields.push("modes");
    }
    if (patch.tags !== undefined) {
      next.tags = patch.tags ?? {};
      changedFields.push("tags");
    }
    let secretsRotated = false;
    if (patch.settings !== undefined) {
      const context = { tenant: actor.tenant, credentialId: id };
      const currentSettings = joinSettings(
        current.publicSettings,
        await this.deps.sealer.open(current.encryptedSecrets, context),
      );
      const merged = parseOrThrow(provider.settingsSchema, mergeSettings(currentSettings, patch.settings), [
        "settings",
      ]);
      await this.checkOutboundUrls(provider, merged);
      const changedSettings = changedSettingFields(currentSettings, merged);
      if (changedSettings.length > 0) {
        const split = splitSettings(provider, merged);
        next.publicSettings = split.publicSettings;
        next.secretFields = split.secretFields;
        next.encryptedSecrets = await this.deps.sealer.seal(split.sealedSettings, context);
        secretsRotated = touchesSealedFields(provider, changedSettings);
        if (secretsRotated) {
          next.secretsRotatedAt = next.updatedAt;
          // A new key has not been checked yet.
          next.validation = { status: "unknown" };
        }
        changedFields.push(...changedSettings.map((field) => `settings.${field}`));
      }
    }
    const audit = this.auditEvent(actor, next, "credential.updated", { changedFields, secretsRotated });
    await this.deps.store.update(current, next, audit);
    return next;
  }

  /** Stores what a job learned of the credential (a sweep refused with 401 marks it invalid). */
  async recordCheck(actor: Actor, id: string, outcome: CheckOutcome): Promise<void> {
    const credential = await this.get(actor, id);
    const validation = { ...outcome, checkedAt: this.deps.clock.now().toISOString() };
    await this.deps.store.recordValidation(
      credential,
      validation,
      this.auditEvent(actor, credential, "credential.validated", { validationStatus: validation.status }),
    );
  }

  /**
   * Calls the provider with the stored secrets and records what it said. The outcome is data
   * (valid, invalid, unreachable), never an error: a bad key is a normal answer.
   */
  async validate(actor: Actor, id: string): Promise<Credential> {
    const { credential, settings } = await this.settingsOf(actor, id);
    const outcome = await this.deps.checker.check(credential.provider, settings);
    const validation = { ...outcome, checkedAt: this.deps.clock.now().toISOString() };
    await this.deps.store.recordValidation(
      credential,
      validation,
      this.auditEvent(actor, credential, "credential.validated", { validationStatus: validation.status }),
    );
    return { ...credential, validation, lastUsedAt: validation.checkedAt };
  }

  async remove(actor: Actor, id: string, expectedVersion?: number): Promise<void> {
    const current = await this.get(actor, id);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new VersionMismatch(expectedVersion, current.version);
    }
    await this.deps.store.delete(
      current,
      expectedVersion,
      this.auditEvent(actor, current, "credential.deleted"),
    );
  }

  /** The SSRF guard on every URL field the service would call, naming the refused field. */
  private async checkOutboundUrls(
    provider: ProviderDefinition,
    settings: Record<string, unknown>,
  ): Promise<void> {
    const problems: FieldProblem[] = [];
    for (const [field, kind] of Object.entries(provider.outboundUrlFields)) {
      const value = settings[field];
      if (typeof value !== "string") continue;
      const problem = await this.deps.hostPolicy.check(value, kind);
      if (problem) problems.push({ path: `settings.${field}`, message: problem });
    }
    if (problems.length > 0) throw new InvalidInput(problems);
  }

  auditEvent(
    actor: Actor,
    credential: Credential,
    action: AuditEvent["action"],
    extra: Partial<AuditEvent> = {},
  ): AuditEvent {
    return {
      tenant: actor.tenant,
      id: this.deps.ids.newId(),
      at: this.deps.clock.now().toISOString(),
      actor: actor.subject,
      action,
      credentialId: credential.id,
      credentialName: credential.name,
      requestId: actor.requestId,
      ...extra,
    };
  }
}
