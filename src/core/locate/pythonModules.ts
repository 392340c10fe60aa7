// Python: the per-file facts a workspace pass needs to give routes the prefixes set in other
// modules (crossFile.ts): router objects the file defines, the routers it mounts
// (`include_router` / `register_blueprint` / FastAPI's `mount`, also inside an app factory; Django's
// `path('api/', include('videos.urls'))`, where a URLconf's `urlpatterns` is the router) and the
// names its imports bind. Only syntax nodes count, so lookalikes in strings and comments never do.
import type { Node } from 'web-tree-sitter';
import type { ImportDef, ModuleFacts } from './crossFile';
import { djangoPiece, includeOf, mountArgs, routerDefOf, urlpatternsList } from './python';
import { named, stringValue } from './syntax';

/** Dotted identifiers only (`a.b.c`): anything else (calls, subscripts) cannot be followed. */
function dotted(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type !== 'attribute') return undefined;
  const obj = dotted(node.childForFieldName('object') ?? undefined);
  const attr = node.childForFieldName('attribute')?.text;
  return obj && attr ? `${obj}.${attr}` : undefined;
}

function addImports(stmt: Node, imports: Record<string, ImportDef>): void {
  if (stmt.type === 'import_statement') {
    for (const n of named(stmt)) {
      if (n.type === 'aliased_import') {
        const alias = n.childForFieldName('alias')?.text;
        const module = n.childForFieldName('name')?.text;
        if (alias && module) imports[alias] = { module };
      } else if (n.type === 'dotted_name') {
        // `import a.b.c` binds `a`; `a.b.c.router` is then followed module by module.
        const head = n.text.split('.')[0];
        imports[head] = { module: head };
      }
    }
  } else if (stmt.type === 'import_from_statement') {
    const module = stmt.childForFieldName('module_name')?.text.replace(/\s+/g, '');
    if (module === undefined) return;
    for (const n of stmt.childrenForFieldName('name')) {
      if (!n) continue;
      const name = n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text;
      const alias = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n.text;
      if (name && alias) imports[alias] = { module, name };
    }
  }
}

/**
 * Django: the modules a URLconf includes, as mounts of their `urlpatterns` under this one's. A
 * string (`include('videos.urls')`, or a `('videos.urls', 'ns')` tuple) becomes an import of its
 * own, keyed by a name no Python identifier can have; a module object (`include(video_urls)`) is
 * followed through the file's imports. Inline lists (`include([path(…)])`) nest their prefix.
 */
function addDjangoIncludes(list: Node, prefix: string, facts: ModuleFacts): void {
  for (const call of named(list)) {
    const p = call.type === 'call' ? djangoPiece(call) : undefined;
    const target = p && includeOf(p.args[1])?.target;
    if (!p || !target) continue;
    if (target.type === 'list') {
      addDjangoIncludes(target, prefix + p.piece, facts);
      continue;
    }
    const module = stringValue(target.type === 'tuple' ? named(target)[0] : target);
    let child: string | undefined;
    if (module !== undefined) {
      const key = `include#${facts.mounts.length}`;
      facts.imports[key] = { module };
      child = `${key}.urlpatterns`;
    } else {
      const object = dotted(target);
      child = object && `${object}.urlpatterns`;
    }
    if (child) facts.mounts.push({ parent: 'urlpatterns', child, prefix: prefix + p.piece, flask: false });
  }
}

function addStatement(stmt: Node, facts: ModuleFacts, topLevel: boolean): void {
  addImports(stmt, facts.imports);
  const urlpatterns = topLevel ? urlpatternsList(stmt) : undefined;
  if (urlpatterns) {
    facts.routers.urlpatterns = { flask: false };
    addDjangoIncludes(urlpatterns, '', facts);
    return;
  }
  if (stmt.type !== 'expression_statement') return;
  const expr = named(stmt)[0];
  if (topLevel && expr?.type === 'assignment') {
    const left = expr.childForFieldName('left');
    const right = expr.childForFieldName('right');
    const def = left?.type === 'identifier' && right?.type === 'call' ? routerDefOf(right) : undefined;
    if (left && def) facts.routers[left.text] = def;
  } else if (expr?.type === 'call') {
    const fn = expr.childForFieldName('function');
    const verb = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    if (verb !== 'include_router' && verb !== 'register_blueprint' && verb !== 'mount') return;
    const parent = dotted(fn?.childForFieldName('object') ?? undefined);
    const mount = mountArgs(verb, expr.childForFieldName('arguments'));
    const child = dotted(mount.child);
    if (!parent || !child) return;
    facts.mounts.push({ parent, child, prefix: mount.prefix, flask: verb === 'register_blueprint' });
  }
}

/** Facts of one module: top-level statements plus the bodies of top-level functions (app factories). */
export function pythonModuleFacts(root: Node): ModuleFacts {
  const facts: ModuleFacts = { routers: {}, mounts: [], imports: {} };
  for (const stmt of named(root)) {
    addStatement(stmt, facts, true);
    const def = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (def?.type === 'function_definition') for (const inner of named(def.childForFieldName('body'))) addStatement(inner, facts, false);
  }
  return facts;
}

const RELEVANT = /\b(APIRouter|Blueprint|FastAPI|Flask|include_router|register_blueprint|urlpatterns)\b|\.mount\(/;

/**
 * Is the file worth keeping facts for? Files defining or mounting routers, and package
 * `__init__.py` files (they re-export routers: `from .videos import router as videos`).
 */
export function mayHaveModuleFacts(relPath: string, text: string): boolean {
  return relPath.endsWith('__init__.py') || RELEVANT.test(text);
}

