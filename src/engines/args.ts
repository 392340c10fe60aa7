// Tiny hand-written argument parser shared by the engine entry points (no dependency, bundles small).

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ArgSpec {
  /** Flags that take a value, e.g. ['--scenario', '--out']. */
  values: string[];
  /** Boolean flags, e.g. ['--progress-json', '--help']. */
  flags: string[];
}

export interface ParsedArgs {
  values: Map<string, string>;
  flags: Set<string>;
  /** Everything after `--`. */
  rest: string[];
}

export function parseArgs(argv: string[], spec: ArgSpec): ParsedArgs {
  const out: ParsedArgs = { values: new Map(), flags: new Set(), rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.rest = argv.slice(i + 1);
      break;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (spec.flags.includes(name)) {
      out.flags.add(name);
    } else if (spec.values.includes(name)) {
      const v = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      out.values.set(name, v);
    } else {
      throw new UsageError(`unknown argument "${a}"`);
    }
  }
  return out;
}

export function numberArg(args: ParsedArgs, name: string, opts: { min?: number } = {}): number | undefined {
  const v = args.values.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (opts.min !== undefined && n < opts.min)) {
    throw new UsageError(`${name} expects a number${opts.min !== undefined ? ` >= ${opts.min}` : ''}, got "${v}"`);
  }
  return n;
}
