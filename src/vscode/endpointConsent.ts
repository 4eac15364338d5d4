// The base URL each provider's requests go to, with the user's consent where the workspace
// chose it (see src/core/models/endpoints.ts for the rule). Approvals live in the extension's
// global storage on this machine, never in the workspace, so a repository cannot approve itself.
import * as vscode from 'vscode';
import type { EndpointProvider } from '../core/models/endpoints.js';
import { approvalKey, decideBaseUrl, providerLabels } from '../core/models/endpoints.js';
import { baseUrlSources } from './settings.js';

const APPROVALS_KEY = 'dualModel.approvedEndpoints.v1';

/** Asks the user whether `provider`'s requests, key included, may go to `origin`. */
export type EndpointPrompt = (provider: EndpointProvider, origin: string) => Promise<boolean>;

export class EndpointConsent {
  /** One question per origin at a time: concurrent requests wait for the same answer. */
  private readonly asking = new Map<string, Promise<boolean>>();
  /** Refused in this window: asked again after a reload, not on every request. */
  private readonly refused = new Set<string>();
  /** Said once per window, not on every request. */
  private readonly told = new Set<string>();

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
    private readonly prompt: EndpointPrompt = askWithModal,
  ) {}

  /** Where `provider`'s next request goes; undefined is the provider's own endpoint. */
  async baseUrl(provider: EndpointProvider): Promise<string | undefined> {
    const decision = decideBaseUrl(provider, baseUrlSources(provider), vscode.workspace.isTrusted, this.approved());
    if (decision.kind === 'use') {
      const ignored = decision.ignoredWorkspaceValue;
      if (ignored) this.tellOnce(`${provider} ${ignored.origin}`, `The workspace's base URL for ${providerLabels[provider]} (${ignored.origin}) is ignored: ${ignored.why}.`);
      return decision.baseUrl;
    }
    const key = approvalKey(provider, decision.origin);
    if (this.refused.has(key)) return decision.otherwise;
    let answer = this.asking.get(key);
    if (!answer) {
      answer = this.prompt(provider, decision.origin).finally(() => this.asking.delete(key));
      this.asking.set(key, answer);
    }
    if (await answer) {
      if (!this.approved().has(key)) await this.state.update(APPROVALS_KEY, [...this.approved(), key]);
      this.log.info(`${providerLabels[provider]} requests go to ${decision.origin}, as approved for this workspace's setting.`);
      return decision.baseUrl;
    }
    this.refused.add(key);
    this.log.warn(`${providerLabels[provider]} requests do not go to ${decision.origin} (the workspace's setting was not approved); using ${decision.otherwise ?? "the provider's own endpoint"}.`);
    return decision.otherwise;
  }

  /** Origins approved so far on this machine, as "provider origin" keys. */
  private approved(): ReadonlySet<string> {
    const stored = this.state.get<unknown>(APPROVALS_KEY, []);
    return new Set(Array.isArray(stored) ? stored.filter((entry): entry is string => typeof entry === 'string') : []);
  }

  private tellOnce(key: string, message: string): void {
    if (this.told.has(key)) return;
    this.told.add(key);
    this.log.warn(message);
  }
}

/** A modal: the user must answer before the key goes anywhere. Only "Allow" allows. */
async function askWithModal(provider: EndpointProvider, origin: string): Promise<boolean> {
  const allow = `Allow ${new URL(origin).host}`;
  const choice = await vscode.window.showWarningMessage(
    `This workspace's settings send ${providerLabels[provider]} requests, with your API key, to ${origin}.`,
    {
      modal: true,
      detail:
        `The setting comes from the workspace (.vscode/settings.json), which anyone who wrote the repository could have set. Allow it only if you know and trust ${origin}. ` +
        `If you don't, requests go to your own setting or ${providerLabels[provider]}'s own endpoint. An approval of this host is remembered on this machine.`,
    },
    allow,
  );
  return choice === allow;
}
