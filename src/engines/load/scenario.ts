// Load scenario: what to send, how often and for how long. Same shape as the seed's locustfile
// (weighted tasks, random path parameters, per-request response-time checks), as JSON.
// Parsed by hand so every error names the file and the field path, e.g.
// `s.json: expected a positive number, got -1 (field requests[2].weight)`.
import { matchRoute, splitMethod } from '../../core/match/route';
import { HTTP_TOKEN, LINE_BREAK, NOT_IN_PATH } from './rawClient';

export type ParamSpec =
  | { kind: 'const'; value: string }
  | { kind: 'choice'; values: string[] }
  | { kind: 'range'; min: number; max: number }; // integers, inclusive

export interface RequestSpec {
  /** Series id and label: `name` from the file, else `METHOD /path/template` (query dropped). */
  key: string;
  method: string;
  /** Path template with `{param}` placeholders, may include a query string. */
  path: string;
  /** Route template without the query string, for route matching. */
  route: string;
  weight: number;
  headers: Record<string, string>;
  /** Serialized JSON body, when the request has one. */
  body?: string;
  /** Expected status codes; anything else is a failure. */
  expectStatus: number[];
  /** A response slower than this counts as a failure (the locustfile's `elapsed > 0.5` checks). */
  maxResponseTimeSec?: number;
  params: Record<string, ParamSpec>;
}

export interface Scenario {
  target: URL;
  /** Non-loopback host names the user allowed explicitly. */
  allowHosts: string[];
  mode: 'closed' | 'open';
  connections: number;
  pipelining: number;
  /** Open loop: intended arrivals per second. */
  rate?: number;
  durationSec?: number;
  maxRequests?: number;
  rampUpSec: number;
  timeoutSec: number;
  /** Closed loop: pause per virtual user between requests, uniform in [min, max] seconds. */
  thinkTimeSec?: [number, number];
  requests: RequestSpec[];
  seed: number;
  /**
   * The HTTP client: "auto" (default) frames plain http responses itself (rawClient.ts, the
   * cheaper path per request) and uses undici for https; "undici" uses undici for both.
   */
  client: 'auto' | 'undici';
}

export class ScenarioError extends Error {
  constructor(readonly file: string, readonly field: string, detail: string) {
    super(`${file}: ${detail}${field ? ` (field ${field})` : ''}`);
    this.name = 'ScenarioError';
  }
}

/** Hard caps so a typo cannot start an unbounded run. */
export const LIMITS = { maxDurationSec: 3600, maxConnections: 10_000, maxRate: 1_000_000, maxPipelining: 256 };

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** What the command line gives (a suite's `target` and `durationSec`): the file may then leave them out, and they win. */
export interface ScenarioOverrides {
  target?: string;
  durationSec?: number;
}

/** Parse scenario JSON text. `file` names the source in errors. */
export function parseScenario(text: string, file = 'scenario', given: ScenarioOverrides = {}): Scenario {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch (e) {
    throw new ScenarioError(file, '', `not valid JSON: ${(e as Error).message}`);
  }
  return new Reader(file).scenario(root, given);
}

class Reader {
  constructor(private readonly file: string) {}

  fail(field: string, detail: string): never {
    throw new ScenarioError(this.file, field, detail);
  }

  obj(v: Json | undefined, field: string): Record<string, Json> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(field, `expected an object, got ${kind(v)}`);
    return v;
  }

  str(v: Json | undefined, field: string): string {
    if (typeof v !== 'string' || v === '') this.fail(field, `expected a non-empty string, got ${kind(v)}`);
    return v;
  }

  num(v: Json | undefined, field: string, opts: { min?: number; max?: number; int?: boolean; positive?: boolean } = {}): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, `expected a number, got ${kind(v)}`);
    if (opts.int && !Number.isInteger(v)) this.fail(field, `expected an integer, got ${v}`);
    if (opts.positive && v <= 0) this.fail(field, `expected a positive number, got ${v}`);
    if (opts.min !== undefined && v < opts.min) this.fail(field, `expected a number >= ${opts.min}, got ${v}`);
    if (opts.max !== undefined && v > opts.max) this.fail(field, `expected a number <= ${opts.max}, got ${v}`);
    return v;
  }

  optNum(v: Json | undefined, field: string, opts: Parameters<Reader['num']>[2] = {}): number | undefined {
    return v === undefined ? undefined : this.num(v, field, opts);
  }

  scenario(root: Json, given: ScenarioOverrides = {}): Scenario {
    const o = this.obj(root, '');
    const known = ['target', 'allowHosts', 'mode', 'connections', 'pipelining', 'rate', 'durationSec', 'maxRequests',
      'rampUpSec', 'timeoutSec', 'thinkTimeSec', 'headers', 'params', 'requests', 'seed', 'client', '$schema', 'description'];
    for (const k of Object.keys(o)) if (!known.includes(k)) this.fail(k, `unknown field "${k}" (known: ${known.join(', ')})`);

    const targetText = given.target ?? this.str(o.target, 'target');
    let target: URL;
    try {
      target = new URL(targetText);
    } catch {
      this.fail('target', `expected an http:// URL, got "${targetText}"`);
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') this.fail('target', `expected http or https, got "${target.protocol}"`);
    if (target.search || target.hash) this.fail('target', 'the base URL takes no query or fragment; put them in request paths');

    const allowHosts = o.allowHosts === undefined ? [] : this.array(o.allowHosts, 'allowHosts').map((h, i) => this.str(h, `allowHosts[${i}]`).toLowerCase());
    const mode = o.mode === undefined ? 'closed' : this.str(o.mode, 'mode');
    if (mode !== 'closed' && mode !== 'open') this.fail('mode', `expected "closed" or "open", got "${mode}"`);
    const connections = this.optNum(o.connections, 'connections', { int: true, min: 1, max: LIMITS.maxConnections }) ?? 10;
    const pipelining = this.optNum(o.pipelining, 'pipelining', { int: true, min: 1, max: LIMITS.maxPipelining }) ?? 1;
    const rate = this.optNum(o.rate, 'rate', { positive: true, max: LIMITS.maxRate });
    if (mode === 'open' && rate === undefined) this.fail('rate', 'open loop needs "rate" (requests per second)');
    if (mode === 'closed' && rate !== undefined) this.fail('rate', '"rate" applies to mode "open" only');
    const durationSec = given.durationSec ?? this.optNum(o.durationSec, 'durationSec', { positive: true, max: LIMITS.maxDurationSec });
    const maxRequests = this.optNum(o.maxRequests, 'maxRequests', { int: true, min: 1 });
    if (durationSec === undefined && maxRequests === undefined) this.fail('durationSec', 'give "durationSec" or "maxRequests" so the run is bounded');
    const rampUpSec = this.optNum(o.rampUpSec, 'rampUpSec', { min: 0, max: LIMITS.maxDurationSec }) ?? 0;
    if (durationSec !== undefined && rampUpSec >= durationSec) this.fail('rampUpSec', `ramp-up (${rampUpSec} s) must be shorter than durationSec (${durationSec} s)`);
    const timeoutSec = this.optNum(o.timeoutSec, 'timeoutSec', { positive: true, max: 600 }) ?? 10;
    let thinkTimeSec: [number, number] | undefined;
    if (o.thinkTimeSec !== undefined) {
      if (mode === 'open') this.fail('thinkTimeSec', 'think time applies to mode "closed" only (open loop sends at "rate")');
      if (typeof o.thinkTimeSec === 'number') {
        const t = this.num(o.thinkTimeSec, 'thinkTimeSec', { min: 0 });
        thinkTimeSec = [t, t];
      } else {
        const a = this.array(o.thinkTimeSec, 'thinkTimeSec');
        if (a.length !== 2) this.fail('thinkTimeSec', `expected a number or [min, max], got ${a.length} values`);
        const lo = this.num(a[0], 'thinkTimeSec[0]', { min: 0 });
        const hi = this.num(a[1], 'thinkTimeSec[1]', { min: lo });
        thinkTimeSec = [lo, hi];
      }
    }
    const headers = o.headers === undefined ? {} : this.headers(o.headers, 'headers');
    const params = o.params === undefined ? {} : this.params(o.params, 'params');
    const reqs = this.array(o.requests, 'requests');
    if (reqs.length === 0) this.fail('requests', 'expected at least one request');
    const requests = reqs.map((r, i) => this.request(r, `requests[${i}]`, headers, params));
    const seen = new Map<string, number>();
    requests.forEach((r, i) => {
      const prev = seen.get(r.key);
      if (prev !== undefined) this.fail(`requests[${i}]`, `same series id "${r.key}" as requests[${prev}]; give one a "name"`);
      seen.set(r.key, i);
    });
    const seed = this.optNum(o.seed, 'seed', { int: true }) ?? Date.now() % 2 ** 31;
    const client = o.client === undefined ? 'auto' : this.str(o.client, 'client');
    if (client !== 'auto' && client !== 'undici') this.fail('client', `expected "auto" or "undici", got "${client}"`);
    return { target, allowHosts, mode, connections, pipelining, rate, durationSec, maxRequests, rampUpSec, timeoutSec, thinkTimeSec, requests, seed, client };
  }

  array(v: Json | undefined, field: string): Json[] {
    if (!Array.isArray(v)) this.fail(field, `expected an array, got ${kind(v)}`);
    return v;
  }

  headers(v: Json, field: string): Record<string, string> {
    const o = this.obj(v, field);
    const out: Record<string, string> = {};
    for (const [k, h] of Object.entries(o)) {
      if (typeof h !== 'string') this.fail(`${field}.${k}`, `expected a string header value, got ${kind(h)}`);
      if (!HTTP_TOKEN.test(k)) this.fail(`${field}.${k}`, `"${k}" is not a valid header name`);
      if (LINE_BREAK.test(h)) this.fail(`${field}.${k}`, 'a header value may not contain line breaks');
      out[k.toLowerCase()] = h;
    }
    return out;
  }

  params(v: Json, field: string): Record<string, ParamSpec> {
    const o = this.obj(v, field);
    const out: Record<string, ParamSpec> = {};
    for (const [k, p] of Object.entries(o)) out[k] = this.param(p, `${field}.${k}`);
    return out;
  }

  param(v: Json, field: string): ParamSpec {
    if (typeof v === 'string' || typeof v === 'number') return { kind: 'const', value: String(v) };
    const o = this.obj(v, field);
    if (o.choice !== undefined) {
      const a = this.array(o.choice, `${field}.choice`);
      if (a.length === 0) this.fail(`${field}.choice`, 'expected at least one value');
      return {
        kind: 'choice',
        values: a.map((x, i) => {
          if (typeof x !== 'string' && typeof x !== 'number') this.fail(`${field}.choice[${i}]`, `expected a string or number, got ${kind(x)}`);
          return String(x);
        }),
      };
    }
    if (o.range !== undefined) {
      const a = this.array(o.range, `${field}.range`);
      if (a.length !== 2) this.fail(`${field}.range`, `expected [min, max], got ${a.length} values`);
      const min = this.num(a[0], `${field}.range[0]`, { int: true });
      const max = this.num(a[1], `${field}.range[1]`, { int: true, min });
      return { kind: 'range', min, max };
    }
    this.fail(field, 'expected a string, a number, {"choice": [...]} or {"range": [min, max]}');
  }

  request(v: Json, field: string, baseHeaders: Record<string, string>, baseParams: Record<string, ParamSpec>): RequestSpec {
    const o = this.obj(v, field);
    const known = ['name', 'method', 'path', 'weight', 'headers', 'json', 'expectStatus', 'maxResponseTimeSec', 'params'];
    for (const k of Object.keys(o)) if (!known.includes(k)) this.fail(`${field}.${k}`, `unknown field "${k}" (known: ${known.join(', ')})`);
    const method = (o.method === undefined ? 'GET' : this.str(o.method, `${field}.method`)).toUpperCase();
    if (!METHODS.includes(method)) this.fail(`${field}.method`, `expected one of ${METHODS.join(', ')}, got "${method}"`);
    const path = this.str(o.path, `${field}.path`);
    if (!path.startsWith('/')) this.fail(`${field}.path`, `expected a path starting with "/", got "${path}"`);
    if (NOT_IN_PATH.test(path)) this.fail(`${field}.path`, `a path may not contain spaces or line breaks (encode them: %20), got ${JSON.stringify(path)}`);
    const params = { ...baseParams, ...(o.params === undefined ? {} : this.params(o.params, `${field}.params`)) };
    for (const m of path.matchAll(PLACEHOLDER)) {
      if (!params[m[1]]) this.fail(`${field}.path`, `placeholder {${m[1]}} has no entry in "params"`);
    }
    const route = path.split('?')[0];
    const key = o.name === undefined ? `${method} ${route}` : this.str(o.name, `${field}.name`);
    const weight = this.optNum(o.weight, `${field}.weight`, { positive: true }) ?? 1;
    const headers = { ...baseHeaders, ...(o.headers === undefined ? {} : this.headers(o.headers, `${field}.headers`)) };
    let body: string | undefined;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers['content-type'] ??= 'application/json';
    }
    let expectStatus = [200];
    if (o.expectStatus !== undefined) {
      const raw = typeof o.expectStatus === 'number' ? [o.expectStatus] : this.array(o.expectStatus, `${field}.expectStatus`);
      if (raw.length === 0) this.fail(`${field}.expectStatus`, 'expected at least one status code');
      expectStatus = raw.map((s, i) => this.num(s, `${field}.expectStatus[${i}]`, { int: true, min: 100, max: 599 }));
    }
    const maxResponseTimeSec = this.optNum(o.maxResponseTimeSec, `${field}.maxResponseTimeSec`, { positive: true });
    return { key, method, path, route, weight, headers, body, expectStatus, maxResponseTimeSec, params };
  }
}

function kind(v: Json | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `string "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"` : typeof v;
}

/**
 * The scenario narrowed to the requests a handler serves (`--only-route "GET /api/videos/{id}"`,
 * any framework's template syntax): each request's method and route are matched against that
 * one template by the shared route matcher. The weights of the kept requests keep their ratios.
 * Nothing matching is an error listing what the scenario does send.
 */
export function onlyRoute(sc: Scenario, only: string, file = 'scenario'): Scenario {
  const wanted = splitMethod(only);
  if (!wanted.route.startsWith('/')) throw new ScenarioError(file, '', `--only-route expects "[METHOD] /path", got "${only}"`);
  const requests = sc.requests.filter(r => matchRoute({ method: r.method, route: r.route }, [wanted]).status === 'matched');
  if (!requests.length) {
    const sent = sc.requests.map(r => `${r.method} ${r.route}`).join(', ');
    throw new ScenarioError(file, 'requests', `no request matches route "${only}" (the scenario sends ${sent})`);
  }
  return { ...sc, requests };
}

/** Fill `{param}` placeholders; `random` is uniform in [0, 1). */
export function fillPath(req: RequestSpec, random: () => number): string {
  return req.path.replace(PLACEHOLDER, (_, name: string) => encodeURIComponent(paramValue(req.params[name], random)));
}

function paramValue(p: ParamSpec, random: () => number): string {
  switch (p.kind) {
    case 'const':
      return p.value;
    case 'choice':
      return p.values[Math.floor(random() * p.values.length)];
    case 'range':
      return String(p.min + Math.floor(random() * (p.max - p.min + 1)));
  }
}

/** Weighted pick: cumulative weights, binary search. */
export function makePicker<T extends { weight: number }>(requests: readonly T[], random: () => number): () => T {
  const cum: number[] = [];
  let total = 0;
  for (const r of requests) cum.push((total += r.weight));
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return requests[lo];
  };
}
