// Human-readable numbers for lenses, hovers, diagnostics and reports. Canonical units in
// (seconds, bytes, per second, ratio), a short string with a unit out.
import { lowerIsBetter, type Metric, type Series, type Unit } from './model';
import type { Verdict } from './verdict';

function sig(x: number, digits = 3): string {
  if (x === 0) return '0';
  const abs = Math.abs(x);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : digits;
  return x.toFixed(Math.min(decimals, digits));
}

/** 0.0412 → "41.2 ms"; 3.2e-7 → "320 ns"; 75 → "1.25 min". */
export function formatDuration(seconds: number): string {
  const abs = Math.abs(seconds);
  if (abs >= 120) return `${sig(seconds / 60)} min`;
  if (abs >= 1) return `${sig(seconds)} s`;
  if (abs >= 1e-3) return `${sig(seconds * 1e3)} ms`;
  if (abs >= 1e-6) return `${sig(seconds * 1e6)} µs`;
  return `${sig(seconds * 1e9)} ns`;
}

export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= 1024 ** 3) return `${sig(bytes / 1024 ** 3)} GiB`;
  if (abs >= 1024 ** 2) return `${sig(bytes / 1024 ** 2)} MiB`;
  if (abs >= 1024) return `${sig(bytes / 1024)} KiB`;
  return `${Math.round(bytes)} B`;
}

export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 's':
      return formatDuration(value);
    case 'bytes':
      return formatBytes(value);
    case '1/s':
      return `${sig(value)}/s`;
    case 'ratio':
      return `${sig(value * 100)}%`;
    case 'count':
      return sig(value);
  }
}

/** 1.182 → "+18.2%", 0.88 → "−12.0%". */
export function formatRatioChange(ratio: number): string {
  const pct = (ratio - 1) * 100;
  const text = Math.abs(pct) >= 10 ? pct.toFixed(0) : pct.toFixed(1);
  return pct >= 0 ? `+${text}%` : `−${text.replace('-', '')}%`;
}

/** The central value a lens shows and its spread: median ± IQR/2 with samples, else what the tool gave. */
export function centralAndSpread(s: Pick<Series, 'samples' | 'summary'>): { value: number; spread?: number; label: string } | undefined {
  const sum = s.summary;
  if (sum.median !== undefined) return { value: sum.median, spread: sum.iqr !== undefined ? sum.iqr / 2 : sum.stddev, label: 'median' };
  if (sum.mean !== undefined) return { value: sum.mean, spread: sum.stddev, label: 'mean' };
  const p50 = sum.percentiles?.p50;
  if (p50 !== undefined) return { value: p50, label: 'p50' };
  return undefined;
}

/** "▲ +18% vs baseline (regression, p=0.003)" — arrows point the way the number moved. */
export function formatVerdict(v: Verdict, metric: Metric): string {
  if (v.status === 'new') return 'new · no baseline';
  if (v.status === 'missing') return 'missing from this run';
  if (v.ratio === null) return v.status;
  const change = formatRatioChange(v.ratio);
  const arrow = v.status === 'unchanged' ? '≈' : v.ratio > 1 ? '▲' : '▼';
  const p = v.pValue !== undefined ? `, p${v.pValue < 0.001 ? '<0.001' : `=${v.pValue.toFixed(3)}`}` : '';
  const basis = v.method === 'summary' ? ', from summaries' : '';
  const better = lowerIsBetter(metric) ? '' : ' (higher is better)';
  return `${arrow} ${change} vs baseline (${v.status}${p}${basis})${v.status === 'improvement' || v.status === 'regression' ? better : ''}`;
}
