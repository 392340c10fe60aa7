// Seeded pseudo-random numbers so every bootstrap (and so every verdict) is reproducible:
// the same data and seed always give the same confidence interval.
//
// Generator: xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c),
// 128-bit state, 32-bit output. The state is filled from a 32-bit seed with splitmix32 so that
// nearby seeds (0, 1, 2 …) give unrelated streams and the state is never all zero.

export interface Rng {
  /** Next raw 32-bit output as an unsigned integer. */
  nextUint32(): number;
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform integer in [0, n). Modulo bias is below n / 2³², negligible for resampling indices. */
  int(n: number): number;
  /** Standard normal deviate (Box–Muller), for synthetic test data. */
  normal(): number;
}

const TWO_POW_32 = 4294967296;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** splitmix32 step (a 32-bit variant of Vigna's splitmix64), used only to expand seeds. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** xoshiro128** from an explicit 4-word state (used by tests against the reference C code). */
export function xoshiro128ss(state: [number, number, number, number]): Rng {
  let [s0, s1, s2, s3] = state.map((w) => w >>> 0);
  if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('xoshiro128**: state must not be all zero');
  let spare: number | undefined;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  const next = (): number => nextUint32() / TWO_POW_32;
  return {
    nextUint32,
    next,
    int: (n: number): number => Math.floor(next() * n),
    normal: (): number => {
      if (spare !== undefined) {
        const v = spare;
        spare = undefined;
        return v;
      }
      // 1 − u keeps the log argument in (0, 1].
      const r = Math.sqrt(-2 * Math.log(1 - next()));
      const theta = 2 * Math.PI * next();
      spare = r * Math.sin(theta);
      return r * Math.cos(theta);
    },
  };
}

/** Default seed for verdicts: fixed so the same data always gives the same verdict. */
export const DEFAULT_SEED = 0x5eed;

/** A generator seeded from a 32-bit integer (or a string, hashed with FNV-1a). */
export function createRng(seed: number | string = DEFAULT_SEED): Rng {
  const n = typeof seed === 'string' ? fnv1a(seed) : seed;
  const st = { s: n | 0 };
  return xoshiro128ss([splitmix32(st), splitmix32(st), splitmix32(st), splitmix32(st)]);
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
