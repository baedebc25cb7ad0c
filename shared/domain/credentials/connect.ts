import { ConnectTokenMismatch, NotFound } from "../errors";
import type { Clock, IdGenerator } from "../ports";
import type { SignatureMethod } from "../providers/clevercloud";
import type { Mode } from "../providers/types";
import type { Actor, CredentialService } from "./credentials";
import type { Credential, EncryptedSecrets, Tags } from "./model";
import type { SecretSealer } from "./ports";

/** Clever Cloud's side of the OAuth 1.0a dance (request token, authorize, access token). */
export interface OAuthDance {
  /** The API host the resulting credential will call. */
  readonly host: string;
  requestToken(
    consumer: { key: string; secret: string },
    method: SignatureMethod,
    callbackUrl: string,
  ): Promise<{ token: string; secret: string }>;
  authorizeUrl(requestToken: string): string;
  accessToken(
    consumer: { key: string; secret: string },
    method: SignatureMethod,
    requestToken: { key: string; secret: string },
    verifier: string,
  ): Promise<{ token: string; secret: string; expiresAt?: string }>;
}

/** A dance under way: the request-token secret and the consumer secret are kept sealed. */
export interface PendingConnection {
  tenant: string;
  id: string;
  subject: string;
  requestToken: string;
  consumerKey: string;
  signatureMethod: SignatureMethod;
  name: string;
  description?: string;
  modes?: Mode[];
  tags?: Tags;
  encryptedSecrets: EncryptedSecrets;
  createdAt: string;
  expiresAt: string;
}

export interface PendingConnectionStore {
  put(pending: PendingConnection): Promise<void>;
  /** Deletes and returns the pending connection (single use); undefined if absent. */
  take(tenant: string, id: string): Promise<PendingConnection | undefined>;
}

export interface StartConnectInput {
  name: string;
  consumerKey: string;
  consumerSecret: string;
  signatureMethod: SignatureMethod;
  callbackUrl?: string;
  description?: string;
  modes?: Mode[];
  tags?: Tags;
}

const PENDING_LIFETIME_MS = 10 * 60 * 1000;

/**
 * Connecting a Clever Cloud account without copying tokens by hand: start asks for a request
 * token and answers the URL the user approves at; the provider then redirects the browser to our
 * callback, which checks the token, trades the verifier for an access token and stores the
 * credential. The callback carries no bearer token: the single-use pending connection, the
 * unguessable ids and the provider's verifier are what authorise it.
 */
export class CleverCloudConnect {
  constructor(
    private readonly deps: {
      dance: OAuthDance;
      pending: PendingConnectionStore;
      sealer: SecretSealer;
      credentials: CredentialService;
      clock: Clock;
      ids: IdGenerator;
    },
  ) {}

  async start(
    actor: Actor,
    input: StartConnectInput,
    ourCallbackUrl: string,
  ): Promise<{ connectId: string; authorizeUrl: string; expiresAt: string }> {
    const id = this.deps.ids.newId();
    const callback = new URL(input.callbackUrl ?? ourCallbackUrl);
    callback.searchParams.set("tenant", actor.tenant);
    callback.searchParams.set("connect", id);
    const consumer = { key: input.consumerKey, secret: input.consumerSecret };
    const requestToken = await this.deps.dance.requestToken(
      consumer,
      input.signatureMethod,
      callback.toString(),
    );
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + PENDING_LIFETIME_MS).toISOString();
    await this.deps.pending.put({
      tenant: actor.tenant,
      id,
      subject: actor.subject,
      requestToken: requestToken.token,
      consumerKey: input.consumerKey,
      signatureMethod: input.signatureMethod,
      name: input.name,
      description: input.description,
      modes: input.modes,
      tags: input.tags,
      encryptedSecrets: await this.deps.sealer.seal(
        { consumerSecret: input.consumerSecret, requestTokenSecret: requestToken.secret },
        { tenant: actor.tenant, credentialId: id },
      ),
      createdAt: now.toISOString(),
      expiresAt,
    });
    return { connectId: id, authorizeUrl: this.deps.dance.authorizeUrl(requestToken.token), expiresAt };
  }

  async finish(callback: {
    tenant: string;
    connectId: string;
    oauthToken: string;
    oauthVerifier: string;
  }): Promise<Credential> {
    const pending = await this.deps.pending.take(callback.tenant, callback.connectId);
    if (!pending || pending.expiresAt <= this.deps.clock.now().toISOString()) {
      throw new NotFound("pending connection (expired or already used)");
    }
    if (pending.requestToken !== callback.oauthToken) throw new ConnectTokenMismatch();
    const sealed = await this.deps.sealer.open(pending.encryptedSecrets, {
      tenant: pending.tenant,
      credentialId: pending.id,
    });
    const consumer = { key: pending.consumerKey, secret: String(sealed.consumerSecret) };
    const access = await this.deps.dance.accessToken(
      consumer,
      pending.signatureMethod,
      { key: pending.requestToken, secret: String(sealed.requestTokenSecret) },
      callback.oauthVerifier,
    );
    const actor: Actor = { tenant: pending.tenant, subject: pending.subject };
    const { credential } = await this.deps.credentials.create(actor, {
      provider: "clevercloud",
      name: pending.name,
      description: pending.description,
      modes: pending.modes,
      tags: pending.tags,
      settings: {
        authType: "oauth1",
        consumerKey: pending.consumerKey,
        consumerSecret: consumer.secret,
        token: access.token,
        tokenSecret: access.secret,
        signatureMethod: pending.signatureMethod,
        apiVersion: "v2",
        host: this.deps.dance.host,
      },
    });
    return credential;
  }
}
