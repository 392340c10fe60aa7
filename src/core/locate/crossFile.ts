// Router prefixes across files (Python). A FastAPI service declares `router =
// APIRouter(prefix="/videos")` and its handlers in app/routers/videos.py, and app/main.py does
// `from app.routers import videos; app.include_router(videos.router, prefix="/api")`; the
// handler serves /api/videos/{id}, which a per-file locator cannot know. This pure pass takes
// every module's facts (pythonModules.ts) and gives such endpoints their full route.
//
// A router mounted in several places (or through several parents) serves every route: the
// endpoint gets one finding per route, all on the same handler. That is what the app does, so
// nothing is guessed, and a load-test name for either route finds the handler (matchSeries
// treats findings of one definition as one target). Endpoints whose chain of mounts stays
// inside their own file keep the route the file locator gave them (it sees unsaved edits).
import type { ModuleFacts } from './pythonModules';
import { joinRoute } from './syntax';
import type { Finding } from './types';

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
    if (!f || !names.length || depth > 8) return undefined;
    const [head, ...rest] = names;
    if (!rest.length && f.routers[head]) return { file, name: head };
    const imp = f.imports[head];
    if (!imp) return undefined;
    const wanted = imp.name ? [imp.name, ...rest] : rest;
    for (const { base, parts } of bases(file, imp.module)) {
      // The longest run of names that is a module file: `from app.routers import videos` + `videos.router`.
      for (let k = wanted.length - 1; k >= 0; k--) {
        const target = this.moduleFile(base, [...parts, ...wanted.slice(0, k)]);
        if (target) {
          const found = this.lookup(target, wanted.slice(k), depth + 1);
          if (found) return found;
        }
      }
    }
    return undefined;
  }

  /** Every prefix `object` of `file` is served under, and whether another file contributed. */
  prefixes(file: string, object: string): { prefixes: string[]; crossFile: boolean } {
    return this.resolve({ file, name: object }, new Set());
  }

  private resolve(node: Node, seen: Set<string>): { prefixes: string[]; crossFile: boolean } {
    const k = key(node);
    const known = this.memo.get(k);
    if (known) return known;
    const own = this.facts.get(node.file)?.routers[node.name]?.prefix;
    const edges = this.incoming.get(k) ?? [];
    if (!edges.length || seen.has(k)) return { prefixes: [joinRoute(own)], crossFile: false };
    seen.add(k);
    const out = new Set<string>();
    let crossFile = false;
    for (const e of edges) {
      const up = this.resolve(e.parent, seen);
      crossFile ||= up.crossFile || e.parent.file !== node.file;
      const mine = e.flask && e.prefix !== undefined ? undefined : own;
      for (const p of up.prefixes) out.add(joinRoute(p, e.prefix, mine));
    }
    seen.delete(k);
    const result = { prefixes: [...out], crossFile };
    this.memo.set(k, result);
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
      const r = this.prefixes(file, f.router.object);
      if (!r.crossFile) {
        out.push({ ...f, id: `${f.method} ${f.router.fileRoute}`, route: f.router.fileRoute });
        continue;
      }
      for (const p of r.prefixes) {
        const route = joinRoute(p, f.router.path);
        out.push({ ...f, id: `${f.method} ${route}`, route });
      }
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
