/**
 * Credential bodies with obviously fake secret values. Each secret is unique and long enough that
 * finding it in a response, a log line or a table item can only mean a leak.
 */
export const SECRETS = {
  outscaleSecretKey: "FAKESECRETOUTSCALE0000000000000000000001",
  proxyPassword: "fake-proxy-password-0001",
  billingSecretKey: "FAKESECRETBILLING00000000000000000000002",
  consumerSecret: "fake-consumer-secret-0003",
  tokenSecret: "fake-token-secret-0004",
  apiToken: "fake-api-token-value-0005",
  rotatedSecretKey: "FAKESECRETROTATED00000000000000000000006",
} as const;

/** The billing key the local S3 server (standing in for OOS) knows, as OOS would. */
export const S3_TEST_KEY_PAIRS = [
  { accessKeyId: "AKFAKEBILLING0000002", secretAccessKey: SECRETS.billingSecretKey },
];

export function outscaleBody(name: string, overrides: Record<string, unknown> = {}) {
  return {
    provider: "outscale",
    name,
    settings: {
      accessKey: "AKFAKEOUTSCALE000001",
      secretKey: SECRETS.outscaleSecretKey,
      accountId: "123456789012",
      region: "eu-west-2",
      proxy: `https://proxyuser:${SECRETS.proxyPassword}@proxy.example.com:3128`,
    },
    ...overrides,
  };
}

export function billingBody(name: string) {
  return {
    provider: "outscale-billing",
    name,
    settings: {
      billingAccessKey: "AKFAKEBILLING0000002",
      billingSecretKey: SECRETS.billingSecretKey,
      buckets: [{ name: "billing-exports", region: "eu-west-2", prefix: "daily/" }],
    },
  };
}

export function cleverOauthBody(name: string) {
  return {
    provider: "clevercloud",
    name,
    settings: {
      authType: "oauth1",
      consumerKey: "fake-consumer-key-0003",
      consumerSecret: SECRETS.consumerSecret,
      token: "fake-oauth-token-0004",
      tokenSecret: SECRETS.tokenSecret,
    },
  };
}

export function cleverTokenBody(name: string) {
  return {
    provider: "clevercloud",
    name,
    settings: { authType: "apiToken", apiToken: SECRETS.apiToken, expiresAt: "2027-01-01T00:00:00Z" },
  };
}

/** The secret values that occur in text, or [] when none does. */
export function leakedSecrets(texts: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    for (const secret of Object.values(SECRETS)) if (text.includes(secret)) found.add(secret);
  }
  return [...found];
}
