import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { type ProviderEnvironment, regionUrl } from "../environment";
import { sendOutbound } from "../http/outbound";
import { limiterFor } from "../http/rate-limit";
import { explainOutscaleError, type OutscaleErrorBody } from "./errors";

export interface OutscaleKeys {
  accessKey: string;
  secretKey: string;
  region: string;
  proxy?: string;
}

/**
 * OUTSCALE's API: `POST {base}/{Action}` with a JSON body, signed with SigV4 (AWS4-HMAC-SHA256,
 * service `api`, the account's region). Answers the parsed body or throws OutscaleApiError.
 */
export class OutscaleApiClient {
  private readonly signer: SignatureV4;
  private readonly baseUrl: string;

  constructor(
    private readonly keys: OutscaleKeys,
    private readonly environment: ProviderEnvironment,
  ) {
    this.baseUrl = regionUrl(environment.outscaleApiUrlTemplate, keys.region);
    this.signer = new SignatureV4({
      service: "api",
      region: keys.region,
      credentials: { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey },
      sha256: Sha256,
    });
  }

  async call<T = Record<string, unknown>>(action: string, input: Record<string, unknown> = {}): Promise<T> {
    const url = new URL(`${this.baseUrl}/${action}`);
    const body = JSON.stringify(input);
    const response = await sendOutbound(
      { method: "POST", url: url.toString(), headers: { "content-type": "application/json" }, body },
      {
        timeoutMs: this.environment.timeoutMs,
        retry: this.environment.retry,
        limiter: limiterFor(`outscale:${this.keys.accessKey}`),
        proxyUrl: this.keys.proxy,
        publicAddressesOnly: this.environment.publicAddressesOnly,
        sign: async () => {
          const signed = await this.signer.sign(
            new HttpRequest({
              method: "POST",
              protocol: url.protocol,
              hostname: url.hostname,
              port: url.port ? Number(url.port) : undefined,
              path: url.pathname,
              headers: { host: url.host, "content-type": "application/json" },
              body,
            }),
          );
          return signed.headers;
        },
      },
    );
    let parsed: unknown;
    try {
      parsed = response.body ? JSON.parse(response.body) : {};
    } catch {
      parsed = {};
    }
    if (response.status >= 400)
      throw explainOutscaleError(response.status, parsed as OutscaleErrorBody, this.keys.region);
    return parsed as T;
  }
}
