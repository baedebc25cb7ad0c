import { InvalidInput, NotFound, VersionMismatch } from "../errors";
import type { Clock, IdGenerator, Page } from "../ports";
import { allowedModes, type ProviderSettings, providerDefinition } from "../providers/catalogue";
import type { Mode, ProviderDefinition } from "../providers/types";
import { parseOrThrow } from "../validation";
import { requestHash } from "./idempotency";
import { credentialIdSchema } from "./ids";
import type {
  AuditEvent,
  CheckOutcome,
  CreateCredentialInput,
  Credential,
  UpdateCredentialInput,
  ValidationResult,
} from "./model";
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
  outboundUrlProblems,
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

/** `validate`: check the credential against its provider and store the outcome in the same write. */
export interface WriteOptions {
  validate?: boolean;
}

function checkModes(provider: ProviderDefinition, modes: readonly Mode[] | undefined): Mode[] {
  if (!modes) return [...provider.defaultModes];
  const allowed = allowedModes(provider.id);
  const refused = modes.filter((mode) => !allowed.includes(mode));
  if (refused.length > 0) {
    throw new InvalidInput([
      {
        path: "modes",
        message: `${provider.id} credentials support only ${allowed.join(", ")} (not ${refused.join(", ")})`,
      },
    ]);
  }
  return [...modes];
}

export class CredentialService {
  constructor(private readonly deps: CredentialServiceDeps) {}

  async create(
    actor: Actor,
    input: CreateCredentialInput,
    options: WriteOptions & { idempotencyKey?: string } = {},
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
    const audits = [
      this.auditEvent(actor, credential, "credential.created", {
        changedFields: ["name", ...Object.keys(input.settings).map((field) => `settings.${field}`)],
      }),
    ];
    if (options.validate) audits.push(await this.checkInto(actor, credential, input));
    const claim = options.idempotencyKey
      ? { key: options.idempotencyKey, requestHash: requestHash(input) }
      : undefined;
    const { replayOf } = await this.deps.store.create(credential, audits, claim);
    if (replayOf) return { credential: await this.get(actor, replayOf), replayed: true };
    return { credential, replayed: false };
  }

  async get(actor: Actor, id: string): Promise<Credential> {
    if (!credentialIdSchema.safeParse(id).success) throw new NotFound("credential");
    const credential = await this.deps.store.get(actor.tenant, id);
    if (!credential) throw new NotFound("credential");
    return credential;
  }

  /**
   * The credential with its full settings, secrets opened and typed by provider: for the jobs
   * that call providers. The settings are parsed again with the provider's schema, so a stored
   * item that no longer matches it fails here, by field, rather than deep inside a provider call.
   */
  async settingsOf(actor: Actor, id: string): Promise<{ credential: Credential; opened: ProviderSettings }> {
    const credential = await this.get(actor, id);
    return { credential, opened: await this.open(credential) };
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
    options: WriteOptions = {},
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
    // Opened once: for the settings patch and for the check alike.
    let opened: ProviderSettings | undefined;
    if (patch.settings !== undefined) {
      const context = { tenant: actor.tenant, credentialId: id };
      const currentSettings = joinSettings(
        current.publicSettings,
        await this.deps.sealer.open(current.encryptedSecrets, context),
      );
      const merged = parseOrThrow(provider.settingsSchema, mergeSettings(currentSettings, patch.settings), [
        "settings",
      ]);
      opened = { provider: current.provider, settings: merged } as ProviderSettings;
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
    const audits = [this.auditEvent(actor, next, "credential.updated", { changedFields, secretsRotated })];
    if (options.validate)
      audits.push(await this.checkInto(actor, next, opened ?? (await this.open(current))));
    await this.deps.store.update(current, next, audits);
    return next;
  }

  /** Stores what a job learned of the credential (a sweep refused with 401 marks it invalid). */
  async recordCheck(actor: Actor, id: string, outcome: CheckOutcome): Promise<void> {
    const credential = await this.get(actor, id);
    await this.storeCheck(actor, credential, this.checked(outcome));
  }

  /**
   * Calls the provider with the stored secrets and records what it said. The outcome is data
   * (valid, invalid, unreachable), never an error: a bad key is a normal answer.
   */
  async validate(actor: Actor, id: string): Promise<Credential> {
    const { credential, opened } = await this.settingsOf(actor, id);
    const validation = this.checked(await this.deps.checker.check(opened));
    await this.storeCheck(actor, credential, validation);
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

  private async open(credential: Credential): Promise<ProviderSettings> {
    const sealed = await this.deps.sealer.open(credential.encryptedSecrets, {
      tenant: credential.tenant,
      credentialId: credential.id,
    });
    const settings = parseOrThrow(
      providerDefinition(credential.provider).settingsSchema,
      joinSettings(credential.publicSettings, sealed),
      ["settings"],
    );
    return { provider: credential.provider, settings } as ProviderSettings;
  }

  private checked(outcome: CheckOutcome): ValidationResult {
    return { ...outcome, checkedAt: this.deps.clock.now().toISOString() };
  }

  /** Checks `credential` (about to be written) with `opened`, sets the outcome on it, answers its audit event. */
  private async checkInto(
    actor: Actor,
    credential: Credential,
    opened: ProviderSettings,
  ): Promise<AuditEvent> {
    const validation = this.checked(await this.deps.checker.check(opened));
    credential.validation = validation;
    credential.lastUsedAt = validation.checkedAt;
    return this.auditEvent(actor, credential, "credential.validated", {
      validationStatus: validation.status,
    });
  }

  private storeCheck(actor: Actor, credential: Credential, validation: ValidationResult): Promise<void> {
    return this.deps.store.recordValidation(
      credential,
      validation,
      this.auditEvent(actor, credential, "credential.validated", { validationStatus: validation.status }),
    );
  }

  /** The SSRF guard on every URL field the service would call, naming the refused field. */
  private async checkOutboundUrls(provider: ProviderDefinition, settings: object): Promise<void> {
    const problems = await outboundUrlProblems(provider, settings, this.deps.hostPolicy);
    if (problems.length > 0) throw new InvalidInput(problems);
  }
}
