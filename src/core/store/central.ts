// One number per series and run: what auto-update compares and what history charts plot.
import type { Summary } from '../model';

/**
 * Median of the samples when there are any, else summary median, else mean. A plain
 * central value: significance tests belong to the verdict module, not here.
 */
export function centralValue(s: { samples?: readonly number[]; summary: Summary }): { value: number; basis: string } | undefined {
  const v = s.samples?.filter(Number.isFinite).sort((a, b) => a - b);
  if (v && v.length > 0) {
    const mid = v.length >> 1;
    return { value: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, basis: 'median of samples' };
  }
  if (Number.isFinite(s.summary.median)) return { value: s.summary.median as number, basis: 'summary median' };
  if (Number.isFinite(s.summary.mean)) return { value: s.summary.mean as number, basis: 'summary mean' };
  return undefined;
}
