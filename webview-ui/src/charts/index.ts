// Charts: uPlot 1.6.32, chosen by measurement against Chart.js 4.6.1 with min-max decimation.
// bench/panel.ts, headless Debian Chromium 156, 2 cores at load average ~9 (parallel builds, so
// noisy), median of 5, time from the data message to the frame after the chart is drawn:
//                                   10k       100k      1M points     JS heap at 1M
//   uPlot,    1M raw as JSON        ~155 ms   ~230 ms   ~440 ms (draw ~180)   48 MB
//   Chart.js, 1M raw as JSON        ~320 ms   ~150 ms   ~1140 ms (draw ~800)  95 MB
//   uPlot,    host-thinned (panel)  ~115 ms   ~110 ms   ~70 ms                 2 MB
//   Chart.js, host-thinned          ~140 ms   ~125 ms   ~100 ms                3 MB
// (an earlier run at load ~10 put uPlot's raw 1M at ~1250 ms: receiving 1M points costs more
// than drawing them.) uPlot draws ~4× faster with half the heap and is 50 kB. The panel does not
// rely on raw 1M points crossing the message: the host thins each series to ≤ MAX_CHART_POINTS
// (first/min/max/last per bucket, so spikes survive; src/features/panelData.ts), which meets the
// 1M-in-<500 ms target with a wide margin. Re-run: npx tsc -p . && node out/bench/panel.js 5
import uPlot from 'uplot';
import { palette, withAlpha, type Palette } from '../theme';

export interface LineSpec {
  label: string;
  values: (number | null)[];
  colour: keyof Omit<Palette, 'fg' | 'muted' | 'grid' | 'font'>;
  dash?: boolean;
  /** Draw markers only (no line), e.g. regressions. */
  pointsOnly?: boolean;
  width?: number;
  /** Right-hand axis (users on the throughput chart). */
  scale?: 'y' | 'y2';
}

export interface ChartSpec {
  /** File-name stem for exports; shown as the chart's heading. */
  title: string;
  x: number[];
  xKind: 'seconds' | 'index';
  /** Labels for index x (commits), used by the axis and CSV. */
  xLabels?: string[];
  lines: LineSpec[];
  yFormat: (v: number) => string;
  y2Format?: (v: number) => string;
  /** Fill between two lines (indexes into `lines`, upper first). */
  bands?: [number, number][];
  /** Shaded x range, e.g. the load window of a memory check. */
  shade?: { from: number; to: number; label: string };
  onPointClick?: (index: number) => void;
  height?: number;
}

export interface DrawnChart {
  element: HTMLElement;
  plot: uPlot;
  destroy(): void;
  /** Appends points (live load test). Values align with `lines`. A zoomed-in chart stays zoomed. */
  append(x: number[], values: (number | null)[][]): void;
  /** The x range shown when the user has zoomed in (drag-select); undefined when showing all. */
  zoomed(): [number, number] | undefined;
  /** Shows `range` of x (a redrawn chart keeps the zoom of the one it replaces). */
  zoomTo(range: [number, number]): void;
  pngBase64(): string;
  csv(): string;
}

function fmtX(spec: ChartSpec, v: number): string {
  if (spec.xKind === 'index') return spec.xLabels?.[Math.round(v)] ?? '';
  if (v >= 3600) return `${(v / 3600).toFixed(1)} h`;
  if (v >= 120) return `${(v / 60).toFixed(0)} min`;
  return `${Math.round(v)} s`;
}

/** Draws one chart into `host`; the width follows the host's size. */
export function drawChart(host: HTMLElement, spec: ChartSpec): DrawnChart {
  const p = palette();
  const data: (number | null)[][] = [spec.x.slice(), ...spec.lines.map(l => l.values.slice())];
  const axis = (scale: string, fmt: (v: number) => string, side?: uPlot.Axis.Side): uPlot.Axis => ({
    scale,
    // An explicit `side: undefined` would override uPlot's default (left) and lay the axis out as horizontal.
    ...(side === undefined ? {} : { side }),
    stroke: p.fg,
    font: p.font,
    grid: { stroke: p.grid, width: 1, show: scale === 'y' },
    ticks: { stroke: p.grid, width: 1 },
    size: 70,
    values: (_u, vals) => vals.map(v => (v === null ? '' : fmt(v))),
  });
  const shade = spec.shade;
  const element = document.createElement('div');
  element.className = 'chart';
  host.append(element);
  const opts: uPlot.Options = {
    width: Math.max(320, host.clientWidth || 800),
    height: spec.height ?? 240,
    scales: { x: { time: false }, y: { range: (_u, lo, hi) => [Math.min(0, lo), hi > 0 ? hi * 1.05 : 1] }, y2: { range: (_u, lo, hi) => [Math.min(0, lo), hi > 0 ? hi * 1.05 : 1] } },
    axes: [
      {
        stroke: p.fg,
        font: p.font,
        grid: { stroke: p.grid, width: 1 },
        ticks: { stroke: p.grid, width: 1 },
        values: (_u, vals) => vals.map(v => (v === null ? '' : fmtX(spec, v))),
        ...(spec.xKind === 'index' ? { incrs: [1, 2, 5, 10, 20, 50, 100] } : {}),
      },
      axis('y', spec.yFormat),
      ...(spec.lines.some(l => l.scale === 'y2') ? [axis('y2', spec.y2Format ?? spec.yFormat, 1)] : []),
    ],
    series: [
      { label: spec.xKind === 'index' ? 'run' : 'time', value: (_u, v) => (v === null ? '–' : fmtX(spec, v)) },
      ...spec.lines.map<uPlot.Series>(l => ({
        label: l.label,
        scale: l.scale ?? 'y',
        stroke: p[l.colour],
        width: l.width ?? (l.pointsOnly ? 0 : 1.5),
        dash: l.dash ? [6, 4] : undefined,
        spanGaps: !l.pointsOnly,
        paths: l.pointsOnly ? () => null : undefined,
        points: l.pointsOnly ? { show: true, size: 10, stroke: p[l.colour], fill: p[l.colour] } : { show: spec.xKind === 'index' },
        value: (_u, v) => (v === null ? '–' : (l.scale === 'y2' && spec.y2Format ? spec.y2Format : spec.yFormat)(v)),
      })),
    ],
    bands: spec.bands?.map(([hi, lo]) => ({ series: [hi + 1, lo + 1] as [number, number], fill: withAlpha(p[spec.lines[hi].colour], 0.15) })),
    legend: { show: true },
    cursor: { drag: { x: true, y: false } },
    hooks: {
      // The x range on the element: what tests and screenshots can read (the axes are canvas).
      setScale: [(u, key) => void (key === 'x' && (element.dataset.xRange = `${u.scales.x.min}..${u.scales.x.max}`))],
      ...(shade
        ? {
            drawClear: [
              u => {
                const x0 = u.valToPos(shade.from, 'x', true);
                const x1 = u.valToPos(shade.to, 'x', true);
                const { top, height } = u.bbox;
                u.ctx.save();
                u.ctx.fillStyle = withAlpha(p.yellow, 0.14);
                u.ctx.fillRect(x0, top, x1 - x0, height);
                u.ctx.fillStyle = p.muted;
                u.ctx.font = p.font;
                u.ctx.fillText(shade.label, x0 + 4, top + 14 * devicePixelRatio);
                u.ctx.restore();
              },
            ],
          }
        : {}),
    },
  };
  const plot = new uPlot(opts, data as uPlot.AlignedData, element);
  if (spec.onPointClick) {
    const click = spec.onPointClick;
    plot.over.addEventListener('click', () => {
      const i = plot.cursor.idx;
      if (i !== null && i !== undefined) click(i);
    });
    plot.over.classList.add('clickable');
  }
  const resize = new ResizeObserver(() => {
    const w = Math.max(320, host.clientWidth);
    if (Math.abs(w - plot.width) > 4) plot.setSize({ width: w, height: plot.height });
  });
  resize.observe(host);
  const zoomed = (): [number, number] | undefined => {
    const xs = data[0] as number[];
    const { min, max } = plot.scales.x;
    if (xs.length < 2 || min == null || max == null) return undefined;
    const slack = (xs[xs.length - 1] - xs[0]) * 1e-6;
    return min > xs[0] + slack || max < xs[xs.length - 1] - slack ? [min, max] : undefined;
  };
  return {
    element,
    plot,
    destroy() {
      resize.disconnect();
      plot.destroy();
      element.remove();
    },
    append(x, values) {
      const keep = zoomed();
      data[0].push(...x);
      values.forEach((col, i) => data[i + 1]?.push(...col));
      // Following the run unless the user zoomed in: then the new points arrive off to the right.
      plot.setData(data as uPlot.AlignedData, !keep);
    },
    zoomed,
    zoomTo([min, max]) {
      plot.setScale('x', { min, max });
    },
    pngBase64() {
      return plot.ctx.canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
    },
    csv() {
      const head = [spec.xKind === 'index' ? 'run' : 'seconds', ...spec.lines.map(l => l.label)];
      const rows = data[0].map((x, i) => [spec.xKind === 'index' ? spec.xLabels?.[i] ?? String(x) : String(x), ...spec.lines.map((_, j) => (data[j + 1][i] ?? '').toString())]);
      return [head, ...rows].map(r => r.map(csvCell).join(',')).join('\n') + '\n';
    },
  };
}

/** RFC 4180 cell; a leading =+-@ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvCell(v: string): string {
  const safe = /^[=+\-@]/.test(v) && !/^-?\d/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
