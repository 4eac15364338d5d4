// Debian's Chromium driven by playwright-core, with a fresh profile in a scratch folder, plus the
// two page hooks a real-host run needs: the extension host's console (forwarded by the
// workbench) and the exit code the workbench reports when extension tests end.
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { join } from 'node:path';
import { formatConsoleArgs } from './hostProtocol';
import { chromiumPath } from './paths';
import { exitOnSignals } from './processGroups';
import { createScratch, type Scratch } from './scratch';

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  scratch: Scratch;
  close(): Promise<void>;
}

export interface ConsoleLine {
  /** console method: log, info, warning, error, debug… */
  type: string;
  text: string;
  /**
   * The log level (INFO, WARN, ERR…) when the line came through the workbench's log service,
   * which is how extension-host output arrives; undefined for plain console calls.
   */
  level: string | undefined;
}

export interface AutomationExit {
  code: number;
  logs: Array<{ relativePath: string; contents: string }>;
}

const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(label = 'browser'): Promise<BrowserSession> {
  const scratch = createScratch(label);
  exitOnSignals();
  const context = await chromium.launchPersistentContext(join(scratch.dir, 'profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    env: scratch.env,
    downloadsPath: join(scratch.dir, 'downloads'),
    tracesDir: join(scratch.dir, 'traces'),
    viewport: { width: 1400, height: 900 },
    // Playwright's own signal handlers close the browser but then keep the process alive;
    // exitOnSignals() exits instead, and Playwright's exit handler still kills the browser.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    scratch,
    async close() {
      await context.close().catch(() => undefined);
      scratch.remove();
    },
  };
}

async function argumentValues(message: ConsoleMessage): Promise<unknown[]> {
  try {
    return await Promise.all(message.args().map((arg) => arg.jsonValue()));
  } catch {
    // The page navigated or closed before the values could be read: fall back to the text.
    return [message.text()];
  }
}

/**
 * Calls `sink` for every console call of the page, in the order they were made. Reading a
 * call's arguments is asynchronous: await the returned `flush()` before relying on having seen
 * every line logged so far.
 */
export function forwardConsole(page: Page, sink: (line: ConsoleLine) => void): { flush(): Promise<void> } {
  let queue: Promise<void> = Promise.resolve();
  page.on('console', (message) => {
    const values = argumentValues(message);
    queue = queue.then(async () => {
      const { text, level } = formatConsoleArgs(await values);
      sink({ type: message.type(), text, level });
    });
  });
  return { flush: () => queue };
}

/**
 * Installs `window.codeAutomationExit(code, logs)`, which the workbench calls when the extension
 * tests finish. Call it before `page.goto`: the binding must exist when the page loads.
 * `exited` resolves on that call. (An object, not a bare promise: an async function returning
 * a promise would make the caller's `await` wait for the exit itself.)
 */
export async function exposeAutomationExit(page: Page): Promise<{ exited: Promise<AutomationExit> }> {
  let settle: (exit: AutomationExit) => void = () => undefined;
  const exited = new Promise<AutomationExit>((resolve) => {
    settle = resolve;
  });
  await page.exposeFunction('codeAutomationExit', (code: unknown, logs: unknown) => {
    settle({ code: typeof code === 'number' ? code : 1, logs: Array.isArray(logs) ? (logs as AutomationExit['logs']) : [] });
  });
  return { exited };
}
