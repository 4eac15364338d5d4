// The modal confirm before a fan-out (best-of-N, swarm): how many requests to which models,
// about what they cost and at most, and what is left under today's cap. The caller sends
// nothing unless it returns true; the ledger still keeps the caps whatever the answer.
import * as vscode from 'vscode';
import type { FanOutEstimate } from '../core/models/costEstimate.js';
import { fanOutConfirmText } from '../core/models/fanOutConfirmText.js';
import type { SpendCaps } from '../core/models/spendCaps.js';
import type { SpendLedger } from '../core/models/spendLedger.js';

export interface FanOutConfirmDeps {
  spend: SpendLedger;
  caps: () => SpendCaps;
}

const send = 'Send';

/** Whether the user agreed to send the fan-out. `note` (what the estimate stands for) leads the detail. */
export async function confirmFanOut(estimate: FanOutEstimate, deps: FanOutConfirmDeps, note?: string): Promise<boolean> {
  const { message, detail } = fanOutConfirmText(estimate, deps.caps().perDayUsd, await deps.spend.totals(''));
  const answer = await vscode.window.showInformationMessage(message, { modal: true, detail: note ? `${note}\n${detail}` : detail }, send);
  return answer === send;
}
