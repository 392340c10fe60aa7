// perf-lens.config.json: the committed, reviewed declaration of a project's suites,
// budgets and verdict rules. Read by the extension, the CLI and CI alike; a bad file
// gets an error naming the field, never a crash. The JSON schema users get completion
// from is media/perf-lens.config.schema.json (kept in step by a unit test).
import * as fs from 'fs';
import * as path from 'path';
import { parseBudgets, type Budget } from '../budget';
import type { SuiteKind, ToolId } from '../model';
import { SUITE_KINDS } from '../model';
import { JsonNode, readJson } from '../ingest/json';
import { databaseBudgets, parseDatabaseConfig, type DatabaseConfig } from '../db/config';
import { parseMetricsConfig, type MetricsConfig } from '../metrics/config';
import { parseScriptTarget } from '../match/benchmark';
import type { HistoryRetention } from '../store/retention';
import { parseServe, type ServeConfig } from './serve';

export const CONFIG_FILE = 'perf-lens.config.json';
export const CONFIG_VERSION = 1;

export type ResultFormat = ToolId | 'auto';
export type LoadEngine = 'builtin' | 'locust' | 'autocannon' | 'k6';

interface SuiteBase {
  name: string;
  kind: SuiteKind;
  /** Working directory relative to the workspace folder (default "."). */
  cwd: string;
  /** Result files (workspace-relative paths or globs) the suite writes; ingested when it ends. */
  results: string[];
  format: ResultFormat;
  env: Record<string, string>;
  /** Shell command that runs the suite. */
  command?: string;
  /** PostgreSQL whose pg_stat_statements is snapshot before and after the run (docs/database.md). */
  database?: DatabaseConfig;
  /** The service under test, started before the run and stopped after it (config/serve.ts). */
  serve?: ServeConfig;
}

export interface RegressionSuite extends SuiteBase {
  kind: 'regression';
  command: string;
  /**
   * Command running one benchmark: placeholders {id} (the series id), {name} (the function or
   * benchmark name) and {file} (workspace-relative). Default derived from the command's tool.
   */
  runOne?: string;
  /**
   * Series id as the tool reports it (e.g. a hyperfine `--command-name`) → where it is measured:
   * `path/to/file.py::function`, `file.ts::Class.method` or just the script's path (workspace-relative).
   */
  map?: Record<string, string>;
}

export interface LoadSuite extends SuiteBase {
  kind: 'load';
  engine: LoadEngine;
  /** builtin: scenario file of our load engine; locust: the locustfile. */
  scenario?: string;
  /** Base URL of the service under test (loopback unless the scenario allows a host). */
  target?: string;
  durationSec?: number;
  /** locust only: distributed mode with N local workers. */
  workers?: number;
  /** locust only: peak users (-u) and users started per second (-r). */
  users?: number;
  spawnRate?: number;
  /** Prometheus endpoint of the service, scraped while the builtin engine runs. */
  metrics?: MetricsConfig;
}

export interface MemorySuite extends SuiteBase {
  kind: 'memory';
  command: string;
  durationSec?: number;
  intervalMs?: number;
  /** Name of a load suite to drive against the process while sampling. */
  load?: string;
  /** Seconds at the start of the judged window the leak analysis ignores (start-up growth). */
  warmupSec?: number;
  /** Node commands: also sample the V8 heap over the inspector protocol. */
  heap?: boolean;
  /** Prometheus endpoint of the service, scraped while sampling. */
  metrics?: MetricsConfig;
}

/** Lighthouse against local pages, `runs` times per URL (docs/frontend.md). */
export interface FrontendSuite extends SuiteBase {
  kind: 'frontend';
  /** Local page URLs (loopback hosts only). */
  urls: string[];
  /** Lighthouse runs per URL (default 3): the samples behind medians and verdicts. */
  runs: number;
  /** Command prefix running Lighthouse (default `npx --no-install lighthouse`). */
  lighthouse: string;
  chromePath: string;
  chromeFlags: string;
  formFactor: 'mobile' | 'desktop';
  /** Lighthouse throttling method: simulate (default), devtools, or provided (none). */
  throttling: 'simulate' | 'devtools' | 'provided';
  /** URL path → workspace-relative file of its page/route component, for the page lens. */
  pages: Record<string, string>;
}

export type SuiteConfig = RegressionSuite | LoadSuite | MemorySuite | FrontendSuite;

export interface VerdictConfig {
  /** Practical threshold as a fraction (default 0.05). */
  threshold: number;
  /** Worse-direction ratio that always fails, e.g. 1.5 (the seed's rule); off when absent. */
  hardLimit?: number;
  /** Accept a run as baseline when it improves by more than this fraction (e.g. 0.1); off when absent. */
  autoUpdateOnImprovement?: number;
  /** Accepted runs a baseline pools (docs/baselines-format.md); DEFAULT_BASELINE_RUNS (5) when absent. */
  baselineRuns?: number;
}

export interface ProjectConfig {
  /** Absolute path of the file it came from ("" for the default config). */
  file: string;
  version: number;
  suites: SuiteConfig[];
  budgets: Budget[];
  verdict: VerdictConfig;
  /** What .perf/history keeps (store/retention.ts); the newest 500 runs per suite when absent. */
  history?: HistoryRetention;
}

export const DEFAULT_VERDICT: VerdictConfig = { threshold: 0.05 };

export function emptyConfig(): ProjectConfig {
  return { file: '', version: CONFIG_VERSION, suites: [], budgets: [], verdict: { ...DEFAULT_VERDICT } };
}

const KINDS: readonly SuiteKind[] = SUITE_KINDS;
const ENGINES: readonly LoadEngine[] = ['builtin', 'locust', 'autocannon', 'k6'];
const FORMATS: readonly ResultFormat[] = [
  'auto', 'pytest-benchmark', 'locust', 'hyperfine', 'go-bench', 'google-benchmark', 'autocannon', 'mocha', 'vitest-bench', 'k6', 'perf-lens', 'lighthouse', 'pg-stat-statements',
];

function oneOf<T extends string>(node: JsonNode, allowed: readonly T[]): T {
  const v = node.string();
  if (!allowed.includes(v as T)) node.fail(`"${v}" is not one of ${allowed.join(', ')}`);
  return v as T;
}

function positive(node: JsonNode): number | undefined {
  const v = node.optNumber();
  if (v !== undefined && !(v > 0)) node.fail(`expected a positive number, got ${v}`);
  return v;
}

function relativePath(node: JsonNode): string {
  const v = node.string();
  if (path.isAbsolute(v) || v.split(/[\\/]/).includes('..')) node.fail(`"${v}" must be a path inside the workspace folder`);
  return v;
}

function stringMap(node: JsonNode): Record<string, string> {
  const obj = node.optObject();
  if (!obj) return {};
  return Object.fromEntries(Object.keys(obj.object()).map(k => [k, obj.get(k).string()]));
}

/** A regression suite's `map`: each value must name a workspace-relative file, optionally `::symbol`. */
function sourceMap(node: JsonNode): { map?: Record<string, string> } {
  if (node.missing) return {};
  const map = stringMap(node);
  for (const [id, target] of Object.entries(map)) {
    if (!parseScriptTarget(target)) node.get(id).fail(`"${target}" is not a workspace-relative "path/to/file.py" or "path/to/file.py::function"`);
  }
  return { map };
}

/** `{ serve }` when the suite has one (spread into the suite, so an absent one adds no key). */
function serveOf(node: JsonNode, defaultUrl: string | undefined): { serve?: ServeConfig } {
  const serve = parseServe(node.get('serve'), defaultUrl);
  return serve ? { serve } : {};
}

function unknownKeys(node: JsonNode, known: readonly string[]): void {
  for (const k of Object.keys(node.object())) {
    if (k !== '$schema' && !known.includes(k)) node.get(k).fail(`unknown setting (known: ${known.join(', ')})`);
  }
}

function parseSuite(name: string, node: JsonNode): SuiteConfig {
  if (!/^[A-Za-z0-9][\w.-]*$/.test(name)) node.fail(`suite name "${name}" may hold letters, digits, ".", "-" and "_" only`);
  const kind = oneOf(node.get('kind'), KINDS);
  const resultsNode = node.get('results');
  const results = resultsNode.missing ? [] : typeof resultsNode.value === 'string' ? [relativePath(resultsNode)] : resultsNode.array().map(relativePath);
  const base = {
    name,
    cwd: node.get('cwd').missing ? '.' : relativePath(node.get('cwd')),
    results,
    format: node.get('format').missing ? ('auto' as const) : oneOf(node.get('format'), FORMATS),
    env: stringMap(node.get('env')),
    ...(node.has('database') ? { database: parseDatabaseConfig(node.get('database')) } : {}),
  };
  switch (kind) {
    case 'regression':
      unknownKeys(node, ['kind', 'cwd', 'results', 'format', 'env', 'command', 'runOne', 'database', 'map', 'serve']);
      if (!results.length) node.get('results').fail('missing (a regression suite names the result file(s) its command writes)');
      return { ...base, kind, command: node.get('command').string(), runOne: node.get('runOne').optString(), ...sourceMap(node.get('map')), ...serveOf(node, undefined) };
    case 'memory':
      if (node.has('serve')) node.get('serve').fail('a memory suite starts its own command, the service it samples: serve is for regression, load and frontend suites');
      unknownKeys(node, ['kind', 'cwd', 'results', 'format', 'env', 'command', 'durationSec', 'intervalMs', 'load', 'warmupSec', 'heap', 'database', 'metrics']);
      return {
        ...base,
        kind,
        command: node.get('command').string(),
        durationSec: positive(node.get('durationSec')),
        intervalMs: positive(node.get('intervalMs')),
        load: node.get('load').optString(),
        warmupSec: positive(node.get('warmupSec')),
        heap: node.get('heap').optBoolean(),
        metrics: parseMetricsConfig(node.get('metrics')),
      };
    case 'load': {
      unknownKeys(node, ['kind', 'cwd', 'results', 'format', 'env', 'command', 'engine', 'scenario', 'target', 'durationSec', 'workers', 'users', 'spawnRate', 'database', 'metrics', 'serve']);
      const engine = oneOf(node.get('engine'), ENGINES);
      const suite: LoadSuite = {
        ...base,
        kind,
        engine,
        command: node.get('command').optString(),
        scenario: node.get('scenario').missing ? undefined : relativePath(node.get('scenario')),
        target: node.get('target').optString(),
        durationSec: positive(node.get('durationSec')),
        workers: positive(node.get('workers')),
        users: positive(node.get('users')),
        spawnRate: positive(node.get('spawnRate')),
        metrics: parseMetricsConfig(node.get('metrics')),
      };
      if (suite.target !== undefined && !/^https?:\/\/[^/]/.test(suite.target)) node.get('target').fail(`"${suite.target}" is not an http(s) URL`);
      Object.assign(suite, serveOf(node, suite.target));
      if ((engine === 'builtin' || engine === 'locust') && !suite.scenario && !suite.command) {
        node.get('scenario').fail(`missing (the ${engine} engine needs a scenario file, or give a command)`);
      }
      if ((engine === 'autocannon' || engine === 'k6') && !suite.command) node.get('command').fail(`missing (the ${engine} engine runs your command)`);
      if (engine !== 'locust' && suite.workers !== undefined) node.get('workers').fail('only the locust engine runs workers');
      if (suite.workers !== undefined && !Number.isInteger(suite.workers)) node.get('workers').fail(`expected a whole number of workers, got ${suite.workers}`);
      for (const k of ['users', 'spawnRate'] as const) if (engine !== 'locust' && suite[k] !== undefined) node.get(k).fail('only the locust engine takes this setting');
      return suite;
    }
    case 'frontend':
      return parseFrontendSuite(base, node);
  }
}

function parseFrontendSuite(base: Omit<SuiteBase, 'kind'>, node: JsonNode): FrontendSuite {
  unknownKeys(node, ['kind', 'cwd', 'results', 'format', 'env', 'command', 'urls', 'runs', 'lighthouse', 'chromePath', 'chromeFlags', 'formFactor', 'throttling', 'pages', 'serve']);
  const urlsNode = node.get('urls');
  const urls = urlsNode.array().map(n => {
    const u = n.string();
    // Page suites measure the user's own build: never someone else's site from a CI box.
    if (!/^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(u)) n.fail(`"${u}" is not a local http(s) URL (localhost, 127.0.0.1 or [::1])`);
    return u;
  });
  if (!urls.length) urlsNode.fail('expected at least one URL');
  const runs = positive(node.get('runs')) ?? 3;
  if (!Number.isInteger(runs)) node.get('runs').fail(`expected a whole number of runs, got ${runs}`);
  const pagesNode = node.get('pages').optObject();
  const pages = pagesNode ? Object.fromEntries(Object.keys(pagesNode.object()).map(k => [k, relativePath(pagesNode.get(k))])) : {};
  const command = node.get('command').optString();
  if (command && !base.results.length) node.get('results').fail('missing (a frontend suite with its own command names the result file(s) it writes)');
  return {
    ...base,
    kind: 'frontend',
    results: base.results.length ? base.results : [`.perf/results/${base.name}/manifest.json`],
    command,
    urls,
    runs,
    lighthouse: node.get('lighthouse').optString() ?? 'npx --no-install lighthouse',
    chromePath: node.get('chromePath').optString() ?? '/usr/bin/chromium',
    chromeFlags: node.get('chromeFlags').optString() ?? '--headless=new --no-sandbox',
    formFactor: node.get('formFactor').missing ? 'mobile' : oneOf(node.get('formFactor'), ['mobile', 'desktop'] as const),
    throttling: node.get('throttling').missing ? 'simulate' : oneOf(node.get('throttling'), ['simulate', 'devtools', 'provided'] as const),
    pages,
    ...serveOf(node, urls[0]),
  };
}

/** Validate a parsed config document. Throws IngestError naming the file and field. */
export function parseProjectConfig(file: string, value: unknown): ProjectConfig {
  const root = JsonNode.root(file, value);
  unknownKeys(root, ['version', 'suites', 'budgets', 'verdict', 'history']);
  const version = root.get('version').missing ? CONFIG_VERSION : root.get('version').number();
  if (version !== CONFIG_VERSION) root.get('version').fail(`unsupported version ${version}; this Perf Lens reads version ${CONFIG_VERSION}`);
  const suitesNode = root.get('suites').optObject();
  const suites = suitesNode ? Object.keys(suitesNode.object()).map(name => parseSuite(name, suitesNode.get(name))) : [];
  for (const s of suites) {
    if (s.kind === 'memory' && s.load && !suites.some(o => o.name === s.load && o.kind === 'load')) {
      root.get('suites').get(s.name).get('load').fail(`"${s.load}" is not a load suite of this file`);
    }
  }
  const budgets = root.get('budgets').missing ? [] : parseBudgets(root.get('budgets').value, file);
  budgets.push(...databaseBudgets(suites));
  const verdictNode = root.get('verdict').optObject();
  const verdict: VerdictConfig = { ...DEFAULT_VERDICT };
  if (verdictNode) {
    unknownKeys(verdictNode, ['threshold', 'hardLimit', 'autoUpdateOnImprovement', 'baselineRuns']);
    verdict.threshold = positive(verdictNode.get('threshold')) ?? DEFAULT_VERDICT.threshold;
    verdict.hardLimit = positive(verdictNode.get('hardLimit'));
    if (verdict.hardLimit !== undefined && verdict.hardLimit <= 1) verdictNode.get('hardLimit').fail('a hard limit is a ratio above 1, e.g. 1.5');
    verdict.autoUpdateOnImprovement = positive(verdictNode.get('autoUpdateOnImprovement'));
    const baselineRuns = positive(verdictNode.get('baselineRuns'));
    if (baselineRuns !== undefined && (!Number.isInteger(baselineRuns) || baselineRuns > 50)) verdictNode.get('baselineRuns').fail(`expected a whole number of runs from 1 to 50, got ${baselineRuns}`);
    if (baselineRuns !== undefined) verdict.baselineRuns = baselineRuns;
  }
  const history = parseHistoryRetention(root.get('history'));
  return { file, version, suites, budgets, verdict, ...(history ? { history } : {}) };
}

/** `history: { keepRuns, keepDays }`: only the keys given (the store fills in its defaults). */
function parseHistoryRetention(node: JsonNode): HistoryRetention | undefined {
  const obj = node.optObject();
  if (!obj) return undefined;
  unknownKeys(obj, ['keepRuns', 'keepDays']);
  const keepRuns = positive(obj.get('keepRuns'));
  if (keepRuns !== undefined && !Number.isInteger(keepRuns)) obj.get('keepRuns').fail(`expected a whole number of runs, got ${keepRuns}`);
  const keepDays = positive(obj.get('keepDays'));
  return { ...(keepRuns !== undefined ? { keepRuns } : {}), ...(keepDays !== undefined ? { keepDays } : {}) };
}

/** Read `perf-lens.config.json` from a workspace folder; undefined when there is none. */
export async function loadProjectConfig(folder: string): Promise<ProjectConfig | undefined> {
  const file = path.join(folder, CONFIG_FILE);
  if (!fs.existsSync(file)) return undefined;
  return parseProjectConfig(file, await readJson(file, { maxBytes: 4 * 1024 * 1024 }));
}
