// What UI tests share: where the launcher's code-server is, how to open the workbench
// on a fixture workspace with our extension, and where screenshots go.
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Page } from 'playwright-core';
import { remoteUri, workbenchUrl } from '../runner/codeServer';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: UI tests run through \`npm run test:vscode\``);
  return value;
}

/**
 * Opens the workbench on the copied fixture workspace `ws` (a name under the launcher's copy,
 * or an absolute folder from freshWorkspace), with `file` (relative) open in the editor.
 */
export async function openWorkbench(page: Page, ws: string, file?: string): Promise<string> {
  const base = env('PERF_LENS_CS_URL');
  const folder = path.isAbsolute(ws) ? ws : path.join(env('PERF_LENS_WS_ROOT'), ws);
  const payload: [string, string][] = [['extensionDevelopmentPath', remoteUri(base, env('PERF_LENS_EXT_DIR'))], ['skipWelcome', 'true']];
  if (file) payload.push(['openFile', remoteUri(base, path.join(folder, file))]);
  await page.goto(workbenchUrl(base, folder, payload));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return folder;
}

/** The visible webview's content frame (host iframe → #active-frame). */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

/** Saves a screenshot of the checked state as a test artifact and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = env('PERF_LENS_ARTIFACTS');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Runs a command through the command palette by its title. */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * A fresh copy of a fixture workspace for one UI test (the launcher's shared copy is used by
 * the integration suites first), with extra files copied in: [repo-relative source, target].
 */
export function freshWorkspace(name: string, extra: [string, string][] = []): string {
  const repo = env('PERF_LENS_EXT_DIR');
  const target = path.join(env('PERF_LENS_WS_ROOT'), `${name}-ui-${process.pid}-${Date.now()}`);
  fs.cpSync(path.join(repo, 'test', 'workspaces', name), target, { recursive: true });
  for (const [from, to] of extra) {
    fs.mkdirSync(path.dirname(path.join(target, to)), { recursive: true });
    fs.copyFileSync(path.join(repo, from), path.join(target, to));
  }
  return target;
}

/**
 * Like runFromPalette, but clicks the row holding `title` instead of taking the first match
 * (another command's title may fuzzy-match first, e.g. "Show in Perf Lens Panel").
 */
export async function runFromPaletteRow(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await row.click();
}
