import type { CollectorFactory } from "../domain/inventory/ports";
import { CleverCloudInventory } from "./clevercloud/inventory";
import type { ProviderEnvironment } from "./environment";
import { OutscaleInventory } from "./outscale/inventory";

/** The inventory collector of a credential, from its full settings (validated when stored). */
export function inventoryCollectors(environment: ProviderEnvironment): CollectorFactory {
  return (credential) => {
    switch (credential.provider) {
      case "outscale":
        return new OutscaleInventory(credential.settings, environment);
      case "clevercloud":
        return new CleverCloudInventory(
          credential.settings,
          environment,
          credential.settings.organisationIds ?? [],
        );
      case "outscale-billing":
        // The catalogue gives billing-only keys no collector, so no sweep starts for one.
        throw new Error("outscale-billing credentials have no inventory collector");
    }
  };
}
