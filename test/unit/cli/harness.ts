// Runs the compiled CLI as a real process (node out/src/cli/main.js …) on throwaway workspaces.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from '../helpers';

/** The CLI compiled beside this test (out/test/unit/cli → out/src/cli/main.js). */
export const CLI_JS = path.resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd: string; timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [CLI_JS, ...args],
      {
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 20000,
        maxBuffer: 32 * 1024 * 1024,
        // The output folder may live outside the repository (tsc --outDir /tmp/…): let the engines find undici.
        env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules'), ...opts.env },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const made: string[] = [];

/** A temp folder with a git repository (for --baseline-ref), removed by cleanupWorkspaces(). */
export function tempWorkspace(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-cli-'));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/**
 * A throwaway copy of examples/NAME (without results, caches or node_modules; node_modules is
 * linked to the repository's so the Node example finds express), removed by cleanupWorkspaces().
 */
export function exampleWorkspace(name: 'node-service' | 'python-service'): string {
  const dir = path.join(tempWorkspace(), name);
  const skip = new Set(['.perf', 'node_modules', '__pycache__', '.benchmarks']);
  fs.cpSync(path.join(repoRoot, 'examples', name), dir, { recursive: true, filter: src => !skip.has(path.basename(src)) });
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Edits a JSON file of a workspace in place (a config or scenario override for a short test run). */
export function editJson<T>(file: string, edit: (doc: T) => void): void {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  edit(doc);
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
}

export function cleanupWorkspaces(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/**
 * A pytest-benchmark result with every timing multiplied by `factor` and started `laterMin`
 * minutes after the original (so it is the newer run): an injected slowdown of a real result.
 */
export function scaledPytestBenchmark(source: string, factor: number, laterMin = 10): string {
  const doc = JSON.parse(fs.readFileSync(source, 'utf8')) as {
    datetime: string;
    benchmarks: { stats: Record<string, unknown> }[];
  };
  const timeKeys = ['min', 'max', 'mean', 'stddev', 'median', 'iqr', 'q1', 'q3', 'ld15iqr', 'hd15iqr', 'total'];
  for (const b of doc.benchmarks) {
    for (const k of timeKeys) if (typeof b.stats[k] === 'number') b.stats[k] = (b.stats[k] as number) * factor;
    if (typeof b.stats.ops === 'number') b.stats.ops = (b.stats.ops as number) / factor;
    if (Array.isArray(b.stats.data)) b.stats.data = (b.stats.data as number[]).map(x => x * factor);
  }
  doc.datetime = new Date(Date.parse(`${doc.datetime.replace(/Z?$/, 'Z')}`) + laterMin * 60_000).toISOString().replace('Z', '');
  return JSON.stringify(doc, null, 1);
}
