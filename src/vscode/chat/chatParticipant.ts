// Registers the @dual-model chat participant (package.json contributes.chatParticipants) with
// its handler (chatHandler.ts), its icon, and the passphrase as a follow-up where a HARD STOP waits.
import * as vscode from 'vscode';
import { MODEL_CONFIRMED } from '../../core/chat/passphrase.js';
import { DualModelChat } from './chatHandler.js';
import type { ChatRuns } from './runFollower.js';

/** package.json `contributes.chatParticipants[0].id`. */
export const CHAT_PARTICIPANT_ID = 'dual-model.chat';

/** Registers the participant where VS Code has chat (1.104 and later do; a host without it gets none). */
export function registerChatParticipant(extensionUri: vscode.Uri, runs: () => ChatRuns, output: vscode.LogOutputChannel): vscode.Disposable {
  if (typeof vscode.chat?.createChatParticipant !== 'function') return new vscode.Disposable(() => undefined);
  const chat = new DualModelChat(runs, (line) => output.error(line));
  const participant = vscode.chat.createChatParticipant(CHAT_PARTICIPANT_ID, (request, context, stream, token) => chat.handle(request, context, stream, token));
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
  participant.followupProvider = {
    // The passphrase as a click, where a HARD STOP waits; sending it is the same as typing it.
    provideFollowups: (result) => (result.metadata?.hardStopWaiting === true ? [{ prompt: MODEL_CONFIRMED, label: MODEL_CONFIRMED }] : []),
  };
  return participant;
}
