// Deterministic pretty JSON for files people review in diffs: 2-space indent, keys in the
// order the caller built them, arrays of plain values on one line (a 200-sample array is
// one changed line, not 200), trailing newline.

function isPlain(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

function print(v: unknown, indent: string): string {
  if (v === undefined) return 'null';
  if (isPlain(v)) {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`cannot write non-finite number ${v} to JSON`);
    return JSON.stringify(v);
  }
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every(isPlain)) return `[${v.map(x => print(x, inner)).join(', ')}]`;
    return `[\n${v.map(x => inner + print(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${print(x, inner)}`).join(',\n')}\n${indent}}`;
}

/** Pretty JSON text ending in a newline. Object keys keep insertion order: canonicalise first. */
export function stableJson(value: unknown): string {
  return print(value, '') + '\n';
}

/** Copy of a map object with keys sorted by code unit (locale-independent, so every machine agrees). */
export function sortedMap<V, W>(m: Record<string, V>, f: (v: V, k: string) => W): Record<string, W> {
  const out: Record<string, W> = {};
  for (const k of Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = f(m[k], k);
  return out;
}

/** Copy of a record with `order` keys first (when present), then any other keys sorted. */
export function orderedRecord<T extends object>(r: T, order: readonly string[]): Record<string, unknown> {
  const src = r as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of order) if (src[k] !== undefined) out[k] = src[k];
  for (const k of Object.keys(src).sort()) if (!(k in out) && src[k] !== undefined) out[k] = src[k];
  return out;
}
