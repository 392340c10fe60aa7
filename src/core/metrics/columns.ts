// A stored prometheus run as chart columns for the panel's load view: per scrape interval the
// server's request rate, 5xx share, CPU and memory, and p95 of the busiest routes. x is
// aligned to the client timeline's t0 so server and client chart on one time axis.
import type { Run, TimelinePoint } from '../model';
import type { RunMeta, ServerMetricsColumns } from '../../shared/protocol';
import { SERVER_NOTE } from './session';

const MAX_ROUTES = 6;

/** Is `candidate` the server run recorded with load run `run` (same suite, started within a minute)? */
export function isServerRunOf(candidate: Pick<RunMeta, 'tool' | 'suite' | 'startedAt'>, run: Pick<Run, 'tool' | 'suite' | 'startedAt'>): boolean {
  return candidate.tool === 'prometheus' && run.tool !== 'prometheus' && candidate.suite === run.suite &&
    Math.abs(Date.parse(candidate.startedAt) - Date.parse(run.startedAt)) <= 60_000;
}

export function serverColumns(run: Run, meta: RunMeta, t0: number): ServerMetricsColumns | undefined {
  const total = run.series.find(s => s.group === 'server' && s.metric === 'throughput' && s.timeline?.length);
  const mem = run.series.find(s => s.group === 'server' && s.memory?.length);
  const routes = run.series
    .filter(s => s.group === 'server' && s.endpoint && s.timeline?.length)
    .sort((a, b) => (b.endpoint?.requests ?? 0) - (a.endpoint?.requests ?? 0))
    .slice(0, MAX_ROUTES);
  const times = [...new Set([...(total?.timeline ?? []).map(p => p.t), ...(mem?.memory ?? []).map(m => m.t)])].sort((a, b) => a - b);
  if (!times.length) return undefined;
  const index = new Map(times.map((t, i) => [t, i]));
  const col = () => times.map(() => null as number | null);
  const rps = col();
  const errorRate = col();
  const cpu = col();
  const rss = col();
  const tl = total?.timeline ?? [];
  tl.forEach((p: TimelinePoint, i) => {
    // Timeline points count requests per scrape interval: the rate divides by that interval.
    const dt = i > 0 ? p.t - tl[i - 1].t : tl.length > 1 ? tl[1].t - tl[0].t : 1;
    const k = index.get(p.t)!;
    rps[k] = dt > 0 ? p.requests / dt : null;
    errorRate[k] = p.requests > 0 ? p.failures / p.requests : null;
  });
  for (const m of mem?.memory ?? []) {
    const k = index.get(m.t)!;
    rss[k] = m.rss;
    cpu[k] = m.cpu ?? null;
  }
  return {
    run: meta,
    x: times.map(t => Math.round((t - t0) * 1000) / 1000),
    rps,
    errorRate,
    cpu,
    rss,
    routes: routes.map(s => {
      const p95 = col();
      for (const p of s.timeline ?? []) {
        const k = index.get(p.t);
        if (k !== undefined) p95[k] = p.percentiles?.p95 ?? null;
      }
      return { id: s.id.replace(/ \(server\)$/, ''), p95 };
    }),
    findings: (run.notes ?? []).filter(n => n.startsWith('alert ')),
    note: SERVER_NOTE,
  };
}
