// Helpers for end-to-end journeys: a real VS Code workbench (code-server + headless Chromium)
// with this repository loaded as the extension under development (dist/, from `npm run build`),
// on a fresh copy of sample-workspace/.
//
//   const workbench = await openWorkbench({ settings: { 'dualModel.demo.latencyMs': 0 } });
//   await runCommand(workbench.page, 'Dual-Model: Start Run');
//   await webviewFrame(workbench.page).getByRole('button', { name: 'Approve' }).click();
//   await screenshot(workbench.page, 'approved');
//
// Every workbench opened is closed by the root hook in hooks.ts after each test (and a failed
// test leaves a screenshot in .test-output/screenshots/).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { forwardConsole, launchBrowser, type BrowserSession, type ConsoleLine } from '../host/browser';
import { developmentPayload, startCodeServer, type CodeServer, type Settings } from '../host/codeServer';
import { outputRoot } from '../host/paths';
import { copySampleWorkspace } from '../host/workspace';
import { waitUntil } from '../support/waitUntil';

export interface WorkbenchOptions {
  /** User settings, e.g. `{ 'dualModel.demo.latencyMs': 0 }`. */
  settings?: Settings;
  /** false opens the workspace in Restricted Mode (Workspace Trust on). Default true. */
  trusted?: boolean;
  /** Names the log files; defaults to `e2e`. */
  label?: string;
  /** Extra environment for the server and its extension host. */
  env?: Record<string, string>;
  /** Written to the workspace's .vscode/settings.json before it opens, as a cloned repository would ship it. */
  workspaceSettings?: Settings;
}

export interface Workbench {
  page: Page;
  /** Absolute path of the workspace copy on disk, to check what the extension wrote. */
  workspaceFolder: string;
  server: CodeServer;
  browser: BrowserSession;
  /** The page's console so far (workbench log and forwarded extension-host output). */
  consoleLines: ConsoleLine[];
  close(): Promise<void>;
}

const open = new Set<Workbench>();
export const screenshotDir = join(outputRoot, 'screenshots');

export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const label = options.label ?? 'e2e';
  const server = await startCodeServer({
    label,
    settings: options.settings,
    trusted: options.trusted ?? true,
    env: options.env,
  });
  let browser: BrowserSession;
  try {
    browser = await launchBrowser(`${label}-br`);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const consoleLines: ConsoleLine[] = [];
  forwardConsole(browser.page, (line) => consoleLines.push(line));
  browser.page.on('pageerror', (error) => consoleLines.push({ type: 'pageerror', text: error.message, level: 'ERR' }));

  const workspaceFolder = copySampleWorkspace(server.scratch);
  if (options.workspaceSettings) {
    mkdirSync(join(workspaceFolder, '.vscode'), { recursive: true });
    writeFileSync(join(workspaceFolder, '.vscode', 'settings.json'), `${JSON.stringify(options.workspaceSettings, null, 2)}\n`);
  }
  const workbench: Workbench = {
    page: browser.page,
    workspaceFolder,
    server,
    browser,
    consoleLines,
    async close() {
      open.delete(workbench);
      const logDir = join(outputRoot, 'logs');
      mkdirSync(logDir, { recursive: true });
      writeFileSync(
        join(logDir, `${label}.workbench.log`),
        consoleLines.map((line) => `${line.level ?? line.type} ${line.text}`).join('\n') + '\n',
      );
      await browser.close();
      await server.stop();
    },
  };
  open.add(workbench);

  // No extensionTestsPath: the extension loads for a person-like journey, no tests run inside.
  await browser.page.goto(server.url(workspaceFolder, developmentPayload(server)));
  await browser.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  // The explorer showing the folder means the remote file system and the window are ready.
  await browser.page
    .locator('.explorer-folders-view .monaco-list-row')
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });
  return workbench;
}

/** Closes every workbench still open; hooks.ts calls it after each test. */
export async function closeAllWorkbenches(): Promise<void> {
  await Promise.all([...open].map((workbench) => workbench.close()));
}

/** Every workbench still open (for the failure screenshot in hooks.ts). */
export function openWorkbenches(): readonly Workbench[] {
  return [...open];
}

/** Opens the command palette (F1) and waits for its input. */
export async function openCommandPalette(page: Page): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      return;
    } catch {
      // Focus may still be outside the workbench (e.g. right after load): click a neutral spot.
      await page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } });
    }
  }
  await input.waitFor({ state: 'visible', timeout: 5_000 });
}

/** The rows the quick input currently shows (command palette, quick picks). */
export function quickInputRows(page: Page): Locator {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
}

/**
 * Opens the palette, types `query` and returns the labels it lists once the list has settled
 * (an empty array when nothing matches). The palette stays open.
 */
export async function paletteLabels(page: Page, query: string): Promise<string[]> {
  await openCommandPalette(page);
  await page.keyboard.type(query);
  // Rows, or the "No matching commands" message: whichever shows up first.
  await page
    .locator('.quick-input-widget')
    .locator('.quick-input-list .monaco-list-row, .quick-input-message')
    .filter({ visible: true })
    .first()
    .waitFor({ timeout: 15_000 });
  return (await quickInputRows(page).locator('.label-name').allTextContents()).map((label) => label.trim());
}

/**
 * Runs a command from the palette by its full title as shown there ("Category: Title"): types it,
 * then clicks the row whose label is exactly that title. Right after the workbench loads the
 * extension's commands may not be registered yet, so it reopens the palette until the row shows
 * up or `timeoutMs` passes.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const exact = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await openCommandPalette(page);
    await page.keyboard.type(title);
    const row = quickInputRows(page).filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 3_000 });
      await row.click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
      return;
    } catch (error) {
      const shown = await quickInputRows(page).locator('.label-name').allTextContents().catch(() => []);
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) {
        throw new Error(`no palette entry "${title}" after ${timeoutMs} ms (shown: ${shown.join(' | ') || 'nothing'})`, { cause: error });
      }
    }
  }
}

/** The content frame of the active webview (panel or view): the extension's own HTML. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Saves a full-window screenshot to .test-output/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Picks the row of an open quick pick that `filter` finds, as a user typing it would; optionally screenshots the list first. */
export async function pick(page: Page, filter: string, shot?: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(filter);
  await quickInputRows(page).filter({ hasText: filter }).first().waitFor({ state: 'visible', timeout: 15_000 });
  if (shot) await screenshot(page, shot);
  await page.keyboard.press('Enter');
}

/**
 * Starts a run as a user does: types "/dual-model" in the palette, picks the entry, keeps the
 * single Coder in the mode pick, types the request. Right after the workbench loads the entry may not be registered yet: it retries.
 */
export async function startRun(page: Page, request: string): Promise<void> {
  let labels: string[] = [];
  for (let attempt = 0; attempt < 15 && !labels.some((label) => label.includes('/dual-model')); attempt++) {
    if (attempt > 0) {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
    labels = await paletteLabels(page, '/dual-model');
  }
  await quickInputRows(page).filter({ hasText: '/dual-model' }).first().click();
  await pickMode(page, 'Single Coder');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(request);
  await page.keyboard.press('Enter');
}

/** The mode quick pick a run started from the palette or the panel asks first (dualModel.run.askMode). */
export async function pickMode(page: Page, label: string, shot?: string): Promise<void> {
  await quickInputRows(page).filter({ hasText: 'Single Coder' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  await pick(page, label, shot);
}

/** The workspace's settings.json once it holds `key` (VS Code writes it after the quick picks close). */
export async function settingsOnceWritten(workspaceFolder: string, key: string): Promise<Record<string, unknown>> {
  const file = join(workspaceFolder, '.vscode', 'settings.json');
  const read = (): string | undefined => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  // A poll, not an event: code-server writes the file from another process, and a watch on a
  // folder that may not exist yet (nor be written in one piece) would be less sure than looking.
  return waitUntil(
    () => {
      const text = read();
      if (text === undefined || !text.includes(`"${key}"`)) return undefined;
      try {
        return JSON.parse(text) as Record<string, unknown>;
      } catch {
        return undefined; // Caught mid-write; the next look sees it whole.
      }
    },
    () => `.vscode/settings.json never held "${key}" as whole JSON; it holds: ${read() ?? '(no file)'}`,
  );
}

/**
 * Starts a run in a mode other than the single Coder, as a user does: "/dual-model", the mode,
 * "Start with these N Coders", the request, then Send in the modal that names the fan-out.
 */
/**
 * /dual-model in `mode` from the palette. `coders`: how many the Coders step lists, then the
 * fan-out's modal is answered Send; undefined for a swarm, which asks for neither (its routes and
 * estimate are shown at the HARD STOP).
 */
export async function startRunInMode(page: Page, mode: string, coders: number | undefined, request: string, shot?: string): Promise<{ prompt: string }> {
  let labels: string[] = [];
  for (let attempt = 0; attempt < 15 && !labels.some((label) => label.includes('/dual-model')); attempt++) {
    if (attempt > 0) await page.keyboard.press('Escape');
    labels = await paletteLabels(page, '/dual-model');
  }
  await quickInputRows(page).filter({ hasText: '/dual-model' }).first().click();
  await pickMode(page, mode);
  if (coders !== undefined) await pick(page, `Start with these ${coders} Coders`, shot ? `${shot}-coders` : undefined);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  // The request box's message names the Architect and who will code.
  const message = page.locator('.quick-input-widget .quick-input-message').filter({ hasText: /\S/ });
  await message.waitFor({ state: 'visible', timeout: 15_000 });
  const prompt = await message.innerText();
  await input.fill(request);
  if (shot) await screenshot(page, `${shot}-request`);
  await page.keyboard.press('Enter');
  if (coders === undefined) return { prompt };
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  if (shot) await screenshot(page, `${shot}-confirm`);
  await dialog.getByRole('button', { name: 'Send' }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
  return { prompt };
}

/** The isolated copies left in the extension's global storage: its `copies/<workspace>/<run>/<label>` folders. */
export function leftoverCopies(userDataDir: string): string[] {
  const globalStorage = join(userDataDir, 'User', 'globalStorage');
  const below = (folder: string): string[] =>
    existsSync(folder) ? readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => join(folder, entry.name)) : [];
  return below(globalStorage).flatMap((extension) => below(join(extension, 'copies')).flatMap(below).flatMap(below));
}

/** Hides the bottom panel (the verification terminals), so a screenshot shows the whole editor; nothing when it is hidden already. */
export async function hideBottomPanel(page: Page): Promise<void> {
  const hide = page.locator('.part.panel a.action-label[aria-label^="Hide Panel"], .part.panel a.action-label[aria-label^="Close Panel"]').first();
  if (await hide.isVisible()) await hide.click();
}
