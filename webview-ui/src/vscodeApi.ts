// The only place that calls acquireVsCodeApi() (VS Code allows one call per webview life). Every
// outgoing message is checked against the shared schema before it leaves.
import type { WebviewMessage } from '../../src/shared/messages';
import { validateOutgoing } from './intents';

interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

const api: VsCodeWebviewApi = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  const valid = validateOutgoing(message);
  if (valid === undefined) {
    console.error('[dual-model] refusing to send a malformed message', message);
    return;
  }
  api.postMessage(valid);
}

export function getState(): unknown {
  return api.getState();
}

export function setState(state: unknown): void {
  api.setState(state);
}
