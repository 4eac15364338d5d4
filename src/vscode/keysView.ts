// The Keys view: provider → quota group (when a provider has more than one) → key, each key
// masked with its label, today's use against the limits of the models it served, the next daily
// reset, a cooldown or a revocation and why. The view's description carries the day's spend and
// its cap. Redraws when the pool's use, the keys, the plans or the spend change.
import * as vscode from 'vscode';
import type { KeyProvider, KeyRing } from '../core/keyvault/apiKeys.js';
import { keyProviders } from '../core/keyvault/apiKeys.js';
import type { KeyPool, KeySnapshot } from '../core/keyvault/keyPool.js';
import { groupRow, groupsOf, keyRow, providerRow } from '../core/keyvault/keysViewRows.js';
import { daySpendText } from '../core/keyvault/keyViewText.js';
import type { PlanOf } from '../core/keyvault/quotaPlans.js';
import { describePlan } from '../core/keyvault/quotaPlans.js';
import type { ModelRegistry } from '../core/models/registry.js';
import { providerNames } from '../core/models/registry.js';
import type { SpendCaps } from '../core/models/spendCaps.js';
import type { SpendLedger } from '../core/models/spendLedger.js';

export const KEYS_VIEW_ID = 'dualModel.keys';

export type KeysNode =
  | { kind: 'provider'; provider: KeyProvider; keys: KeySnapshot[]; environment: ReadonlySet<string> }
  | { kind: 'group'; provider: KeyProvider; group: string; keys: KeySnapshot[]; environment: ReadonlySet<string> }
  | { kind: 'key'; provider: KeyProvider; key: KeySnapshot; environment: boolean };

export interface KeysViewSources {
  ring: KeyRing;
  pool: () => KeyPool;
  planOf: PlanOf;
  registry: () => ModelRegistry;
  spend: SpendLedger;
  caps: () => SpendCaps;
}

export class KeysTreeProvider implements vscode.TreeDataProvider<KeysNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private poolListener: { dispose(): void } | undefined;
  private view: vscode.TreeView<KeysNode> | undefined;

  constructor(private readonly sources: KeysViewSources) {}

  /** The view this provider draws, for its description (the day's spend). */
  attach(view: vscode.TreeView<KeysNode>): void {
    this.view = view;
  }

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(element?: KeysNode): Promise<KeysNode[]> {
    if (element?.kind === 'key') return [];
    if (element?.kind === 'group') return keyNodes(element.provider, element.keys, element.environment);
    if (element?.kind === 'provider') {
      const groups = groupsOf(element.keys);
      if (groups.size <= 1) return keyNodes(element.provider, element.keys, element.environment);
      return [...groups].map(([group, keys]) => ({ kind: 'group', provider: element.provider, group, keys, environment: element.environment }));
    }
    const pool = this.sources.pool();
    // Subscribed once the view first draws: the pool is made on first use.
    this.poolListener ??= pool.onDidChange(() => this.refresh());
    void this.describeSpend();
    const snapshots = await pool.snapshot(keyProviders);
    const nodes: KeysNode[] = [];
    for (const provider of keyProviders) {
      const keys = snapshots.filter((key) => key.provider === provider);
      if (keys.length === 0) continue;
      const environment = new Set((await this.sources.ring.list(provider)).filter((listing) => listing.source === 'environment').map((listing) => listing.id));
      nodes.push({ kind: 'provider', provider, keys, environment });
    }
    return nodes;
  }

  getTreeItem(node: KeysNode): vscode.TreeItem {
    if (node.kind === 'provider') {
      const row = providerRow(providerNames[node.provider], node.keys, (group) => this.planText(node.provider, group));
      const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = row.description;
      item.tooltip = row.tooltip;
      item.iconPath = new vscode.ThemeIcon('cloud');
      item.contextValue = row.groups > 1 ? 'dualModel.keys.provider' : 'dualModel.keys.provider.oneGroup';
      item.accessibilityInformation = { label: row.accessibleLabel };
      return item;
    }
    if (node.kind === 'group') {
      const row = groupRow(node.group, node.keys, this.planText(node.provider, node.group));
      const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = row.description;
      item.tooltip = row.tooltip;
      item.iconPath = new vscode.ThemeIcon('organization');
      item.contextValue = 'dualModel.keys.group';
      item.accessibilityInformation = { label: row.accessibleLabel };
      return item;
    }
    const { key } = node;
    const row = keyRow(key, Date.now(), node.environment);
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.provider}/${key.id}`;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.iconPath =
      row.state === 'revoked'
        ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'))
        : row.state === 'cooling'
          ? new vscode.ThemeIcon('watch', new vscode.ThemeColor('list.warningForeground'))
          : new vscode.ThemeIcon(node.environment ? 'symbol-variable' : 'key');
    item.contextValue = `dualModel.keys.key${node.environment ? '.environment' : ''}${row.state === 'revoked' ? '.revoked' : ''}`;
    item.accessibilityInformation = { label: row.accessibleLabel };
    return item;
  }

  dispose(): void {
    this.poolListener?.dispose();
    this.changed.dispose();
  }

  private planText(provider: KeyProvider, group: string): string {
    return `plan: ${describePlan(this.sources.registry(), provider, this.sources.planOf(provider, group))}`;
  }

  private async describeSpend(): Promise<void> {
    if (!this.view) return;
    try {
      const totals = await this.sources.spend.totals('');
      this.view.description = daySpendText(totals.dayUsd, this.sources.caps().perDayUsd);
    } catch {
      // An unreadable record is reported by the store; the view goes on without the figure.
      this.view.description = undefined;
    }
  }
}

function keyNodes(provider: KeyProvider, keys: readonly KeySnapshot[], environment: ReadonlySet<string>): KeysNode[] {
  return keys.map((key) => ({ kind: 'key', provider, key, environment: environment.has(key.id) }));
}

/** One drawn row of the Keys view, for tests and automation: never a key's text. */
export interface KeysViewRow {
  depth: number;
  label: string;
  description: string;
  contextValue: string;
  accessibleLabel: string;
  tooltip: string;
}

/** The whole tree as the view draws it, top to bottom. */
export async function drawnRows(tree: KeysTreeProvider): Promise<KeysViewRow[]> {
  const rows: KeysViewRow[] = [];
  const walk = async (node: KeysNode | undefined, depth: number): Promise<void> => {
    for (const child of await tree.getChildren(node)) {
      const item = tree.getTreeItem(child);
      const text = (value: string | vscode.TreeItemLabel | vscode.MarkdownString | boolean | undefined): string => (typeof value === 'string' ? value : value && typeof value === 'object' && 'label' in value ? value.label : value instanceof vscode.MarkdownString ? value.value : '');
      rows.push({ depth, label: text(item.label), description: text(item.description), contextValue: item.contextValue ?? '', accessibleLabel: item.accessibilityInformation?.label ?? '', tooltip: text(item.tooltip) });
      await walk(child, depth + 1);
    }
  };
  await walk(undefined, 0);
  return rows;
}
