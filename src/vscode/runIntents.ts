// What each intent of the run webviews (the panel and the side-panel review) does: one call on the
// controller or a command, so a button and its palette command do the same thing. The message was
// checked against its schema before it got here (messageRouter.ts); its run id and paths are still
// the webview's word, and each call checks them.
import * as vscode from 'vscode';
import type { IntentMessage } from '../shared/messages.js';
import type { RunController } from './runController.js';

export async function performIntent(controller: RunController, message: IntentMessage): Promise<void> {
  switch (message.type) {
    case 'confirmModel':
      return controller.confirmModel(message.runId, message.specDigest);
    case 'decideReview':
      return controller.decide(message.outcome, message.notes, message.runId);
    case 'cancelRun':
      return controller.cancel(message.runId);
    case 'retryPhase':
      return controller.retry(message.runId);
    case 'continueBatch':
      return controller.continueBatch(message.choice, message.runId);
    case 'resumeRun':
      await controller.resumeRun(message.runId);
      return;
    case 'startRun':
      await vscode.commands.executeCommand('dualModel.start');
      return;
    case 'openArtifact':
      return controller.openArtifact(message.runId, message.path);
    case 'openChange':
      return controller.openPassChange(message.runId, message.path, message.as);
    case 'askAboutSpec':
      await controller.askAboutSpec(message.question, message.runId);
      return;
    case 'reviseSpec':
      return controller.reviseSpec(message.runId);
    case 'revertPass':
      // The command asks before it puts files back, as it does from the palette.
      await vscode.commands.executeCommand('dualModel.revertCoderChanges', message.runId);
      return;
    case 'showRunPanel':
      return controller.openRun(message.runId);
    case 'applyCandidate':
      return controller.applyCandidate(message.runId, message.label);
    case 'openCandidateDiff':
      return controller.openCandidateDiff(message.runId, message.label, message.path);
  }
}
