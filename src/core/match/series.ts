// Join a result series (src/core/model.ts) to the source it measures: endpoint stats to the
// handler by route-template matching (falling back to the load-test task that names the
// request), everything else by benchmark/test id. Ambiguity is passed through, not resolved.
import type { Series } from '../model';
import type { Finding } from '../locate/types';
import { matchBenchmarkId } from './benchmark';
import { matchRoute, methodsAgree, RouteMatch, splitMethod } from './route';

/** A finding and the workspace-relative file it is in. */
export interface Located {
  file: string;
  finding: Finding;
}

const sameDefinition = (a: Located, b: Located): boolean => a.file === b.file && a.finding.nameRange.start.line === b.finding.nameRange.start.line;

function unwrap<W extends { l: Located }>(r: RouteMatch<W>): RouteMatch<Located> {
  if (r.status === 'matched') return { status: 'matched', target: r.target.l };
  if (r.status === 'ambiguous') return { status: 'ambiguous', candidates: r.candidates.map(c => c.l) };
  return r;
}

export function matchSeries(series: Series, located: readonly Located[]): RouteMatch<Located> {
  if (series.endpoint) {
    const split = splitMethod(series.endpoint.route);
    const method = series.endpoint.method ?? split.method;
    const endpoints = located
      .filter(l => l.finding.kind === 'endpoint')
      .map(l => ({ method: l.finding.method, route: l.finding.route, l }));
    const byRoute = unwrap(matchRoute({ method, route: split.route }, endpoints, (a, b) => sameDefinition(a.l, b.l)));
    if (byRoute.status !== 'none') return byRoute;
    // No handler in the workspace (e.g. the service is elsewhere): the task that makes the request.
    const tasks = located.filter(l => l.finding.requests?.some(r => r.name === split.route && methodsAgree(method, r.method)));
    if (tasks.length === 1) return { status: 'matched', target: tasks[0] };
    return tasks.length ? { status: 'ambiguous', candidates: tasks } : { status: 'none' };
  }
  const items = located.map(l => ({ id: l.finding.id, kind: l.finding.kind, language: l.finding.language, l }));
  return unwrap(matchBenchmarkId(series.id, items));
}
