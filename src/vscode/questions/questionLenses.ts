// The CodeLens above each TODO(architect) marker. provideCodeLenses only scans the text (one
// regex pass, see markers.ts) and says which lenses each marker gets; the commands are attached
// in resolveCodeLens, for the lenses VS Code actually shows.
import * as vscode from 'vscode';
import { codeBlocksOf } from '../../core/prompts/questionPrompts.js';
import { findMarkers } from '../../core/questions/markers.js';
import type { QuestionAnswers } from './questionAnswers.js';

type LensKind = 'ask' | 'ask-again' | 'cancel' | 'apply' | 'apply-code' | 'dismiss';

class QuestionLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly uri: vscode.Uri,
    readonly line: number,
    readonly kind: LensKind,
  ) {
    super(range);
  }
}

const lensCommands: Record<LensKind, { title: string; command: string; tooltip: string }> = {
  ask: { title: '$(comment-discussion) Ask Architect', command: 'dualModel.askArchitect', tooltip: 'Send this question, the code around it and the open run\'s spec to the Architect' },
  'ask-again': { title: '$(refresh) Ask Architect again', command: 'dualModel.askArchitect', tooltip: 'Ask this question again' },
  cancel: { title: '$(loading~spin) Asking the Architect… Cancel', command: 'dualModel.cancelQuestion', tooltip: 'Stop waiting for this answer' },
  apply: { title: '$(check) Apply answer', command: 'dualModel.applyAnswer', tooltip: 'Replace the marker with the Architect\'s decision, previewed first' },
  'apply-code': { title: '$(code) Apply answer with its code', command: 'dualModel.applyAnswerWithCode', tooltip: 'Write the decision and insert the answer\'s code block below it, previewed first' },
  dismiss: { title: '$(close) Dismiss', command: 'dualModel.dismissAnswer', tooltip: 'Forget the Architect\'s answer to this marker' },
};

export class QuestionLensProvider implements vscode.CodeLensProvider<QuestionLens> {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly answers: QuestionAnswers) {
    this.onDidChangeCodeLenses = answers.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): QuestionLens[] {
    const lenses: QuestionLens[] = [];
    for (const marker of findMarkers(document.getText())) {
      const range = new vscode.Range(marker.line, marker.column, marker.line, marker.column);
      const entry = this.answers.get(document.uri, marker);
      if (entry?.status === 'answered') this.answers.showThread(document.uri, marker);
      const kinds: LensKind[] =
        entry?.status === 'asking'
          ? ['cancel']
          : entry?.status === 'answered'
            ? ['apply', ...(codeBlocksOf(entry.answer).length === 1 ? (['apply-code'] as const) : []), 'dismiss']
            : entry?.status === 'failed'
              ? ['ask-again', 'dismiss']
              : ['ask'];
      for (const kind of kinds) lenses.push(new QuestionLens(range, document.uri, marker.line, kind));
    }
    return lenses;
  }

  resolveCodeLens(lens: QuestionLens): QuestionLens {
    const { title, command, tooltip } = lensCommands[lens.kind];
    lens.command = { title, command, tooltip, arguments: [lens.uri, lens.line] };
    return lens;
  }
}
