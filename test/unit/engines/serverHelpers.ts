// Small loopback servers and a CLI runner for the engine tests.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { repoRoot } from '../helpers';

export interface TestServer {
  url: string;
  port: number;
  hits: number;
  close(): Promise<void>;
}

export async function startServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void): Promise<TestServer> {
  const s: TestServer = { url: '', port: 0, hits: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    req.resume();
    handler(req, res, ++s.hits);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  s.port = (server.address() as AddressInfo).port;
  s.url = `http://127.0.0.1:${s.port}`;
  s.close = () => new Promise<void>(r => {
    server.closeAllConnections();
    server.close(() => r());
  });
  return s;
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const s = await startServer(() => undefined);
  await s.close();
  return s.port;
}

/** Compiled engine entry points, beside this compiled test in whatever outDir tsc used. */
export const engineJs = (name: 'loadMain' | 'memoryMain') => path.resolve(__dirname, '../../../src/engines', `${name}.js`);

export interface CliResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs an engine CLI; `onSpawn` can signal it. Killed after `timeoutMs` so a test cannot hang. */
export function runCli(name: 'loadMain' | 'memoryMain', args: string[], opts: { timeoutMs?: number; nodeArgs?: string[]; onStdout?: (text: string, kill: (s: NodeJS.Signals) => void) => void } = {}): Promise<CliResult> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), engineJs(name), ...args], {
      cwd: repoRoot,
      env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => {
      stdout += d;
      opts.onStdout?.(stdout, s => child.kill(s));
    });
    child.stderr.on('data', d => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 15000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Pids whose command line contains `needle` (Linux /proc): our runs mark their processes with a temp path. */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle)) pids.push(Number(d));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}
