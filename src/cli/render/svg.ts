// Small hand-written SVG charts for the self-contained HTML report: no script, no network,
// every label escaped. Colours come from CSS classes so the report's theme decides them.

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const n = (x: number): string => (Math.round(x * 10) / 10).toString();

/** 1, 2, 5 × 10^k ticks covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

export interface Line {
  label: string;
  /** CSS class picking the colour: s0 … s5. */
  cls: string;
  points: [number, number][];
}

export interface LineChartSpec {
  title: string;
  kind: string;
  lines: Line[];
  xFormat: (x: number) => string;
  yFormat: (y: number) => string;
  /** Vertical markers (e.g. load start/end). */
  marks?: { x: number; label: string }[];
  width?: number;
  height?: number;
}

export function lineChart(spec: LineChartSpec): string {
  const W = spec.width ?? 640;
  const H = spec.height ?? 240;
  const m = { l: 64, r: 12, t: 28, b: 36 };
  // A line needs two points to be drawn; a chart with none is left out rather than shown empty.
  const lines = spec.lines
    .map(l => ({ ...l, points: l.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)) }))
    .filter(l => l.points.length >= 2);
  const all = lines.flatMap(l => l.points);
  if (!all.length) return '';
  const xs = all.map(p => p[0]);
  const ys = all.map(p => p[1]);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs) > x0 ? Math.max(...xs) : x0 + 1;
  const y0 = Math.min(0, ...ys);
  const y1 = Math.max(...ys) > y0 ? Math.max(...ys) * 1.05 : y0 + 1;
  const X = (x: number): number => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const Y = (y: number): number => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg class="chart" data-chart="${esc(spec.kind)}" role="img" aria-label="${esc(spec.title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${esc(spec.title)}</title>`,
    `<text class="title" x="${m.l}" y="16">${esc(spec.title)}</text>`,
  ];
  for (const t of niceTicks(y0, y1)) {
    parts.push(`<line class="grid" x1="${m.l}" x2="${W - m.r}" y1="${n(Y(t))}" y2="${n(Y(t))}"/>`);
    parts.push(`<text class="tick" x="${m.l - 4}" y="${n(Y(t) + 4)}" text-anchor="end">${esc(spec.yFormat(t))}</text>`);
  }
  for (const t of niceTicks(x0, x1, 6)) {
    parts.push(`<text class="tick" x="${n(X(t))}" y="${H - m.b + 14}" text-anchor="middle">${esc(spec.xFormat(t))}</text>`);
  }
  parts.push(`<line class="axis" x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}"/>`);
  for (const mk of spec.marks ?? []) {
    if (mk.x < x0 || mk.x > x1) continue;
    parts.push(`<line class="mark" x1="${n(X(mk.x))}" x2="${n(X(mk.x))}" y1="${m.t}" y2="${H - m.b}"/><text class="tick" x="${n(X(mk.x) + 3)}" y="${m.t + 10}">${esc(mk.label)}</text>`);
  }
  lines.forEach((l, i) => {
    parts.push(`<polyline class="line ${esc(l.cls)}" fill="none" points="${l.points.map(([x, y]) => `${n(X(x))},${n(Y(y))}`).join(' ')}"><title>${esc(l.label)}</title></polyline>`);
    const lx = m.l + 8 + i * 84;
    parts.push(`<rect class="key ${esc(l.cls)}" x="${lx}" y="${H - 14}" width="10" height="4"/><text class="tick" x="${lx + 14}" y="${H - 9}">${esc(l.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface RatioBar {
  label: string;
  ratio: number;
  ci?: [number, number];
  /** CSS class: regression, improvement, unchanged, inconclusive … */
  cls: string;
  title: string;
}

/** Change vs baseline per series: a bar from 1× to the ratio, the CI as a whisker. */
export function ratioChart(bars: readonly RatioBar[], title: string): string {
  if (!bars.length) return '';
  const W = 640;
  const row = 22;
  const m = { l: 240, r: 60, t: 28, b: 24 };
  const H = m.t + m.b + bars.length * row;
  const vals = bars.flatMap(b => [b.ratio, ...(b.ci ?? [])]).filter(Number.isFinite);
  const lo = Math.min(0.8, ...vals);
  const hi = Math.max(1.2, ...vals);
  const X = (r: number): number => m.l + ((r - lo) / (hi - lo)) * (W - m.l - m.r);
  const parts: string[] = [
    `<svg class="chart" data-chart="ratios" role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${esc(title)}</title>`,
    `<text class="title" x="8" y="16">${esc(title)}</text>`,
  ];
  for (const t of niceTicks(lo, hi, 6)) {
    parts.push(`<line class="grid" x1="${n(X(t))}" x2="${n(X(t))}" y1="${m.t}" y2="${H - m.b}"/><text class="tick" x="${n(X(t))}" y="${H - 8}" text-anchor="middle">${esc(`${t.toFixed(2)}×`)}</text>`);
  }
  parts.push(`<line class="axis" x1="${n(X(1))}" x2="${n(X(1))}" y1="${m.t}" y2="${H - m.b}"/>`);
  bars.forEach((b, i) => {
    const y = m.t + i * row;
    // Ids share long prefixes (file paths): keep the distinctive end.
    const label = b.label.length > 38 ? `…${b.label.slice(-37)}` : b.label;
    parts.push(`<g class="bar ${esc(b.cls)}"><title>${esc(b.title)}</title>`);
    parts.push(`<text class="label" x="${m.l - 6}" y="${y + 15}" text-anchor="end">${esc(label)}</text>`);
    const a = X(Math.min(1, b.ratio));
    const w = Math.max(1, Math.abs(X(b.ratio) - X(1)));
    parts.push(`<rect x="${n(a)}" y="${y + 5}" width="${n(w)}" height="12"/>`);
    if (b.ci) parts.push(`<line class="ci" x1="${n(X(b.ci[0]))}" x2="${n(X(b.ci[1]))}" y1="${y + 11}" y2="${y + 11}"/>`);
    parts.push(`<text class="tick" x="${n(Math.max(X(b.ratio), X(1), b.ci ? X(b.ci[1]) : 0) + 4)}" y="${y + 15}">${esc(`${b.ratio.toFixed(2)}×`)}</text></g>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface StripSpec {
  title: string;
  baseline: readonly number[];
  current: readonly number[];
  /** CSS class of the current row's dots: regression, improvement … */
  cls: string;
  format: (v: number) => string;
}

/** Evenly thinned copy (sorted input stays sorted), so a 10k-sample series stays a small SVG. */
function thin(v: readonly number[], max: number): number[] {
  if (v.length <= max) return [...v];
  return Array.from({ length: max }, (_, i) => v[Math.round((i * (v.length - 1)) / (max - 1))]);
}

/** Per-round values now vs the baseline's: two rows of dots on one axis, medians marked. */
export function stripChart(spec: StripSpec): string {
  const base = thin([...spec.baseline].filter(Number.isFinite).sort((a, b) => a - b), 300);
  const cur = thin([...spec.current].filter(Number.isFinite).sort((a, b) => a - b), 300);
  if (base.length < 2 || cur.length < 2) return '';
  const W = 640;
  const H = 130;
  const m = { l: 72, r: 16, t: 28, b: 30 };
  // Clip to the 1st–99th percentile span so one preempted round does not squash the rest.
  const all = [...base, ...cur].sort((a, b) => a - b);
  const lo = Math.min(all[Math.floor(all.length * 0.01)], base[base.length >> 1], cur[cur.length >> 1]);
  const hi = Math.max(all[Math.ceil(all.length * 0.99) - 1], base[base.length >> 1], cur[cur.length >> 1]);
  const span = hi > lo ? hi - lo : Math.abs(hi) || 1;
  const x0 = lo - span * 0.05;
  const x1 = hi + span * 0.05;
  const X = (v: number): number => m.l + ((Math.min(Math.max(v, x0), x1) - x0) / (x1 - x0)) * (W - m.l - m.r);
  const rowY = [m.t + 22, m.t + 62];
  const parts: string[] = [
    `<svg class="chart" data-chart="samples" role="img" aria-label="${esc(spec.title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${esc(spec.title)}</title>`,
    `<text class="title" x="8" y="16">${esc(spec.title)}</text>`,
  ];
  for (const t of niceTicks(x0, x1, 6)) {
    parts.push(`<line class="grid" x1="${n(X(t))}" x2="${n(X(t))}" y1="${m.t}" y2="${H - m.b}"/><text class="tick" x="${n(X(t))}" y="${H - m.b + 14}" text-anchor="middle">${esc(spec.format(t))}</text>`);
  }
  [base, cur].forEach((vals, row) => {
    const y = rowY[row];
    parts.push(`<text class="label" x="${m.l - 6}" y="${y + 4}" text-anchor="end">${row ? 'now' : 'baseline'}</text>`);
    // Deterministic jitter: the same report renders the same.
    parts.push(`<g class="dots ${row ? esc(spec.cls) : 'base'}">${vals.map((v, i) => `<circle cx="${n(X(v))}" cy="${n(y + (((i * 7919) % 17) - 8) * 0.9)}" r="1.8"/>`).join('')}</g>`);
    const med = vals[vals.length >> 1];
    parts.push(`<line class="median" x1="${n(X(med))}" x2="${n(X(med))}" y1="${y - 12}" y2="${y + 12}"><title>median ${esc(spec.format(med))}</title></line>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
