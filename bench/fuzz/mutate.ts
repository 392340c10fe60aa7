// Seeded mutators for the parser fuzzer. Each takes the bytes of a real fixture and returns a
// hostile variant plus a label, deterministically from the random source, so any case can be
// replayed from (format, seed, index) alone.
import type { FuzzTarget } from './targets';

export type Random = () => number;

/** mulberry32: small, fast, good enough to spread mutations; seeded for replay. */
export function rng(seed: number): Random {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit seed for case `index` of `format` under run seed `seed`. */
export function caseSeed(format: string, seed: number, index: number): number {
  let h = 2166136261 ^ seed;
  for (const c of `${format}#${index}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

const int = (r: Random, n: number) => Math.floor(r() * n);
const pick = <T>(r: Random, xs: readonly T[]): T => xs[int(r, xs.length)];

/** Sizes of the costly mutants: 100k-deep nesting, lines up to ~2 MB (the unit test uses smaller ones). */
export interface MutationSizes {
  deep: number;
  longLine: number;
}
export const FULL_SIZES: MutationSizes = { deep: 100_000, longLine: 2_000_000 };
let sizes = FULL_SIZES;
export function setMutationSizes(s: MutationSizes): void {
  sizes = s;
}

const HUGE_NUMBERS = ['1e400', '-1e400', '18446744073709551616', '-18446744073709551616', '1e-400', '9007199254740993', '-0', '1' + '0'.repeat(400), '0.' + '0'.repeat(400) + '1'];
const NON_FINITE = ['NaN', 'Infinity', '-Infinity', '"NaN"', '"Infinity"', 'inf', '-inf', 'nan', '1e999'];
const CELLS = ['', 'N/A', 'abc', '"', '""', '"unterminated', '1e400', 'NaN', 'Infinity', '-5', '-1e-9', '0x10', ' 12 ', '1,5', '\u0000', '\u202e', '🙂'];
const INVALID_UTF8 = [[0xc3, 0x28], [0xff], [0xfe, 0xff], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0x80, 0x80, 0x80]];
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Mutator {
  name: string;
  applies(t: FuzzTarget): boolean;
  run(r: Random, b: Buffer, t: FuzzTarget): Buffer;
}

const text = (b: Buffer) => b.toString('utf8');
const buf = (s: string) => Buffer.from(s, 'utf8');
const any = () => true;

/** Replace one random number token in the text with `f(token)`. */
function replaceNumber(r: Random, b: Buffer, f: (tok: string) => string): Buffer {
  const s = text(b);
  const hits = [...s.matchAll(NUMBER)];
  if (hits.length === 0) return b;
  const m = pick(r, hits);
  const at = m.index ?? 0;
  return buf(s.slice(0, at) + f(m[0]) + s.slice(at + m[0].length));
}

/** All value paths of a JSON document (bounded), for typed replacements. */
function paths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  // Bounded in count and depth: an earlier mutation may have nested the document 100k deep.
  if (out.length > 5000 || prefix.length > 200) return out;
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k], [...prefix, k], out);
  return out;
}

function setAt(root: Json, p: (string | number)[], value: Json | undefined): Json {
  if (p.length === 0) return value === undefined ? null : value;
  let cur = root as Record<string | number, Json>;
  for (const k of p.slice(0, -1)) cur = cur[k] as Record<string | number, Json>;
  const last = p[p.length - 1];
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
  } else cur[last] = value;
  return root;
}

function otherType(r: Random, v: Json): Json {
  const options: Json[] = ['a string', '12.5', '', 42, -1, 0, true, null, [], [1, 2], {}, { x: 1 }];
  const same = (x: Json) => typeof x === typeof v && Array.isArray(x) === Array.isArray(v) && (x === null) === (v === null);
  const diff = options.filter(x => !same(x));
  return pick(r, diff.length ? diff : options);
}

/** Structured edit of one JSON document (or one JSONL line). */
function editJson(r: Random, s: string, edit: (doc: Json, p: (string | number)[]) => Json): string | undefined {
  let doc: Json;
  try {
    doc = JSON.parse(s) as Json;
  } catch {
    return undefined;
  }
  const ps = paths(doc);
  const p = pick(r, ps);
  try {
    return JSON.stringify(edit(doc, p), null, r() < 0.5 ? 2 : undefined);
  } catch {
    return undefined; // too deep to re-serialise: leave this mutant as it was
  }
}

function structural(r: Random, b: Buffer, t: FuzzTarget, edit: (doc: Json, p: (string | number)[]) => Json): Buffer {
  const s = text(b);
  if (t.shape === 'json') return buf(editJson(r, s, edit) ?? s);
  const lines = s.split('\n');
  const candidates = lines.map((l, i) => (l.trim().startsWith('{') ? i : -1)).filter(i => i >= 0);
  if (candidates.length === 0) return b;
  const i = pick(r, candidates);
  lines[i] = (editJson(r, lines[i], edit) ?? lines[i]).replace(/\n/g, '');
  return buf(lines.join('\n'));
}

function getAt(root: Json, p: (string | number)[]): Json {
  let cur: Json = root;
  for (const k of p) cur = (cur as Record<string | number, Json>)[k];
  return cur;
}

/** Replace one random CSV cell (or a whitespace-separated token of a text line). */
function replaceCell(r: Random, b: Buffer, t: FuzzTarget): Buffer {
  const lines = text(b).split('\n');
  const i = int(r, lines.length);
  const sep = t.shape === 'csv' ? ',' : ' ';
  const cells = lines[i].split(sep);
  cells[int(r, cells.length)] = pick(r, CELLS);
  lines[i] = cells.join(sep);
  return buf(lines.join('\n'));
}

const MUTATORS: Mutator[] = [
  { name: 'truncate', applies: any, run: (r, b) => b.subarray(0, int(r, b.length)) },
  {
    name: 'flip',
    applies: any,
    run: (r, b) => {
      const out = Buffer.from(b);
      for (let k = 1 + int(r, 8); k > 0 && out.length; k--) out[int(r, out.length)] ^= 1 << int(r, 8);
      return out;
    },
  },
  {
    name: 'random-bytes',
    applies: any,
    run: (r, b) => {
      const out = Buffer.from(b);
      for (let k = 1 + int(r, 4); k > 0 && out.length; k--) out[int(r, out.length)] = int(r, 256);
      return out;
    },
  },
  { name: 'huge-number', applies: any, run: (r, b) => replaceNumber(r, b, () => pick(r, HUGE_NUMBERS)) },
  { name: 'non-finite', applies: any, run: (r, b) => replaceNumber(r, b, () => pick(r, NON_FINITE)) },
  { name: 'negate', applies: any, run: (r, b) => replaceNumber(r, b, tok => (tok.startsWith('-') ? tok.slice(1) : `-${tok === '0' ? '1' : tok}`)) },
  {
    name: 'wrong-type',
    applies: t => t.shape === 'json' || t.shape === 'jsonl',
    run: (r, b, t) => structural(r, b, t, (doc, p) => setAt(doc, p, otherType(r, getAt(doc, p)))),
  },
  {
    name: 'drop-field',
    applies: t => t.shape === 'json' || t.shape === 'jsonl',
    run: (r, b, t) => structural(r, b, t, (doc, p) => setAt(doc, p, undefined)),
  },
  {
    name: 'deep-nesting',
    applies: any,
    run: (r, b) => {
      const s = text(b);
      const closed = r() < 0.5;
      const open = pick(r, ['[', '{"a":']);
      const nest = open.repeat(sizes.deep) + (closed ? (open === '[' ? ']' : '}').repeat(sizes.deep) : '');
      const hits = [...s.matchAll(NUMBER)];
      if (hits.length === 0 || r() < 0.2) return buf(nest + s);
      const m = pick(r, hits);
      return buf(s.slice(0, m.index) + nest + s.slice((m.index ?? 0) + m[0].length));
    },
  },
  {
    name: 'invalid-utf8',
    applies: any,
    run: (r, b) => {
      const at = int(r, b.length + 1);
      return Buffer.concat([b.subarray(0, at), Buffer.from(pick(r, INVALID_UTF8)), b.subarray(at)]);
    },
  },
  { name: 'bom', applies: any, run: (r, b) => Buffer.concat([Buffer.from(r() < 0.8 ? [0xef, 0xbb, 0xbf] : [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), b]) },
  { name: 'crlf', applies: any, run: (r, b) => buf(text(b).replace(/\r?\n/g, r() < 0.8 ? '\r\n' : '\r')) },
  { name: 'empty', applies: any, run: r => buf(pick(r, ['', ' ', '\n', '\r\n', '\ufeff', '{}', '[]', 'null', '""', '0'])) },
  { name: 'cell', applies: t => t.shape === 'csv' || t.shape === 'text', run: replaceCell },
  {
    name: 'lines',
    applies: any,
    run: (r, b) => {
      const lines = text(b).split('\n');
      const i = int(r, lines.length);
      const j = int(r, lines.length);
      const op = int(r, 3);
      if (op === 0) lines.splice(i, 1);
      else if (op === 1) lines.splice(i, 0, lines[j]);
      else [lines[i], lines[j]] = [lines[j], lines[i]];
      return buf(lines.join('\n'));
    },
  },
  {
    name: 'long-line',
    applies: any,
    run: (r, b) => {
      const s = text(b);
      const at = int(r, s.length + 1);
      return buf(s.slice(0, at) + pick(r, ['x', '9', '"', ' ', ',']).repeat(Math.floor(sizes.longLine / 20) + int(r, sizes.longLine)) + s.slice(at));
    },
  },
];

export interface Mutant {
  bytes: Buffer;
  /** Mutator names applied, in order. */
  label: string;
}

/** One to three mutations of `input`, chosen by `r`. */
export function mutate(r: Random, input: Buffer, target: FuzzTarget): Mutant {
  const usable = MUTATORS.filter(m => m.applies(target));
  let bytes = input;
  const names: string[] = [];
  const count = r() < 0.7 ? 1 : 2 + int(r, 2);
  for (let k = 0; k < count; k++) {
    const m = pick(r, usable);
    bytes = m.run(r, bytes, target);
    names.push(m.name);
  }
  return { bytes, label: names.join('+') };
}

export const MUTATOR_NAMES = MUTATORS.map(m => m.name);
