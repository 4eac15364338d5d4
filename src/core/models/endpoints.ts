// Where a provider's requests (and with them the API key) go. A base URL setting can come from
// the user's own settings or from the workspace's (.vscode/settings.json), and a workspace is
// untrusted by default: a cloned repository, or a Coder that wrote the file, could point the next
// request at any host. So a workspace's base URL is never used in Restricted Mode, and in a
// trusted workspace only for an origin the user approved once. Pure: the adapter asks and stores.

export type EndpointProvider = 'anthropic' | 'google' | 'openai-compatible';

/** Each provider's own endpoint: what an empty base URL setting means. */
export const providerEndpoints: Record<EndpointProvider, string> = {
  anthropic: 'https://api.anthropic.com',
  google: 'https://generativelanguage.googleapis.com',
  'openai-compatible': 'https://api.openai.com/v1',
};

export const providerLabels: Record<EndpointProvider, string> = {
  anthropic: 'Anthropic',
  google: 'Google Gemini',
  'openai-compatible': 'OpenAI-compatible',
};

/** The setting's value at each level that can set it; empty strings count as unset. */
export interface BaseUrlSources {
  /** The user's settings (or the default): the user chose it. */
  user: string | undefined;
  /** The workspace's or workspace folder's settings: untrusted until approved. */
  workspace: string | undefined;
}

export type EndpointDecision =
  /** Send requests to `baseUrl` (undefined: the provider's own endpoint). */
  | { kind: 'use'; baseUrl: string | undefined; ignoredWorkspaceValue?: { origin: string; why: string } }
  /** The workspace names an origin the user has not approved: ask, then use `baseUrl` or `otherwise`. */
  | { kind: 'ask'; origin: string; baseUrl: string; otherwise: string | undefined };

/** The key an approval is stored under: the provider and the exact origin (scheme, host, port). */
export function approvalKey(provider: EndpointProvider, origin: string): string {
  return `${provider} ${origin}`;
}

export function decideBaseUrl(
  provider: EndpointProvider,
  sources: BaseUrlSources,
  workspaceTrusted: boolean,
  approved: ReadonlySet<string>,
): EndpointDecision {
  const user = clean(sources.user);
  const workspace = clean(sources.workspace);
  if (workspace === undefined || workspace === user) return { kind: 'use', baseUrl: user };
  const origin = originOf(workspace);
  if (!origin) {
    return { kind: 'use', baseUrl: user, ignoredWorkspaceValue: { origin: workspace.slice(0, 200), why: 'it is not an http(s) URL' } };
  }
  if (!workspaceTrusted) {
    return { kind: 'use', baseUrl: user, ignoredWorkspaceValue: { origin, why: 'the workspace is not trusted (Restricted Mode)' } };
  }
  if (approved.has(approvalKey(provider, origin))) return { kind: 'use', baseUrl: workspace };
  return { kind: 'ask', origin, baseUrl: workspace, otherwise: user };
}

/** "scheme://host[:port]" of an http(s) URL, or undefined for anything else. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The host requests go to, when it is not the provider's own (a gateway, a proxy, a local
 * server): what the panel shows next to the model. Undefined for the provider's own endpoint.
 */
export function foreignHost(provider: EndpointProvider, baseUrl: string | undefined): string | undefined {
  const url = clean(baseUrl);
  if (url === undefined) return undefined;
  const own = originOf(providerEndpoints[provider]);
  const origin = originOf(url);
  if (!origin) return url.slice(0, 200);
  return origin === own ? undefined : new URL(url).host;
}

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
