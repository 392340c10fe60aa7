// A service the example workspaces load-test (node server.js, uvicorn), started by a test and
// ready when GET /health answers 200. Pure Node: the CLI tests and the VS Code suites share it.
import { spawn, type ChildProcess } from 'child_process';
import * as http from 'http';

export { freeLoopbackPort as freePort } from '../../../src/core/env/ports';

function healthy(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 500 }, res => (res.resume(), resolve(res.statusCode === 200)));
    req.on('error', () => resolve(false)).on('timeout', () => (req.destroy(), resolve(false)));
  });
}

/** Spawns `cmd args` and resolves once it serves /health on `port`; rejects if it exits or takes over `timeoutMs`. */
export async function startService(cmd: string, args: string[], opts: { cwd: string; port: number; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ChildProcess> {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: 'ignore' });
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (!(await healthy(opts.port))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${cmd} ${args.join(' ')} did not serve /health on port ${opts.port} (exit ${child.exitCode})`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
  return child;
}
