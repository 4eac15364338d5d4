// Entry point of the side-panel review's bundle (media/webview/review.js): the same session as
// the run panel (state, intents with replies, setState), painted by the review pane.
import '../zodConfig';
import { createPanelSession } from '../panelSession';
import { getState, post, setState } from '../vscodeApi';
import { ReviewPane } from './reviewPane';

const root = document.getElementById('app') ?? document.body;
const painter: { pane?: ReviewPane } = {};
const session = createPanelSession({ post, getState, setState }, (state, intents) => painter.pane?.update(state, intents));
painter.pane = new ReviewPane(root, session.intents);
window.addEventListener('message', (event: MessageEvent) => session.receive(event.data));
session.start();
