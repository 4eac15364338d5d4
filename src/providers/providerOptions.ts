// What every real provider's client is built from. The key comes from SecretStorage or the
// environment, is used for requests only, and never appears in an error, a log line or state.
export interface ProviderClientOptions {
  apiKey: string;
  /** A gateway, proxy or local server instead of the provider's own endpoint. */
  baseUrl?: string;
  modelId: string;
  displayName: string;
  /** Time allowed for one request, including the whole streamed answer. */
  requestTimeoutMs: number;
}
