// The run's header: the request, "Phase N — …", the five-phase progress strip, the DEMO badge,
// who plays which role, and what it has cost so far.
import type { HeaderModel, RoleLine } from '../viewModel';
import { demoNote } from '../viewModel';
import type { StepStatus } from '../phases';
import { button, el } from './dom';
import { renderUsage } from './usage';

export interface HeaderActions {
  /** Present when the header carries the run's Cancel button (no HARD STOP card on screen). */
  onCancel: (() => void) | undefined;
  /** Whether the list of model calls is unfolded (remembered across repaints). */
  callsOpen: boolean;
  onToggleCalls: (open: boolean) => void;
}

export function renderHeader(header: HeaderModel, roles: readonly RoleLine[], actions: HeaderActions): HTMLElement {
  const title = el('div', { className: 'header-title' }, [
    el('h1', { className: 'request', text: header.request, attrs: { title: header.request } }),
    header.isDemo
      ? el('span', {
          className: 'badge badge-demo',
          testId: 'demo-badge',
          text: 'DEMO',
          attrs: { title: 'Demo run: the models are offline replays of recorded answers; no real model is called.' },
        })
      : undefined,
  ]);

  const steps = el(
    'ol',
    { className: 'progress', attrs: { 'aria-label': 'Protocol phases' } },
    header.steps.map((step) => {
      const item = el(
        'li',
        { className: `step step-${step.status}${step.isHardStop ? ' step-hard-stop' : ''}`, attrs: { title: `Phase ${step.number} — ${step.title}` } },
        [
          el('span', { className: 'step-marker', text: step.isHardStop ? '🛑' : String(step.number), attrs: { 'aria-hidden': 'true' } }),
          el('span', { className: 'step-title', text: step.shortTitle, attrs: { 'aria-hidden': 'true' } }),
          el('span', { className: 'visually-hidden', text: `Phase ${step.number}: ${step.title}${statusText(step.status)}` }),
        ],
      );
      if (step.status === 'current') item.setAttribute('aria-current', 'step');
      return item;
    }),
  );

  const usage = header.usage ? renderUsage(header.usage, actions.callsOpen, actions.onToggleCalls) : [];

  const roleLine = el(
    'p',
    { className: 'roles' },
    roles.map((role) =>
      el('span', { className: `role role-${role.role.toLowerCase()}`, attrs: { title: role.detail } }, [
        el('span', { className: 'role-text', text: role.text }),
        role.isDemo ? el('span', { className: 'role-demo', text: 'offline replay' }) : undefined,
        // Not the provider's own endpoint: a gateway, a proxy or a local server sees the key.
        role.endpoint !== undefined ? el('span', { className: 'role-endpoint', testId: `endpoint-${role.role.toLowerCase()}`, text: `via ${role.endpoint}` }) : undefined,
      ]),
    ),
  );

  return el('header', { className: 'run-header' }, [
    title,
    header.isDemo
      ? el('p', { className: 'demo-note', text: demoNote(roles) })
      : undefined,
    el('div', { className: 'phase-row' }, [
      el('p', { className: 'phase-label', testId: 'phase-label', text: header.phaseLabel }),
      actions.onCancel !== undefined ? button('Cancel run', { testId: 'cancel-run', onClick: actions.onCancel }) : undefined,
    ]),
    steps,
    roleLine,
    ...usage,
    header.endMessage !== undefined ? el('p', { className: `end-state end-state-${header.endState ?? 'none'}`, text: header.endMessage }) : undefined,
  ]);
}

function statusText(status: StepStatus): string {
  switch (status) {
    case 'done':
      return ' (done)';
    case 'current':
      return ' (current)';
    case 'stopped':
      return ' (the run stopped here)';
    case 'upcoming':
      return '';
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}
