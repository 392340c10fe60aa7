// Which stored results belong to which located definition in one file: the mapping
// behind lenses, hovers and diagnostics. Benchmarks and tests by id (pytest fullname with
// parameters, Go names, mocha titles), endpoints by route-template matching.
import type { Finding } from '../core/locate/types';
import { matchBenchmarkId, stripPytestParams } from '../core/match/benchmark';
import { matchRoute } from '../core/match/route';
import type { SeriesState } from './resultsStore';

export interface LensItem {
  finding: Finding;
  /** Results of this definition (several for parametrized benchmarks), newest data per id. */
  states: SeriesState[];
  /** Result ids that matched this definition and another one equally well. */
  ambiguous: string[];
}

/**
 * Maps each result onto at most one finding of this file. A result that could be several
 * findings is listed as ambiguous on each candidate, never guessed.
 */
export function lensItems(findings: readonly Finding[], states: readonly SeriesState[]): LensItem[] {
  const items = findings.map(finding => ({ finding, states: [] as SeriesState[], ambiguous: [] as string[] }));
  const byFinding = new Map(findings.map((f, i) => [f, items[i]]));
  const endpoints = findings.filter(f => f.kind === 'endpoint' && f.route !== undefined);
  const callable = findings.filter(f => f.kind === 'test' || f.kind === 'benchmark');
  // Index by id so the common exact case costs one lookup per result.
  const byId = new Map<string, Finding[]>();
  for (const f of callable) byId.set(f.id, [...(byId.get(f.id) ?? []), f]);
  for (const s of states) {
    if (s.series.endpoint) {
      if (!endpoints.length) continue;
      const m = matchRoute({ method: s.series.endpoint.method, route: s.series.endpoint.route }, endpoints);
      if (m.status === 'matched') byFinding.get(m.target)?.states.push(s);
      else if (m.status === 'ambiguous') for (const c of m.candidates) byFinding.get(c)?.ambiguous.push(s.id);
      continue;
    }
    if (!callable.length) continue;
    const direct = byId.get(s.id) ?? byId.get(stripPytestParams(s.id));
    const m = direct?.length === 1 ? ({ status: 'matched', target: direct[0] } as const) : matchBenchmarkId(s.id, callable);
    if (m.status === 'matched') byFinding.get(m.target)?.states.push(s);
    else if (m.status === 'ambiguous') for (const c of m.candidates) byFinding.get(c)?.ambiguous.push(s.id);
  }
  for (const item of items) item.states.sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
  return items;
}

/** A suite task running now, as its task definition says (kept in memory from task start/end events). */
export interface RunningSuite {
  suite: string;
  /** The suite's kind from the project config, when known. */
  kind?: string;
  /** Narrowed to one benchmark or test (series or definition id). */
  only?: string;
  /** Narrowed to one handler's route ("GET /api/videos/{id}"). */
  route?: string;
}

/** "GET /api/videos/{id}": how a handler is named to the load engine's --only-route. */
export function endpointRoute(finding: Finding): string | undefined {
  return finding.route === undefined ? undefined : `${finding.method && finding.method !== '*' ? `${finding.method} ` : ''}${finding.route}`;
}

/**
 * Whether a running suite will produce new numbers for this item: a run narrowed to it, or a
 * whole run of the suite its results came from. An item with no results yet is claimed by a
 * whole run of the kind that would measure it (regression for benchmarks, load for handlers).
 */
export function runsFor(item: LensItem, running: readonly RunningSuite[]): RunningSuite | undefined {
  const { finding } = item;
  return running.find(r => {
    if (r.only !== undefined) return r.only === finding.id || item.states.some(s => s.id === r.only);
    if (r.route !== undefined) return finding.kind === 'endpoint' && r.route === endpointRoute(finding);
    if (item.states.length) return item.states.some(s => s.run.suite === r.suite);
    return finding.kind === 'endpoint' ? r.kind === 'load' : finding.kind === 'benchmark' && r.kind === 'regression';
  });
}
