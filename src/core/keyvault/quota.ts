// The limits a provider puts on a quota group (a Google Cloud project for Gemini, an
// organisation or a single key elsewhere), per model. Shared by the model registry (its dated
// defaults and the user's own numbers) and the key pool's scheduler (which keeps under them).

/** Limits per quota group and model; an absent limit is not enforced by us. */
export interface QuotaLimits {
  /** Requests per minute. */
  rpm?: number;
  /** Input + output tokens per minute. */
  tpm?: number;
  /** Requests per day, counted from the provider's daily reset. */
  rpd?: number;
}

/** When a provider's daily counters start again: midnight in this IANA time zone. */
export interface DailyReset {
  timeZone: string;
}
