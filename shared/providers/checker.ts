import type { CheckOutcome } from "../domain/credentials/model";
import type { CredentialChecker } from "../domain/credentials/ports";
import type { ProviderSettings } from "../domain/providers/catalogue";
import { checkCleverCloudIdentity } from "./clevercloud/identity";
import type { ProviderEnvironment } from "./environment";
import { checkOutscaleIdentity } from "./outscale/identity";
import { checkBillingBuckets } from "./outscale/oos";

/** Asks the real provider whether a credential works; the settings were validated on write. */
export class ProviderChecker implements CredentialChecker {
  constructor(private readonly environment: ProviderEnvironment) {}

  check(credential: ProviderSettings): Promise<CheckOutcome> {
    switch (credential.provider) {
      case "outscale":
        return checkOutscaleIdentity(credential.settings, this.environment);
      case "outscale-billing":
        return checkBillingBuckets(credential.settings, credential.settings.buckets, this.environment);
      case "clevercloud":
        return checkCleverCloudIdentity(credential.settings, this.environment);
    }
  }
}
