// Wires the panel to the page: the session (panelSession.ts) decides, the DOM view paints, and
// the window's message events feed the session.
import { createPanelSession, type HostBridge } from './panelSession';
import { PanelView } from './render/panelView';

export type { HostBridge } from './panelSession';

export function startPanel(root: HTMLElement, host: HostBridge, events: Pick<Window, 'addEventListener'> = window): void {
  // The view needs the session's intents and the session paints through the view: tie the knot.
  const painter: { view?: PanelView } = {};
  const session = createPanelSession(host, (state, intents) => painter.view?.update(state, intents));
  painter.view = new PanelView(root, session.intents);
  events.addEventListener('message', (event: Event) => session.receive(event instanceof MessageEvent ? event.data : undefined));
  session.start();
}
