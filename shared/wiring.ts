import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import { systemClock } from "./adapters/clock";
import { EnvelopeSealer } from "./adapters/crypto/envelope";
import { KmsDataKeys } from "./adapters/crypto/kms-key";
import { LocalKeyFile } from "./adapters/crypto/local-key";
import { DynamoDbCredentialStore } from "./adapters/dynamodb/credential-store";
import { ulidGenerator } from "./adapters/ids";
import type { RuntimeConfig } from "./config";
import { AuditTrail } from "./domain/audit";
import { ClusterAssociations } from "./domain/clusters";
import { CredentialService } from "./domain/credentials";
import type { ApiServices } from "./http/services";

/** Local mode talks to DynamoDB Local, which accepts any credentials. */
const LOCAL_AWS_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export function dynamoDbClient(config: RuntimeConfig): DynamoDBClient {
  return new DynamoDBClient(
    config.DEPLOY_MODE === "local"
      ? { endpoint: config.DYNAMODB_ENDPOINT, region: "us-east-1", credentials: LOCAL_AWS_CREDENTIALS }
      : { endpoint: config.DYNAMODB_ENDPOINT },
  );
}

/** The composition root: the same wiring serves the Lambda and the local stack; only the key source differs. */
export function wireServices(config: RuntimeConfig): ApiServices {
  const store = new DynamoDbCredentialStore(dynamoDbClient(config), config.TABLE_NAME);
  const dataKeys =
    config.DEPLOY_MODE === "local"
      ? LocalKeyFile.open(config.LOCAL_KEY_FILE!)
      : new KmsDataKeys(new KMSClient({}), config.KMS_KEY_ID!);
  const credentials = new CredentialService({
    store,
    sealer: new EnvelopeSealer(dataKeys),
    clock: systemClock,
    ids: ulidGenerator,
  });
  return {
    credentials,
    clusters: new ClusterAssociations({ store, clock: systemClock, credentials }),
    audit: new AuditTrail(store),
    appVersion: config.APP_VERSION,
  };
}
