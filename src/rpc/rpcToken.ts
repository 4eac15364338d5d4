// The bearer token the kv.* generate methods and the OpenAI face ask for: 32 random bytes,
// base64url, kept through a small port (the extension backs it with SecretStorage) so it
// survives a reload, and rotatable. Candidates are compared in constant time: both sides are
// hashed first, so neither the token's length nor its first differing byte shows in the time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Where the token lives between sessions: SecretStorage in the extension. */
export interface TokenStore {
  get(): Promise<string | undefined>;
  store(token: string): Promise<void>;
}

/** A token as generated: 32 bytes from the system's CSPRNG, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether `candidate` is `token`, taking the same time whatever either holds. */
export function tokensMatch(candidate: string, token: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(candidate), digest(token));
}

/** The bearer token from an `Authorization` header's value, if it carries one. */
export function bearerOf(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

export class RpcToken {
  private token: string | undefined;

  constructor(private readonly store: TokenStore) {}

  /** The token in use, generated and stored on first use. */
  async current(): Promise<string> {
    if (this.token) return this.token;
    const stored = await this.store.get();
    if (stored && stored.length >= 32) {
      this.token = stored;
      return stored;
    }
    return this.rotate();
  }

  /** A new token; the old one stops working at once. */
  async rotate(): Promise<string> {
    const token = newToken();
    await this.store.store(token);
    this.token = token;
    return token;
  }

  /** Whether `candidate` is the token in use; no candidate never matches. */
  async accepts(candidate: string | undefined): Promise<boolean> {
    const token = await this.current();
    // Compared even when absent, so a missing token costs what a wrong one does.
    return tokensMatch(candidate ?? '', token) && candidate !== undefined;
  }
}
