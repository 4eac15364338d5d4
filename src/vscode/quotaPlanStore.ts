// Each quota group's plan (learn from the provider, or the registry's published figures), kept
// per machine in globalState: not secret, and not a setting a repository could set to hold the
// user's keys back or lift the limits they chose.
import * as vscode from 'vscode';
import type { KeyProvider } from '../core/keyvault/apiKeys.js';
import type { QuotaPlan } from '../core/keyvault/quotaPlans.js';

const stateKey = 'dualModel.quotaPlans';

export class QuotaPlanStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  readonly planOf = (provider: KeyProvider, group: string): QuotaPlan => (this.plans()[planName(provider, group)] === 'published' ? 'published' : 'learn');

  async setPlan(provider: KeyProvider, group: string, plan: QuotaPlan): Promise<void> {
    const plans = this.plans();
    // Learning is the default: only the exception is kept.
    if (plan === 'learn') delete plans[planName(provider, group)];
    else plans[planName(provider, group)] = plan;
    await this.state.update(stateKey, plans);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  private plans(): Record<string, QuotaPlan> {
    const raw: unknown = this.state.get(stateKey);
    if (typeof raw !== 'object' || raw === null) return {};
    return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, QuotaPlan] => entry[1] === 'published'));
  }
}

function planName(provider: KeyProvider, group: string): string {
  return `${provider}\t${group}`;
}
