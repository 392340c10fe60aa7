// With no perf-lens.config.json, find the setups a project already has — pytest-benchmark
// tests, a locustfile, Go benchmarks, a package.json bench script — and propose suites for
// them, so one click writes a config that runs. Reads a bounded number of small files.
import { promises as fs } from 'fs';
import * as path from 'path';
import { CONFIG_VERSION } from './projectConfig';
import { relativePosix } from '../relativePath';

export interface DetectedSuite {
  name: string;
  /** What was found, to complete "Perf Lens found …", e.g. "pytest-benchmark tests in tests/perf/". */
  evidence: string;
  suite: Record<string, unknown>;
}

const SKIP = new Set(['node_modules', '.git', '.venv', 'venv', 'env', '__pycache__', 'dist', 'build', 'out', '.perf', '.tox', 'vendor', 'target']);
const MAX_FILES = 5000;
const MAX_BYTES = 256 * 1024;

async function* walk(root: string, dir = root, budget = { left: MAX_FILES }): AsyncGenerator<string> {
  let entries: import('fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (budget.left-- <= 0) return;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP.has(e.name) && !e.name.startsWith('.')) yield* walk(root, p, budget);
    } else if (e.isFile()) {
      yield relativePosix(root, p);
    }
  }
}

async function read(root: string, rel: string): Promise<string> {
  const file = path.join(root, rel);
  const st = await fs.stat(file);
  return st.size > MAX_BYTES ? '' : fs.readFile(file, 'utf8');
}

/** Suites for the setups found under `root`, in a stable order. */
export async function detectSetups(root: string): Promise<DetectedSuite[]> {
  const found: DetectedSuite[] = [];
  const pyBench = new Set<string>();
  let locustfile: string | undefined;
  let goBench: string | undefined;
  for await (const rel of walk(root)) {
    const base = path.posix.basename(rel);
    if (/^(test_.*|.*_test)\.py$/.test(base) && /def test_\w+\([^)]*\bbenchmark\b/.test(await read(root, rel))) pyBench.add(path.posix.dirname(rel));
    else if (base === 'locustfile.py' && !locustfile) locustfile = rel;
    else if (base.endsWith('_test.go') && !goBench && /func Benchmark\w*\(\w+ \*testing\.B\)/.test(await read(root, rel))) goBench = rel;
  }
  if (pyBench.size) {
    const dirs = [...pyBench].sort();
    found.push({
      name: 'benchmarks',
      evidence: `pytest-benchmark tests in ${dirs.map(d => (d === '.' ? './' : `${d}/`)).join(', ')}`,
      suite: { kind: 'regression', command: `python3 -m pytest ${dirs.join(' ')} --benchmark-json=.perf/results/benchmarks.json`, results: '.perf/results/benchmarks.json' },
    });
  }
  if (goBench) {
    found.push({
      name: 'go-bench',
      evidence: `Go benchmarks in ${goBench}`,
      suite: { kind: 'regression', command: 'go test -run ^$ -bench . -benchmem -count 10 ./... > .perf/results/go-bench.txt', results: '.perf/results/go-bench.txt', format: 'go-bench' },
    });
  }
  if (locustfile) {
    found.push({
      name: 'load',
      evidence: `a Locust scenario in ${locustfile}`,
      suite: {
        kind: 'load',
        engine: 'locust',
        command: `locust -f ${locustfile} --headless -u 10 -r 2 -t 30s --host http://127.0.0.1:8000 --csv .perf/results/locust --csv-full-history`,
        results: '.perf/results/locust_stats.csv',
      },
    });
  }
  try {
    const pkg = JSON.parse(await read(root, 'package.json')) as { scripts?: Record<string, string> };
    const script = Object.keys(pkg.scripts ?? {}).find(k => /^bench(mark)?(:|$)/.test(k));
    if (script) {
      found.push({
        name: 'npm-bench',
        evidence: `a "${script}" script in package.json`,
        suite: { kind: 'regression', command: `npm run ${script}`, results: '.perf/results/npm-bench.json' },
      });
    }
  } catch {
    /* no or unreadable package.json: nothing to propose */
  }
  return found;
}

/** The config file text for the detected suites (what "Create config" writes). */
export function proposedConfig(suites: readonly DetectedSuite[]): string {
  const doc = {
    version: CONFIG_VERSION,
    suites: Object.fromEntries(suites.map(s => [s.name, JSON.parse(JSON.stringify(s.suite))])),
    budgets: [],
    verdict: { threshold: 0.05 },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
