// Hand-written argument parsing for perf-lens (no dependency; the bundle stays small and the
// errors say exactly which flag was wrong).

/** A mistake in how the CLI was called: exit code 2 and a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ArgSpec {
  /** Options taking one value, e.g. '--format'. */
  values?: readonly string[];
  /** Options taking several values, e.g. { '--runs': 2 }. */
  tuples?: Readonly<Record<string, number>>;
  /** Boolean flags, e.g. '--json'. */
  flags?: readonly string[];
  /** Accept positional arguments (otherwise one is an error). */
  positional?: boolean;
}

export interface Args {
  values: Map<string, string>;
  tuples: Map<string, string[]>;
  flags: Set<string>;
  positional: string[];
}

/** Options every command takes. */
export const GLOBAL: Required<Pick<ArgSpec, 'values' | 'flags'>> = { values: ['--cwd'], flags: ['--help', '-h', '--no-progress'] };

export function parseArgs(argv: readonly string[], spec: ArgSpec): Args {
  const values = [...GLOBAL.values, ...(spec.values ?? [])];
  const flags = [...GLOBAL.flags, ...(spec.flags ?? [])];
  const tuples = spec.tuples ?? {};
  const out: Args = { values: new Map(), tuples: new Map(), flags: new Set(), positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      if (!spec.positional) throw new UsageError(`unexpected arguments after "--"`);
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      if (!spec.positional) throw new UsageError(`unexpected argument "${a}"`);
      out.positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    if (flags.includes(name)) {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
      out.flags.add(name === '-h' ? '--help' : name);
    } else if (values.includes(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${name} needs a value`);
      out.values.set(name, v);
    } else if (tuples[name] !== undefined) {
      const n = tuples[name];
      const got = argv.slice(i + 1, i + 1 + n);
      if (got.length < n || got.some(v => v.startsWith('--'))) throw new UsageError(`${name} needs ${n} values`);
      out.tuples.set(name, got);
      i += n;
    } else {
      throw new UsageError(`unknown option "${a}"`);
    }
  }
  return out;
}

/** A comma-separated choice list, each item checked against `allowed`. */
export function listArg<T extends string>(args: Args, name: string, allowed: readonly T[], fallback: readonly T[]): T[] {
  const v = args.values.get(name);
  if (v === undefined) return [...fallback];
  const items = v.split(',').map(s => s.trim()).filter(Boolean);
  for (const it of items) {
    if (!allowed.includes(it as T)) throw new UsageError(`${name}: "${it}" is not one of ${allowed.join(', ')}`);
  }
  return items as T[];
}

export function choiceArg<T extends string>(args: Args, name: string, allowed: readonly T[], fallback?: T): T | undefined {
  const v = args.values.get(name);
  if (v === undefined) return fallback;
  if (!allowed.includes(v as T)) throw new UsageError(`${name}: "${v}" is not one of ${allowed.join(', ')}`);
  return v as T;
}
