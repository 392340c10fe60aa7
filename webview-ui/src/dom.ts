// DOM helpers. Every string from results enters the page through textContent (or Option
// text / setAttribute on non-URL attributes), never as HTML.
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

/** Seconds → a readable duration ("850 µs", "12.3 ms", "1.20 s"). */
export function fmtSeconds(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a < 1e-6) return `${(v * 1e9).toFixed(0)} ns`;
  if (a < 1e-3) return `${(v * 1e6).toPrecision(3)} µs`;
  if (a < 1) return `${(v * 1e3).toPrecision(3)} ms`;
  return `${v.toPrecision(3)} s`;
}

export function fmtBytes(b: number | null | undefined): string {
  if (b === null || b === undefined || !Number.isFinite(b)) return '–';
  const a = Math.abs(b);
  if (a >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (a >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB`;
  if (a >= 2 ** 10) return `${(b / 2 ** 10).toFixed(1)} KiB`;
  return `${b.toFixed(0)} B`;
}

export function fmtNumber(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return Number(v.toPrecision(digits)).toString();
}

/** A value in its unit, for tables and tooltips. */
export function fmtUnit(v: number | null | undefined, unit: string): string {
  switch (unit) {
    case 's':
      return fmtSeconds(v);
    case 'bytes':
      return fmtBytes(v);
    case '1/s':
      return `${fmtNumber(v)}/s`;
    case 'ratio':
      return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(2)}%`;
    default:
      return fmtNumber(v);
  }
}

export function shortDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ');
}
