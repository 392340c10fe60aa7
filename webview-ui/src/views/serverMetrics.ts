// Server-side metrics of a load test (scraped from the service's Prometheus endpoint): request
// rate and 5xx share, p95 per route, memory and CPU — charted below the client timeline on the
// same time axis, with the alert findings of the run. Latencies are approximate (bucket interpolation).
import type { ServerMetricsColumns } from '../../../src/shared/protocol';
import type { DrawnChart, LineSpec } from '../charts';
import { el, fmtBytes, fmtNumber, fmtSeconds } from '../dom';
import { chartBox, notesList } from './common';

const ROUTE_COLOURS: LineSpec['colour'][] = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'];
const pct = (v: number) => `${fmtNumber(v)}%`;

/** The server section's heading and findings (placed at once) and its charts (drawn by `draw`). */
export function serverMetricsSection(host: HTMLElement, s: ServerMetricsColumns, status: (text: string, error?: boolean) => void): { draw(): DrawnChart[] } {
  const section = el('section', undefined, 'server-metrics');
  section.append(el('h3', 'Server metrics (Prometheus)'));
  section.append(el('p', `${s.note}; ${s.x.length} scrape interval(s).`, 'muted'));
  const findings = notesList(s.findings);
  if (findings) section.append(findings);
  host.append(section);
  return {
    draw() {
      if (!s.x.length) return [];
      const charts: DrawnChart[] = [];
      charts.push(chartBox(section, {
        title: 'Server throughput and 5xx share',
        x: s.x,
        xKind: 'seconds',
        lines: [
          { label: 'server req/s', values: s.rps, colour: 'blue' },
          { label: '5xx %', values: s.errorRate.map(v => (v === null ? null : 100 * v)), colour: 'red', scale: 'y2' },
        ],
        yFormat: n => `${fmtNumber(n)}/s`,
        y2Format: pct,
      }, status));
      if (s.routes.length) {
        charts.push(chartBox(section, {
          title: 'Server p95 by route (approximate, from histogram buckets)',
          x: s.x,
          xKind: 'seconds',
          lines: s.routes.map((r, i) => ({ label: r.id, values: r.p95, colour: ROUTE_COLOURS[i % ROUTE_COLOURS.length] })),
          yFormat: fmtSeconds,
        }, status));
      }
      if (s.rss.some(v => v !== null) || s.cpu.some(v => v !== null)) {
        charts.push(chartBox(section, {
          title: 'Server memory and CPU',
          x: s.x,
          xKind: 'seconds',
          lines: [
            { label: 'RSS', values: s.rss, colour: 'purple' },
            { label: 'CPU % of a core', values: s.cpu, colour: 'orange', scale: 'y2' },
          ],
          yFormat: fmtBytes,
          y2Format: pct,
        }, status));
      }
      return charts;
    },
  };
}
