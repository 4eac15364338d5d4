// What the Architect said about each marker, while the window is open: asking, answered or
// failed, with the answer shown in a comment thread on the marker's line. Keyed by the file and
// the question's words, so the state follows a marker that moves as lines are added above it
// (two markers with the same words in one file share one answer). Answers not yet applied or
// dismissed are kept in workspace storage and come back after a reload, their threads shown
// again when the CodeLens finds their marker.
import * as vscode from 'vscode';
import type { QuestionMarker } from '../../core/questions/markers.js';
import { parseSavedAnswers, SAVED_ANSWERS_KEY, withoutSavedAnswer, withSavedAnswer } from '../../core/questions/savedAnswers.js';

export type AnswerStatus = 'asking' | 'answered' | 'failed';

export interface AnswerEntry {
  readonly key: string;
  readonly uri: vscode.Uri;
  readonly question: string;
  status: AnswerStatus;
  /** The answer so far (streaming), or all of it; kept when the call fails part-way. */
  answer: string;
  error?: string;
  architect: string;
  /** The run whose spec went with the question, where questions.json keeps the answer. */
  runId?: string;
  cancel?: vscode.CancellationTokenSource;
  thread?: vscode.CommentThread;
}

export const answerKey = (uri: vscode.Uri, question: string): string => `${uri.toString()}\u0000${question}`;

export class QuestionAnswers implements vscode.Disposable {
  private readonly entries = new Map<string, AnswerEntry>();
  private readonly comments = vscode.comments.createCommentController('dualModel.architectAnswers', 'Dual-Model: Architect answers');
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when an entry's status changes (the CodeLens listens). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly storage: Pick<vscode.Memento, 'get' | 'update'>) {
    for (const saved of parseSavedAnswers(storage.get(SAVED_ANSWERS_KEY))) {
      const uri = vscode.Uri.parse(saved.uri, true);
      const entry: AnswerEntry = { key: answerKey(uri, saved.question), uri, question: saved.question, status: 'answered', answer: saved.answer, architect: saved.architect, ...(saved.runId ? { runId: saved.runId } : {}) };
      this.entries.set(entry.key, entry);
    }
  }

  /** An answer restored after a reload gets its thread back where the CodeLens finds its marker. */
  showThread(uri: vscode.Uri, marker: Pick<QuestionMarker, 'question' | 'line'>): void {
    const entry = this.get(uri, marker);
    if (!entry || entry.thread) return;
    entry.thread = this.createThread(uri, marker.line, entry.architect);
    this.render(entry);
  }

  get(uri: vscode.Uri, marker: Pick<QuestionMarker, 'question'>): AnswerEntry | undefined {
    return this.entries.get(answerKey(uri, marker.question));
  }

  /** A new question (or the same one asked again): the previous answer and thread go. */
  begin(uri: vscode.Uri, marker: QuestionMarker, architect: string, runId: string | undefined): AnswerEntry {
    this.drop(uri, marker);
    const entry: AnswerEntry = { key: answerKey(uri, marker.question), uri, question: marker.question, status: 'asking', answer: '', architect, ...(runId ? { runId } : {}), cancel: new vscode.CancellationTokenSource() };
    entry.thread = this.createThread(uri, marker.line, architect);
    this.entries.set(entry.key, entry);
    this.render(entry);
    this.changed.fire();
    return entry;
  }

  /** Shows the answer so far; cheap enough to call per streamed chunk. */
  progress(entry: AnswerEntry, answer: string): void {
    entry.answer = answer;
    this.render(entry);
  }

  finish(entry: AnswerEntry, outcome: { answer: string } | { error: string; answer: string }): void {
    entry.answer = outcome.answer;
    entry.cancel?.dispose();
    delete entry.cancel;
    if ('error' in outcome) {
      entry.status = 'failed';
      entry.error = outcome.error;
    } else {
      entry.status = 'answered';
      this.save(entry);
    }
    this.render(entry);
    this.changed.fire();
  }

  /** Forgets a marker's answer and closes its thread; returns what was dropped. */
  drop(uri: vscode.Uri, marker: Pick<QuestionMarker, 'question'>): AnswerEntry | undefined {
    const entry = this.get(uri, marker);
    if (!entry) return undefined;
    entry.cancel?.cancel();
    entry.cancel?.dispose();
    entry.thread?.dispose();
    this.entries.delete(entry.key);
    this.forget(entry);
    this.changed.fire();
    return entry;
  }

  /** What the thread shows, as markdown text (for tests and screen readers). */
  threadText(entry: AnswerEntry): string {
    const body = entry.thread?.comments[0]?.body;
    return typeof body === 'string' ? body : (body?.value ?? '');
  }

  dispose(): void {
    for (const entry of this.entries.values()) {
      entry.cancel?.cancel();
      entry.cancel?.dispose();
    }
    this.entries.clear();
    this.comments.dispose();
    this.changed.dispose();
  }

  private createThread(uri: vscode.Uri, line: number, architect: string): vscode.CommentThread {
    const thread = this.comments.createCommentThread(uri, new vscode.Range(line, 0, line, 0), []);
    thread.canReply = false;
    thread.label = `Architect (${architect})`;
    thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
    return thread;
  }

  private save(entry: AnswerEntry): void {
    const saved = withSavedAnswer(parseSavedAnswers(this.storage.get(SAVED_ANSWERS_KEY)), {
      uri: entry.uri.toString(),
      question: entry.question,
      answer: entry.answer,
      architect: entry.architect,
      ...(entry.runId ? { runId: entry.runId } : {}),
      answeredAt: new Date().toISOString(),
    });
    void this.storage.update(SAVED_ANSWERS_KEY, saved);
  }

  private forget(entry: AnswerEntry): void {
    const saved = parseSavedAnswers(this.storage.get(SAVED_ANSWERS_KEY));
    const rest = withoutSavedAnswer(saved, entry.uri.toString(), entry.question);
    if (rest.length !== saved.length) void this.storage.update(SAVED_ANSWERS_KEY, rest);
  }

  private render(entry: AnswerEntry): void {
    if (!entry.thread) return;
    const parts: string[] = [];
    if (entry.status === 'asking') parts.push(entry.answer ? entry.answer : '_Asking the Architect…_');
    else if (entry.status === 'answered') parts.push(entry.answer);
    else {
      parts.push(`**The Architect's answer failed:** ${entry.error ?? 'unknown error'}`);
      if (entry.answer) parts.push(`What arrived before it failed:\n\n${entry.answer}`);
      parts.push('Use "Ask Architect" above the marker to ask again.');
    }
    // No command links and no HTML from a model's words.
    const body = new vscode.MarkdownString(parts.join('\n\n'));
    body.isTrusted = false;
    body.supportHtml = false;
    entry.thread.comments = [{ body, mode: vscode.CommentMode.Preview, author: { name: entry.architect } }];
    entry.thread.label = entry.status === 'asking' ? `Architect (${entry.architect}) — answering…` : entry.status === 'failed' ? `Architect (${entry.architect}) — failed` : `Architect (${entry.architect})`;
  }
}
