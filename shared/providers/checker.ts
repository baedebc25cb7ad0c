import type { CheckOutcome } from "../domain/credentials/model";
import type { CredentialChecker } from "../domain/credentials/ports";
import type { Settings } from "../domain/credentials/settings";
import type { ProviderId } from "../domain/providers/types";
import type { CleverCloudAuth } from "./clevercloud/client";
import { checkCleverCloudIdentity } from "./clevercloud/identity";
import type { ProviderEnvironment } from "./environment";
import { checkOutscaleIdentity } from "./outscale/identity";
import { type BillingBucket, checkBillingBuckets } from "./outscale/oos";

/** Asks the real provider whether a credential works; the settings were validated on write. */
export class ProviderChecker implements CredentialChecker {
  constructor(private readonly environment: ProviderEnvironment) {}

  check(provider: ProviderId, settings: Settings): Promise<CheckOutcome> {
    switch (provider) {
      case "outscale":
        return checkOutscaleIdentity(
          {
            accessKey: String(settings.accessKey),
            secretKey: String(settings.secretKey),
            accountId: String(settings.accountId),
            region: String(settings.region),
            proxy: typeof settings.proxy === "string" ? settings.proxy : undefined,
          },
          this.environment,
        );
      case "outscale-billing":
        return checkBillingBuckets(
          {
            billingAccessKey: String(settings.billingAccessKey),
            billingSecretKey: String(settings.billingSecretKey),
          },
          settings.buckets as BillingBucket[],
          this.environment,
        );
      case "clevercloud":
        return checkCleverCloudIdentity(settings as unknown as CleverCloudAuth, this.environment);
    }
  }
}
