// Distribution functions written here (no dependency): standard normal and Student's t.
// Tail functions (sf) are computed directly, not as 1 − cdf, so small p-values keep their digits.

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/**
 * Standard normal CDF Φ(x).
 * |x| < 3: Marsaglia's series Φ(x) = ½ + φ(x)·Σ x^(2k+1)/(1·3·…·(2k+1)) (J. Stat. Softw. 11(4), 2004),
 * whose terms all share x's sign, so there is no cancellation inside the sum.
 * |x| ≥ 3: the lower tail φ(x)·R(|x|) with Mills' ratio R from Laplace's continued fraction
 * R(x) = 1/(x+1/(x+2/(x+3/(x+…)))), evaluated with the modified Lentz method; it converges fast there.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  if (Math.abs(x) < 3) {
    let s = x;
    let term = x;
    const q = x * x;
    for (let i = 3; i < 400; i += 2) {
      term *= q / i;
      const prev = s;
      s += term;
      if (s === prev) break;
    }
    return 0.5 + s * normalPdf(x);
  }
  const tail = normalPdf(x) * millsRatio(Math.abs(x));
  return x < 0 ? tail : 1 - tail;
}

/** Upper tail 1 − Φ(x), accurate for large x. */
export function normalSf(x: number): number {
  return normalCdf(-x);
}

/** Mills' ratio (1 − Φ(x)) / φ(x) for x ≥ 3 by continued fraction (modified Lentz). */
function millsRatio(x: number): number {
  const tiny = 1e-300;
  // CF: 1/(x + 1/(x + 2/(x + 3/(x + …)))) → b0 = 0, a1 = 1, b_k = x, a_{k+1} = k.
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    d = x + k * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = x + k / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / f;
}

/**
 * Inverse of Φ. Starts from Abramowitz & Stegun 26.2.23 (error < 4.5e-4) and polishes with
 * Newton steps on the tail we are in, to full double precision.
 */
export function normalPpf(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const lower = p < 0.5;
  const pt = lower ? p : 1 - p; // tail probability
  const t = Math.sqrt(-2 * Math.log(pt));
  let z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  // z > 0 solves normalSf(z) = pt.
  for (let i = 0; i < 8; i++) {
    const step = (normalSf(z) - pt) / normalPdf(z);
    z += step;
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  return lower ? -z : z;
}

// Lanczos approximation, g = 7, n = 9 (coefficients as published by Paul Godfrey; ~15 digits).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be > 0, got ${x}`);
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const xx = x - 1;
  let a = LANCZOS[0];
  const t = xx + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Regularized incomplete beta I_x(a, b), continued fraction (Numerical Recipes §6.4, modified
 * Lentz), using the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) where the fraction converges faster.
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`incompleteBeta: a, b must be > 0`);
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 3e-16) break;
  }
  return h;
}

/** Upper tail P(T > t) of Student's t with df degrees of freedom (df may be fractional, or Infinity). */
export function tSf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`t distribution: df must be > 0, got ${df}`);
  if (Number.isNaN(t)) return NaN;
  if (df === Infinity) return normalSf(t);
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2).
  const twoTail = incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? twoTail / 2 : 1 - twoTail / 2;
}

export function tCdf(t: number, df: number): number {
  return tSf(-t, df);
}

/** Inverse of the t CDF, by bisection on the tail (monotone, robust; ~60 halvings). */
export function tPpf(p: number, df: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (df === Infinity) return normalPpf(p);
  if (p === 0.5) return 0;
  const lower = p < 0.5;
  const pt = lower ? p : 1 - p;
  // Find t > 0 with tSf(t) = pt: bracket, then bisect.
  let lo = 0;
  let hi = Math.max(1, -normalPpf(pt));
  while (tSf(hi, df) > pt) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) break;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tSf(mid, df) > pt) lo = mid;
    else hi = mid;
  }
  const z = (lo + hi) / 2;
  return lower ? -z : z;
}
