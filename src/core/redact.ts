// Secrets never reach a result file, the history or a report. Scenarios carry real credentials
// (Authorization, Cookie, X-Api-Key …) and tools echo URLs and error texts that may hold tokens;
// every string of a run is scrubbed before it is written: known secret values wherever they
// appear, plus the usual shapes (auth schemes, secret-named query parameters, URL user info,
// `Name: value` header lines, --password style flags). Pure, no I/O.
import type { Run } from './model';

export const REDACTED = '[redacted]';

/** Header names whose values are credentials. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|apikey|x-auth-token|x-access-token|x-csrf-token|x-xsrf-token|x-amz-security-token|x-goog-api-key)$|token|secret|passw(or)?d|api[-_]?key|session|credential|signature/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name.trim());
}

/** The same headers with every credential value replaced. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = isSecretHeader(k) ? REDACTED : v;
  return out;
}

/** Values of the secret headers (the exact strings to scrub wherever they appear). */
export function secretHeaderValues(...headerSets: Array<Record<string, string>>): string[] {
  const values = new Set<string>();
  for (const h of headerSets) {
    for (const [k, v] of Object.entries(h)) {
      if (!isSecretHeader(k) || !v) continue;
      values.add(v);
      // "Bearer abc" also leaks as "abc"; cookies as their single values.
      const scheme = /^\s*\w+\s+(\S{4,})\s*$/.exec(v);
      if (scheme) values.add(scheme[1]);
      if (/cookie/i.test(k)) for (const part of v.split(';')) {
        const val = part.split('=').slice(1).join('=').trim();
        if (val.length >= 4) values.add(val);
      }
    }
  }
  // Longest first, so a value containing another is replaced whole.
  return [...values].filter(v => v.length >= 4).sort((a, b) => b.length - a.length);
}

const SECRET_NAME = '(?:access_?token|refresh_?token|id_?token|token|api[-_]?key|apikey|key|secret|client_secret|password|passwd|pwd|auth|sig|signature|session(?:id)?|sid|jwt)';

const PATTERNS: Array<[RegExp, string]> = [
  // Authorization schemes in free text; the credential must look like one (a digit or a token
  // character), so that a benchmark named "Basic arithmetic" keeps its name.
  [/\b(Bearer|Basic|Digest)\s+(?=[A-Za-z0-9._~+/=-]*[0-9+/=._~-])[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`],
  // Header lines and JSON/YAML fields named like credentials: `Authorization: x`, `"cookie":"x"`.
  [/(["']?\b(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|x-access-token)\b["']?\s*[:=]\s*["']?)([^"'\r\n]+)/gi, `$1${REDACTED}`],
  // Secret-named query parameters.
  [new RegExp(`([?&;]${SECRET_NAME}=)[^&#\\s"'<>]+`, 'gi'), `$1${REDACTED}`],
  // user:password@ in URLs.
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@"'<>]+:[^/\s@"'<>]+@/gi, `$1${REDACTED}@`],
  // --password=x, --token x
  [new RegExp(`((?<![\\w-])--?${SECRET_NAME}(?:=|\\s+))(?!${REDACTED.replace(/[[\]]/g, '\\$&')})[^\\s"']+`, 'gi'), `$1${REDACTED}`],
];

/** One string with known secret values and credential shapes replaced. */
export function redactText(s: string, secrets: readonly string[] = []): string {
  let out = s;
  for (const v of secrets) if (out.includes(v)) out = out.split(v).join(REDACTED);
  for (const [re, to] of PATTERNS) out = out.replace(re, to);
  return out;
}

/** A deep copy of `value` with every string (keys of records included) redacted. */
export function redactDeep<T>(value: T, secrets: readonly string[] = []): T {
  // Record keys repeat (thousands of timeline points share a few): redact each once.
  const keys = new Map<string, string>();
  const key = (k: string) => {
    let r = keys.get(k);
    if (r === undefined) keys.set(k, (r = redactText(k, secrets)));
    return r;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (Array.isArray(v)) {
      // Timelines and samples are long arrays of numbers or number records: copy them fast.
      return v.length && typeof v[0] === 'number' ? v.slice() : v.map(walk);
    }
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[key(k)] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/** A run safe to write: see the top of this file. */
export function redactRun<R extends Run>(run: R, secrets: readonly string[] = []): R {
  return redactDeep(run, secrets);
}
