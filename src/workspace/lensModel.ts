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
