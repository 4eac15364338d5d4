// The modal confirm before a fan-out (best-of-N, swarm): how many requests to which models,
// about what they cost and at most, and what is left under today's cap. The caller sends
// nothing unless it returns true; the ledger still keeps the caps whatever the answer.
import * as vscode from 'vscode';
import type { FanOutEstimate } from '../core/models/costEstimate.js';
import { fanOutConfirmText } from '../core/models/fanOutConfirmText.js';
import type { SpendCaps } from '../core/models/spendCaps.js';
import type { SpendLedger } from '../core/models/spendLedger.js';

/** The modal as VS Code shows it: the button pressed, or undefined when dismissed (Cancel, Escape). */
export type AskModal = (message: string, options: vscode.MessageOptions, ...buttons: string[]) => Thenable<string | undefined>;

export interface FanOutConfirmDeps {
  spend: SpendLedger;
  caps: () => SpendCaps;
  /** VS Code's modal by default; the host tests answer it themselves, since the test workbench refuses to show dialogs. */
  ask?: AskModal;
}

const send = 'Send';

/** Whether the user agreed to send the fan-out. `note` (what the estimate stands for) leads the detail. */
export async function confirmFanOut(estimate: FanOutEstimate, deps: FanOutConfirmDeps, note?: string): Promise<boolean> {
  const { message, detail } = fanOutConfirmText(estimate, deps.caps().perDayUsd, await deps.spend.totals(''));
  const ask: AskModal = deps.ask ?? ((text, options, ...buttons) => vscode.window.showInformationMessage(text, options, ...buttons));
  const answer = await ask(message, { modal: true, detail: note ? `${note}\n${detail}` : detail }, send);
  return answer === send;
}
