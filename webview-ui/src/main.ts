// Entry point of the webview bundle (media/webview/panel.js).
import './zodConfig';
import { startPanel } from './panelController';
import { getState, post, setState } from './vscodeApi';

startPanel(document.getElementById('app') ?? document.body, { post, getState, setState });
