// DOM helpers. Every string from results enters the page through textContent (or Option
// text / setAttribute on non-URL attributes), never as HTML. Numbers are formatted by the
// same core module as lenses and reports, so the panel and the editor agree.
import { formatBytes, formatDuration, formatValue } from '../../src/core/format';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export function button(text: string, onClick: () => void, title?: string): HTMLButtonElement {
  const b = el('button', text);
  b.type = 'button';
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

const known = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/** Seconds → a readable duration ("850 µs", "12.3 ms", "1.20 s"), as lenses and reports write it. */
export function fmtSeconds(v: number | null | undefined): string {
  return known(v) ? formatDuration(v) : '–';
}

export function fmtBytes(b: number | null | undefined): string {
  return known(b) ? formatBytes(b) : '–';
}

export function fmtNumber(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return Number(v.toPrecision(digits)).toString();
}

/** A value in its unit, for tables and tooltips. */
export function fmtUnit(v: number | null | undefined, unit: string): string {
  if (!known(v)) return '–';
  return unit === 's' || unit === 'bytes' || unit === '1/s' || unit === 'ratio' ? formatValue(v, unit) : fmtNumber(v);
}

export function shortDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ');
}
