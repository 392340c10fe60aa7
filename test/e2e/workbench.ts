// What UI tests share: where the launcher's code-server is, how to open the workbench
// on a fixture workspace with our extension, and where screenshots go.
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
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

/** Saves a text artifact (e.g. a lens timeline) beside the screenshots. */
export async function saveArtifact(name: string, text: string): Promise<void> {
  const dir = env('PERF_LENS_ARTIFACTS');
  await fs.promises.mkdir(dir, { recursive: true });
  await fs.promises.writeFile(path.join(dir, name), text);
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

/**
 * Records, from the page's first script on, every change in the rendered code lenses (count and
 * titles, with the time since load): call before openWorkbench; the returned function gives the
 * timeline as text, for assertion messages that tell a flicker from a lens that never came.
 */
export async function recordLensTimeline(page: Page): Promise<() => Promise<string>> {
  // A string: this project compiles without the DOM library; the script runs in the page.
  await page.addInitScript({
    content: `(() => {
      const log = (window.__perfLensLenses = []);
      let last = '';
      new MutationObserver(() => {
        // <a>: a lens with its command; <span>: one VS Code redraws from its cache, not clickable yet.
        const titles = [...document.querySelectorAll('.codelens-decoration > a, .codelens-decoration > span')]
          .map(e => (e.tagName === 'SPAN' ? '(span) ' : '') + (e.textContent || '').trim())
          .filter(t => t !== '(span) |'); // separators
        const now = titles.length + ' [' + titles.join(' | ') + ']';
        if (now === last) return;
        last = now;
        log.push(Math.round(performance.now()) + ' ms: ' + now);
        if (log.length > 200) log.shift();
      }).observe(document, { childList: true, subtree: true, characterData: true });
    })();`,
  });
  return async () => ((await page.evaluate('window.__perfLensLenses || []')) as string[]).join('\n');
}

/**
 * The locator's count once it equals `expected` and holds for `holdMs`, or the last count seen
 * after `maxMs`. Lenses are briefly redrawn without their commands (as spans) whenever VS Code
 * re-asks the providers, e.g. when another extension registers one.
 */
export async function steadyCount(locator: Locator, expected: number, holdMs = 500, maxMs = 20_000): Promise<number> {
  const end = Date.now() + maxMs;
  let since: number | undefined;
  for (;;) {
    const n = await locator.count();
    if (n !== expected) since = undefined;
    else if ((since ??= Date.now()) + holdMs <= Date.now()) return n;
    if (Date.now() > end) return n;
    await new Promise(r => setTimeout(r, 100));
  }
}

/** Lens lines that vanished after first showing (the editor jumped), from a recorded timeline. */
export function lensDrops(timeline: string): string[] {
  const counts = timeline.split('\n').map(line => ({ line, n: Number(/ms: (\d+)/.exec(line)?.[1] ?? 0) }));
  const first = counts.findIndex(c => c.n > 0);
  return first < 0 ? [] : counts.slice(first).filter(c => c.n < counts[first].n).map(c => c.line);
}

/**
 * Clicks the lens with this text once it is drawn with its command.
 * VS Code redraws lenses from its cache without their commands (a <span>) whenever it re-asks the
 * providers, e.g. when another extension registers one, and cancels that request when the
 * editor text loses focus (codelensController: onDidBlurEditorText → cancel). A redraw just
 * before focus moved to the palette or a panel stays a span until the editor has focus again —
 * as when a user clicks into the file. So, as a user would, focus that editor when the lens
 * is not a link.
 */
export async function clickLens(page: Page, hasText: string | RegExp, timeout = 60_000): Promise<void> {
  const drawn = page.locator('.codelens-decoration', { hasText }).first();
  const link = drawn.locator('a', { hasText });
  await drawn.waitFor({ timeout });
  if (!(await link.isVisible())) {
    // The editor holding the lens: a click at its first line's start moves only the cursor.
    const editor = page.locator('.monaco-editor', { has: page.locator('.codelens-decoration', { hasText }) }).first();
    await editor.locator('.view-lines').click({ position: { x: 2, y: 2 } });
  }
  await link.click({ timeout });
}
