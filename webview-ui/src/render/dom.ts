// Small helpers to build elements with textContent and listeners in code: the CSP forbids
// inline handlers and styles, and model text must never be parsed as HTML.

export interface ElementOptions {
  className?: string;
  testId?: string;
  text?: string;
  attrs?: Readonly<Record<string, string>>;
}

export type Child = Node | string | undefined | false | null;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: readonly Child[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className !== undefined) element.className = options.className;
  if (options.testId !== undefined) element.dataset['testid'] = options.testId;
  if (options.attrs !== undefined) {
    for (const [name, value] of Object.entries(options.attrs)) element.setAttribute(name, value);
  }
  if (options.text !== undefined) element.textContent = options.text;
  for (const child of children) {
    if (child === undefined || child === false || child === null) continue;
    element.append(child);
  }
  return element;
}

export type ButtonKind = 'primary' | 'secondary';

export interface ButtonOptions {
  kind?: ButtonKind;
  testId?: string;
  title?: string;
  disabled?: boolean;
  className?: string;
  onClick: () => void;
}

export function button(label: string, options: ButtonOptions): HTMLButtonElement {
  const kind = options.kind ?? 'secondary';
  const element = el('button', {
    className: ['button', `button-${kind}`, options.className].filter(Boolean).join(' '),
    testId: options.testId,
    text: label,
    attrs: { type: 'button' },
  });
  if (options.title !== undefined) element.title = options.title;
  element.disabled = options.disabled ?? false;
  element.addEventListener('click', () => {
    if (!element.disabled) options.onClick();
  });
  return element;
}
