// Map a benchmark/test id as a tool reports it onto the located definition:
//  - pytest / pytest-benchmark fullname `path::Class::test_fn[param]` → the def (the `[param]`
//    suffix dropped; a path that differs only by the pytest rootdir matches by suffix);
//  - Go `BenchmarkX-8`, `pkg/path.BenchmarkX/sub-8` → `func BenchmarkX`;
//  - mocha fullTitle / jest fullName → the `it`/`test` (jest `.each` titles with %s/%i/$name
//    placeholders match their formatted instances).
// Results are matched / ambiguous / none, like route matching: never a guess.
import type { Finding } from '../locate/types';
import type { RouteMatch } from './route';

export type IdMatch<T> = RouteMatch<T>;

type Located = Pick<Finding, 'id' | 'kind' | 'language'>;

/** `tests/x.py::T::test_a[1-2]` → `tests/x.py::T::test_a` (parameters may contain `::` or `[`). */
export function stripPytestParams(id: string): string {
  const lastSep = id.lastIndexOf('::');
  const bracket = id.indexOf('[', lastSep < 0 ? 0 : lastSep);
  return bracket > 0 ? id.slice(0, bracket) : id;
}

/** The Go function a benchmark/test line names, e.g. `pkg.BenchmarkX/sub-8` → `BenchmarkX`. */
export function goFunctionName(id: string): string | undefined {
  const m = /(?:^|[.\s])((?:Benchmark|Test|Fuzz)[A-Za-z0-9_]*)(?=$|[/-])/.exec(id.trim());
  return m?.[1];
}

function result<T>(found: T[]): IdMatch<T> {
  const unique = [...new Set(found)];
  if (unique.length === 0) return { status: 'none' };
  if (unique.length === 1) return { status: 'matched', target: unique[0] };
  return { status: 'ambiguous', candidates: unique };
}

function titlePattern(title: string): RegExp | undefined {
  if (!/%[sdifjoOp#]|\$\w/.test(title)) return undefined;
  const parts = title.split(/(%[sdifjoOp#]|\$[\w.]+)/);
  return new RegExp('^' + parts.map((p, i) => (i % 2 ? '.+?' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('') + '$');
}

/** Find the definition for a tool-reported id among located findings (of any files). */
export function matchBenchmarkId<T extends Located>(id: string, findings: readonly T[]): IdMatch<T> {
  const candidates = findings.filter(f => f.kind === 'test' || f.kind === 'benchmark');
  const exact = candidates.filter(f => f.id === id);
  if (exact.length) return result(exact);

  if (id.includes('::')) {
    const bare = stripPytestParams(id);
    const py = candidates.filter(f => f.language === 'python');
    const same = py.filter(f => f.id === bare);
    if (same.length) return result(same);
    // pytest's rootdir may differ from the workspace root: compare on whole path components.
    return result(py.filter(f => f.id.endsWith('/' + bare) || bare.endsWith('/' + f.id)));
  }

  const goName = goFunctionName(id);
  if (goName) {
    const go = candidates.filter(f => f.language === 'go' && f.id === goName);
    if (go.length) return result(go);
  }

  const js = candidates.filter(f => f.language !== 'python' && f.language !== 'go');
  return result(js.filter(f => titlePattern(f.id)?.test(id)));
}

/** Where in source a series with no test/benchmark definition of its own is measured. */
export interface ScriptTarget {
  /** Workspace-relative, with `/`. */
  file: string;
  /** `function`, `Class.method` (Go: `Type.Method`); absent = the script as a whole. */
  symbol?: string;
}

/** `path/to/file.py::function` (or just the path) → target; undefined when the text is not of that shape. */
export function parseScriptTarget(text: string): ScriptTarget | undefined {
  const m = /^([^:]+?)(?:::([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?))?$/.exec(text.trim());
  if (!m || /^\/|^[A-Za-z]:[\\/]|(^|\/)\.\.(\/|$)/.test(m[1])) return undefined; // workspace-relative only
  return m[2] ? { file: m[1].replace(/^\.\//, ''), symbol: m[2] } : { file: m[1].replace(/^\.\//, '') };
}

const INTERPRETER = /^(?:.*\/)?(?:python[\d.]*|pypy3?|node|bun|ts-node|tsx)$/;
const SCRIPT = /\.(?:py|js|mjs|cjs|ts|mts|cts)$/;

/**
 * The script a command line runs, when it is `python[3] script.py …`, `node script.js …`,
 * `python -m pkg.module …` (leading VAR=value assignments and interpreter flags skipped),
 * relative to `cwd` (workspace-relative). Anything else (a shell pipeline, a binary) → undefined.
 */
export function scriptOfCommand(command: string, cwd = '.'): string | undefined {
  const words = command.trim().split(/\s+/);
  let i = 0;
  while (i < words.length && /^[A-Za-z_]\w*=/.test(words[i])) i++;
  if (!INTERPRETER.test(words[i] ?? '')) return undefined;
  for (i++; i < words.length && words[i].startsWith('-'); i++) {
    if (words[i] === '-m' && words[i + 1] && /^[\w.]+$/.test(words[i + 1])) return joinRel(cwd, words[i + 1].split('.').join('/') + '.py');
    if (words[i] === '-c' || words[i] === '-e') return undefined;
  }
  const script = words[i]?.replace(/^(['"])(.*)\1$/, '$2');
  return script && SCRIPT.test(script) && !script.startsWith('/') ? joinRel(cwd, script) : undefined;
}

function joinRel(cwd: string, rel: string): string | undefined {
  const parts: string[] = [];
  for (const p of `${cwd}/${rel}`.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (!parts.length) return undefined; // outside the workspace folder
      parts.pop();
    } else parts.push(p);
  }
  return parts.join('/');
}

/**
 * Source target of series `id` of a run of `tool` by a suite: the suite's `map` entry first
 * (any tool; hyperfine `--command-name` names need one), else for hyperfine the script its
 * command line runs (the id is the command when no name was given).
 */
export function mappedTarget(id: string, tool: string | undefined, suite: { cwd?: string; map?: Record<string, string> } | undefined): ScriptTarget | undefined {
  const entry = suite?.map?.[id];
  if (entry !== undefined) return parseScriptTarget(entry);
  if (tool !== 'hyperfine') return undefined;
  const file = scriptOfCommand(id, suite?.cwd);
  return file ? { file } : undefined;
}
