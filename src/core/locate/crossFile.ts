// Router prefixes across files. A FastAPI service declares `router = APIRouter(prefix="/videos")`
// and its handlers in app/routers/videos.py, and app/main.py does `from app.routers import
// videos; app.include_router(videos.router, prefix="/api")`; the handler serves
// /api/videos/{id}, which a per-file locator cannot know. Likewise Flask blueprints, Django's
// `path('api/', include('videos.urls'))` (a URLconf's `urlpatterns` is the router) and Express
// `app.use('/api', require('./routes/videos'))`, and Go groups handed to registration functions
// in other packages. This pure pass takes every module's facts (pythonModules.ts,
// javascriptModules.ts, goModules.ts) and gives such endpoints their full route.
//
// A router mounted in several places (or through several parents) serves every route: the
// endpoint gets one finding per route, all on the same handler. That is what the app does, so
// nothing is guessed, and a load-test name for either route finds the handler (matchSeries
// treats findings of one definition as one target). Endpoints whose chain of mounts stays
// inside their own file keep the route the file locator gave them (it sees unsaved edits).
import { joinRoute } from './syntax';
import type { Finding } from './types';

export interface RouterDef {
  flask: boolean;
  /** APIRouter(prefix=…) / Blueprint(url_prefix=…). */
  prefix?: string;
}

export interface MountDef {
  /** The object that mounts, as written (`app`, `api`). */
  parent: string;
  /** What is mounted, a dotted name as written (`videos.router`, `videos_router`, `api`). */
  child: string;
  /** prefix= / url_prefix= given at the mount. */
  prefix?: string;
  /** register_blueprint: a prefix given here replaces the blueprint's own. */
  flask: boolean;
}

export interface ImportDef {
  /** Module as written: Python dotted, leading dots when relative (`app.routers`, `.routers`); JS a specifier (`./routes/videos`). */
  module: string;
  /** The imported name (`from m import name`, `import { name }`, `default`); absent for the module itself (`import m`, `require(m)`). */
  name?: string;
}

export interface ModuleFacts {
  routers: Record<string, RouterDef>;
  mounts: MountDef[];
  /** Local name → what it refers to. */
  imports: Record<string, ImportDef>;
  /** JS: exported name → local name (`default` for `module.exports =` / `export default`). */
  exports?: Record<string, string>;
}

export function isEmptyFacts(f: ModuleFacts): boolean {
  return !f.mounts.length && !Object.keys(f.routers).length && !Object.keys(f.imports).length;
}

export type FactsByFile = ReadonlyMap<string, ModuleFacts>;

interface Node {
  file: string;
  name: string;
}

interface Edge {
  parent: Node;
  prefix?: string;
  flask: boolean;
}

/** Bounds for hostile workspaces: mounts fanning out at every level would multiply routes. */
const MAX_PREFIXES = 16;
const MAX_DEPTH = 64;

const JS_EXTENSIONS = ['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts', '.jsx', '.tsx'];

const key = (n: Node): string => `${n.file}\0${n.name}`;

function dirOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

const join = (...parts: string[]): string => parts.filter(Boolean).join('/');

/** Folders an import of `module` from `importer` is looked up in, nearest first. */
function bases(importer: string, module: string): { base: string; parts: string[] }[] {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  const parts = module.slice(dots).split('.').filter(Boolean);
  let dir = dirOf(importer);
  if (dots) {
    // `.x` is the importer's own package; each further dot goes one package up.
    for (let i = 1; i < dots; i++) dir = dirOf(dir);
    return [{ base: dir, parts }];
  }
  // Absolute: the package root may be any folder above the importer (backend/app/main.py importing app.routers).
  const out = [{ base: dir, parts }];
  while (dir) {
    dir = dirOf(dir);
    out.push({ base: dir, parts });
  }
  return out;
}

export class CrossFileRoutes {
  private readonly incoming = new Map<string, Edge[]>();
  private readonly memo = new Map<string, { prefixes: string[]; crossFile: boolean }>();

  constructor(private readonly facts: FactsByFile) {
    for (const [file, f] of facts) {
      for (const m of f.mounts) {
        const child = this.lookup(file, m.child.split('.'), 0);
        if (!child) continue;
        const list = this.incoming.get(key(child)) ?? [];
        // The parent may itself be imported (`from app.api import api; api.include_router(…)`).
        const parent = this.lookup(file, m.parent.split('.'), 0) ?? { file, name: m.parent };
        list.push({ parent, prefix: m.prefix, flask: m.flask });
        this.incoming.set(key(child), list);
      }
    }
  }

  private moduleFile(base: string, parts: string[]): string | undefined {
    const p = join(base, ...parts);
    if (p && this.facts.has(`${p}.py`)) return `${p}.py`;
    const init = join(p, '__init__.py');
    return this.facts.has(init) ? init : undefined;
  }

  /** The router object a dotted name in `file` refers to, following imports and re-exports. */
  private lookup(file: string, names: string[], depth: number): Node | undefined {
    const f = this.facts.get(file);
    if (!f || depth > 8) return undefined;
    // A JS module itself (`require('./videos')`) is its default export; imported names are export names.
    const [first, ...rest] = names.length ? names : ['default'];
    const head = (depth > 0 && f.exports?.[first]) || first;
    if (!rest.length && f.routers[head]) return { file, name: head };
    const imp = f.imports[head];
    // Go: a function of the same package may be in any file of the folder.
    if (!imp && file.endsWith('.go') && !rest.length) return this.goPackageFiles(dirOf(file)).map(g => (this.facts.get(g)?.routers[head] ? { file: g, name: head } : undefined)).find(Boolean);
    if (!imp) return undefined;
    const wanted = imp.name ? [imp.name, ...rest] : rest;
    const targets = file.endsWith('.py') ? this.pythonTargets(file, imp.module, wanted) : file.endsWith('.go') ? this.goTargets(imp.module, wanted) : this.jsTargets(file, imp.module, wanted);
    for (const t of targets) {
      const found = this.lookup(t.file, t.names, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** Python: files `module` may be, with the names left to look up in each, nearest first. */
  private *pythonTargets(importer: string, module: string, wanted: string[]): Generator<{ file: string; names: string[] }> {
    for (const { base, parts } of bases(importer, module)) {
      // The longest run of names that is a module file: `from app.routers import videos` + `videos.router`.
      for (let k = wanted.length - 1; k >= 0; k--) {
        const file = this.moduleFile(base, [...parts, ...wanted.slice(0, k)]);
        if (file) yield { file, names: wanted.slice(k) };
      }
    }
  }

  private goDirs: Map<string, string[]> | undefined;

  /** Go: folder → its .go files (one package each), built on the first Go lookup. */
  private goPackages(): Map<string, string[]> {
    if (!this.goDirs) {
      this.goDirs = new Map();
      for (const f of this.facts.keys()) if (f.endsWith('.go')) this.goDirs.set(dirOf(f), [...(this.goDirs.get(dirOf(f)) ?? []), f]);
    }
    return this.goDirs;
  }

  /** The .go files of a folder (one package). */
  private goPackageFiles(dir: string): string[] {
    return this.goPackages().get(dir) ?? [];
  }

  /**
   * Go: the files of the package an import path names. Without reading go.mod, the folder whose
   * path ends the import path (`example.com/svc/internal/videos` → `internal/videos`, or
   * `backend/internal/videos` under a module in a subfolder), the longest such match first.
   */
  private *goTargets(importPath: string, wanted: string[]): Generator<{ file: string; names: string[] }> {
    const segs = importPath.split('/');
    const score = (dir: string): number => {
      const d = dir.split('/');
      let k = 0;
      while (k < d.length && k < segs.length && d[d.length - 1 - k] === segs[segs.length - 1 - k]) k++;
      return dir && k > 0 ? k : 0;
    };
    const dirs = [...this.goPackages().keys()].map(d => ({ d, k: score(d) })).filter(x => x.k > 0);
    for (const { d } of dirs.sort((a, b) => b.k - a.k)) for (const file of this.goPackageFiles(d)) yield { file, names: wanted };
  }

  /** JS: a relative specifier as Node resolves it (extensions, index files); packages are not ours. */
  private *jsTargets(importer: string, spec: string, wanted: string[]): Generator<{ file: string; names: string[] }> {
    if (!spec.startsWith('.')) return;
    const parts: string[] = [];
    for (const s of `${dirOf(importer)}/${spec}`.split('/')) {
      if (s === '..') parts.pop();
      else if (s && s !== '.') parts.push(s);
    }
    const p = parts.join('/');
    // TypeScript ESM imports name the emitted file: './videos.js' for videos.ts.
    const stems = /\.[mc]?js$/.test(p) ? [p, p.replace(/\.[mc]?js$/, '')] : [p];
    for (const c of stems.flatMap(s => [s, ...JS_EXTENSIONS.map(e => s + e), ...JS_EXTENSIONS.map(e => `${s}/index${e}`)])) {
      if (this.facts.has(c)) {
        yield { file: c, names: wanted };
        return;
      }
    }
  }

  /**
   * Every prefix `object` of `file` is served under, and whether another file contributed.
   * `own` (the object's own prefix from the document's current text) overrides the facts'.
   */
  prefixes(file: string, object: string, own?: { prefix?: string }): { prefixes: string[]; crossFile: boolean } {
    return this.resolve({ file, name: object }, new Set(), own);
  }

  private resolve(node: Node, seen: Set<string>, ownGiven?: { prefix?: string }): { prefixes: string[]; crossFile: boolean } {
    const k = key(node);
    // Memo per (node, own prefix): a file's endpoints on one router share the result.
    const mk = ownGiven ? `${k}\0${ownGiven.prefix ?? '\u0001'}` : k;
    const known = this.memo.get(mk);
    if (known) return known;
    const own = ownGiven ? ownGiven.prefix : this.facts.get(node.file)?.routers[node.name]?.prefix;
    const edges = this.incoming.get(k) ?? [];
    // A cycle (a router mounted into itself) or an absurdly deep chain ends here.
    if (!edges.length || seen.has(k) || seen.size > MAX_DEPTH) return { prefixes: [joinRoute(own)], crossFile: false };
    seen.add(k);
    const out = new Set<string>();
    let crossFile = false;
    for (const e of edges) {
      const up = this.resolve(e.parent, seen);
      crossFile ||= up.crossFile || e.parent.file !== node.file;
      const mine = e.flask && e.prefix !== undefined ? undefined : own;
      for (const p of up.prefixes) if (out.size < MAX_PREFIXES) out.add(joinRoute(p, e.prefix, mine));
    }
    seen.delete(k);
    const result = { prefixes: [...out], crossFile };
    this.memo.set(mk, result);
    return result;
  }

  /**
   * `findings` of `file` with cross-file prefixes applied. Idempotent (findings it made are
   * folded back into one per handler first), so it can be re-run whenever any module changes.
   */
  apply(file: string, findings: readonly Finding[]): Finding[] {
    if (!findings.some(f => f.router)) return [...findings];
    const out: Finding[] = [];
    const done = new Set<string>();
    for (const f of findings) {
      if (!f.router || f.kind !== 'endpoint') {
        out.push(f);
        continue;
      }
      const once = `${f.method}\0${f.router.object}\0${f.router.path}\0${f.nameRange.start.line}:${f.nameRange.start.character}`;
      if (done.has(once)) continue;
      done.add(once);
      const r = this.prefixes(file, f.router.object, f.language === 'python' ? { prefix: f.router.prefix } : undefined);
      // The file locator keeps one mount per router (the last); several, even within the file, are all served.
      const routes = r.crossFile || r.prefixes.length > 1 ? r.prefixes.map(p => joinRoute(p, f.router?.path)) : [f.router.fileRoute];
      // Unchanged findings are kept as they are: re-applying after every mount change allocates little.
      for (const route of routes) out.push(route === f.route ? f : { ...f, id: `${f.method} ${route}`, route });
    }
    return out;
  }
}

/** Apply cross-file prefixes to every file's findings (a scan's result). */
export function applyCrossFile(files: ReadonlyMap<string, Finding[]>, facts: FactsByFile): Map<string, Finding[]> {
  const routes = new CrossFileRoutes(facts);
  const out = new Map<string, Finding[]>();
  for (const [file, found] of files) out.set(file, routes.apply(file, found));
  return out;
}
