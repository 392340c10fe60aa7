// Starts a suite's service under test (config/serve.ts), waits until its URL answers, and stops it
// again: SIGTERM to its process group, SIGKILL after a grace period. The group is tied to our life
// (lifeline.ts), so a killed run never leaves the service holding its port. Its output goes to a
// log file, not through us: an access log at thousands of requests a second would cost the load
// generator CPU and flood the terminal; the last lines are quoted when it fails to start.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import type { ServeConfig } from '../config/serve';
import { gitignoreScratch } from '../store/scratch';
import { signalGroup, tieGroupToLife } from './lifeline';

export class ServeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServeError';
  }
}

export interface RunningService {
  /** True when something already answered and we started nothing. */
  reused: boolean;
  /** Ends the service (a no-op when reused). Safe to call more than once. */
  stop(): Promise<void>;
}

/** What a started (or reused) service is, for the run's output: `log` is where its output went, as shown. */
export function describeService(cfg: ServeConfig, svc: RunningService, startedAtMs: number, log: string): string {
  return svc.reused
    ? `${cfg.url} already answers: measuring what runs there (\`${cfg.command}\` not started)`
    : `\`${cfg.command}\` answers at ${cfg.url} after ${((Date.now() - startedAtMs) / 1000).toFixed(1)} s (its output: ${log})`;
}

/**
 * Any HTTP answer within `ms` (a 404 or 500 too: the server is up); false on refusal or timeout.
 * https is a local dev server's, usually with a self-signed certificate: it is not verified.
 */
export function answers(url: string, ms = 1000): Promise<boolean> {
  return new Promise(resolve => {
    const onResponse = (res: http.IncomingMessage) => {
      res.resume();
      resolve(true);
    };
    let req: http.ClientRequest;
    try {
      req = url.startsWith('https:')
        ? https.get(url, { timeout: ms, agent: false, rejectUnauthorized: false }, onResponse)
        : http.get(url, { timeout: ms, agent: false }, onResponse);
    } catch {
      return resolve(false); // a URL http.get refuses outright
    }
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function lastLines(file: string, n: number): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

export async function startService(cfg: ServeConfig, opts: { cwd: string; env?: NodeJS.ProcessEnv; logFile: string; signal?: AbortSignal; pollMs?: number; graceSec?: number }): Promise<RunningService> {
  if (await answers(cfg.url)) {
    if (cfg.reuseExisting) return { reused: true, stop: async () => undefined };
    throw new ServeError(`${cfg.url} already answers before \`${cfg.command}\` was started: stop what is running there, or set "reuseExisting": true to measure it`);
  }
  if (fs.mkdirSync(path.dirname(opts.logFile), { recursive: true }) !== undefined) gitignoreScratch(path.dirname(opts.logFile));
  const fd = fs.openSync(opts.logFile, 'w');
  // detached: its own process group, so the shell's children (the real server) stop with it.
  const child = spawn('/bin/sh', ['-c', cfg.command], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', fd, fd], detached: true });
  fs.closeSync(fd);
  const line = child.pid !== undefined ? tieGroupToLife(child.pid) : undefined;
  let exit: string | undefined;
  const exited = new Promise<void>(res => {
    child.once('exit', (code, sig) => {
      exit = sig ? `was ended by ${sig}` : `exited with code ${code}`;
      res();
    });
    child.once('error', e => {
      exit = `could not start: ${e.message}`;
      res();
    });
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const kill = (sig: NodeJS.Signals) => child.pid !== undefined && signalGroup(child.pid, sig);
    if (exit === undefined) {
      kill('SIGTERM');
      const t = setTimeout(() => kill('SIGKILL'), (opts.graceSec ?? 3) * 1000);
      await exited;
      clearTimeout(t);
    }
    kill('SIGKILL'); // what the shell left behind in its group
    line?.release();
  };
  const failed = async (why: string): Promise<never> => {
    await stop();
    const tail = lastLines(opts.logFile, 15);
    throw new ServeError(`\`${cfg.command}\` ${why}${tail ? `; its last output (${opts.logFile}):\n${tail}` : ` (no output; ${opts.logFile})`}`);
  };
  const deadline = Date.now() + cfg.timeoutSec * 1000;
  for (;;) {
    if (exit !== undefined) return failed(`${exit} before ${cfg.url} answered`);
    if (opts.signal?.aborted) return failed('was stopped: the run was cancelled while the service started');
    if (await answers(cfg.url, 500)) return { reused: false, stop };
    if (Date.now() > deadline) return failed(`started, but ${cfg.url} did not answer within ${cfg.timeoutSec} s (set serve.timeoutSec for a slower start)`);
    await Promise.race([new Promise(r => setTimeout(r, opts.pollMs ?? 100)), exited]);
  }
}
