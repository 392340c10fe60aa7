// A suite's `serve`: the service under test, started for the run and stopped after it, so a load
// test or a Lighthouse run is one click instead of "start the server in another terminal first".
// The shape follows Playwright's `webServer` (command, url, timeout, reuse an existing server),
// which many of our users already know.
import type { JsonNode } from '../ingest/json';

export interface ServeConfig {
  /** Shell command started in the suite's cwd with the suite's env. */
  command: string;
  /** Polled until it answers with any HTTP status; then the suite starts. */
  url: string;
  /** How long the service may take to answer (default 30 s). */
  timeoutSec: number;
  /**
   * Something already answers at `url` before we start: use it (default) or fail. Off in CI,
   * where a stale server on the port would be measured instead of this commit.
   */
  reuseExisting: boolean;
}

export const DEFAULT_SERVE_TIMEOUT_SEC = 30;

const KEYS = ['command', 'url', 'timeoutSec', 'reuseExisting'];

/**
 * `"serve": "node server.js"` or `{ "command": …, "url"?, "timeoutSec"?, "reuseExisting"? }`.
 * `defaultUrl` is the suite's own target (a load suite's `target`, a page suite's first URL);
 * without one the url must be given.
 */
export function parseServe(node: JsonNode, defaultUrl: string | undefined): ServeConfig | undefined {
  if (node.missing) return undefined;
  const short = typeof node.value === 'string';
  const command = (short ? node.string() : node.get('command').string()).trim();
  if (!command) (short ? node : node.get('command')).fail('expected the command that starts the service');
  if (!short) {
    for (const k of Object.keys(node.object())) if (!KEYS.includes(k)) node.get(k).fail(`unknown setting (known: ${KEYS.join(', ')})`);
  }
  const urlNode = short || node.get('url').missing ? node : node.get('url');
  const url = (urlNode === node ? undefined : urlNode.string()) ?? defaultUrl;
  if (url === undefined) return urlNode.fail('missing the url to wait for: give "serve": { "command": …, "url": "http://127.0.0.1:PORT/" }');
  if (!/^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(url)) urlNode.fail(`"${url}" is not a local http(s) URL: serve starts a service on this machine`);
  const timeout = short ? undefined : node.get('timeoutSec').optNumber();
  if (timeout !== undefined && !(timeout > 0 && timeout <= 600)) node.get('timeoutSec').fail(`expected seconds between 0 and 600, got ${timeout}`);
  const reuse = short ? undefined : node.get('reuseExisting').optBoolean();
  return { command, url, timeoutSec: timeout ?? DEFAULT_SERVE_TIMEOUT_SEC, reuseExisting: reuse ?? !process.env.CI };
}
