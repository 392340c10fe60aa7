// Python: pytest tests (module functions, methods of Test* classes, nested), pytest-benchmark
// benchmarks (functions taking the `benchmark` fixture), FastAPI and Flask endpoints with
// router/blueprint prefixes resolved within the file (prefixes set where another module mounts
// the router: crossFile.ts), Django URLconfs (`urlpatterns`; inline include() lists here, included
// modules' prefixes in crossFile.ts), and Locust tasks with the request names they produce. Only
// definitions count: strings and comments never reach here.
import type { Node } from 'web-tree-sitter';
import { isHttpMethod, joinRoute, named, rangeOf, stringValue } from './syntax';
import type { Finding, TaskRequest } from './types';

interface RouterInfo {
  /** Own prefix: APIRouter(prefix=…) / Blueprint(url_prefix=…); cleared when a registration replaces it. */
  prefix?: string;
  /** The own prefix as declared, kept for crossFile.ts (which sees the file's other mounts itself). */
  declared?: string;
  /** Set by include_router / register_blueprint: parent object and the prefix given there. */
  parent?: string;
  mountPrefix?: string;
  flask: boolean;
}

const LOCUST_BASES = /^(HttpUser|FastHttpUser|User|TaskSet|SequentialTaskSet)$/;

export function kwarg(args: Node | null, name: string): Node | undefined {
  return named(args).find(a => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)?.childForFieldName('value') ?? undefined;
}

export function positional(args: Node | null): Node[] {
  return named(args).filter(a => a.type !== 'keyword_argument' && a.type !== 'comment');
}

export function calleeName(call: Node): string {
  return call.childForFieldName('function')?.text ?? '';
}

/** A router object made by `call`: APIRouter(prefix=…), FastAPI(), Blueprint(url_prefix=…), Flask(). */
export function routerDefOf(call: Node): { flask: boolean; prefix?: string } | undefined {
  const fn = calleeName(call).split('.').pop() ?? '';
  const args = call.childForFieldName('arguments');
  if (fn === 'APIRouter' || fn === 'FastAPI') return { flask: false, prefix: stringValue(kwarg(args, 'prefix')) };
  if (fn === 'Blueprint') return { flask: true, prefix: stringValue(kwarg(args, 'url_prefix')) };
  if (fn === 'Flask') return { flask: true, prefix: undefined };
  return undefined;
}

/** Collect router objects and how they are mounted, from top-level statements. */
export type PythonContext = Map<string, RouterInfo>;

/** File-wide facts the locator needs (router objects and mounts); reusable while they do not change. */
export function pythonContext(root: Node): PythonContext {
  const routers = new Map<string, RouterInfo>();
  for (const stmt of named(root)) {
    if (stmt.type !== 'expression_statement') continue;
    const expr = named(stmt)[0];
    if (expr?.type === 'assignment') {
      const left = expr.childForFieldName('left');
      const right = expr.childForFieldName('right');
      if (left?.type !== 'identifier' || right?.type !== 'call') continue;
      const def = routerDefOf(right);
      if (def) routers.set(left.text, { ...routers.get(left.text), ...def, declared: def.prefix });
    } else if (expr?.type === 'call') {
      const fnNode = expr.childForFieldName('function');
      if (fnNode?.type !== 'attribute') continue;
      const verb = fnNode.childForFieldName('attribute')?.text;
      if (verb !== 'include_router' && verb !== 'register_blueprint' && verb !== 'mount') continue;
      const args = expr.childForFieldName('arguments');
      const { child, prefix: mount } = mountArgs(verb, args);
      if (child?.type !== 'identifier') continue;
      const info = routers.get(child.text) ?? { flask: verb === 'register_blueprint' };
      info.parent = fnNode.childForFieldName('object')?.text;
      if (verb === 'register_blueprint' && mount !== undefined) {
        // Flask: url_prefix given at registration replaces the blueprint's own.
        info.prefix = undefined;
      }
      info.mountPrefix = mount;
      routers.set(child.text, info);
    }
  }
  return routers;
}

/**
 * What a mount call mounts and under which prefix: `include_router(r, prefix=…)`,
 * `register_blueprint(bp, url_prefix=…)`, and FastAPI/Starlette `mount("/admin", admin_app)` (a
 * sub-application serves its routes under the path).
 */
export function mountArgs(verb: string, args: Node | null): { child?: Node; prefix?: string } {
  const pos = positional(args);
  if (verb === 'mount') return { child: pos[1] ?? kwarg(args, 'app'), prefix: stringValue(pos[0] ?? kwarg(args, 'path')) };
  const flask = verb === 'register_blueprint';
  return { child: pos[0] ?? kwarg(args, flask ? 'blueprint' : 'router'), prefix: stringValue(kwarg(args, flask ? 'url_prefix' : 'prefix')) };
}

function prefixOf(name: string, routers: Map<string, RouterInfo>, depth = 0): string {
  const info = routers.get(name);
  if (!info || depth > 8) return '';
  const parent = info.parent ? prefixOf(info.parent, routers, depth + 1) : '';
  return joinRoute(parent, info.mountPrefix, info.prefix);
}

/** Endpoints declared by one decorator: `@app.get("/x")`, `@r.api_route("/x", methods=[…])`, `@bp.route(…)`. */
function endpointsOfDecorator(dec: Node, routers: Map<string, RouterInfo>): { method: string; route: string; router: NonNullable<Finding['router']> }[] {
  const call = named(dec).find(n => n.type === 'call');
  const fn = call?.childForFieldName('function');
  if (!call || fn?.type !== 'attribute') return [];
  const obj = fn.childForFieldName('object');
  const verb = fn.childForFieldName('attribute')?.text ?? '';
  if (obj?.type !== 'identifier') return [];
  const args = call.childForFieldName('arguments');
  const pathNode = positional(args)[0] ?? kwarg(args, 'path') ?? kwarg(args, 'rule');
  const path = stringValue(pathNode);
  if (path === undefined || !(path.startsWith('/') || path === '')) return [];
  let methods: string[];
  if (isHttpMethod(verb)) {
    methods = [verb.toUpperCase()];
  } else if (verb === 'api_route' || verb === 'route') {
    const list = kwarg(args, 'methods');
    const given = named(list)
      .map(stringValue)
      .filter((m): m is string => !!m)
      .map(m => m.toUpperCase());
    methods = given.length ? given : verb === 'route' ? ['GET'] : ['*'];
  } else {
    return [];
  }
  const route = joinRoute(prefixOf(obj.text, routers), path);
  const router = { object: obj.text, path, fileRoute: route, prefix: routers.get(obj.text)?.declared };
  return methods.map(method => ({ method, route, router }));
}

function decoratorsOf(def: Node): Node[] {
  const parent = def.parent;
  return parent?.type === 'decorated_definition' ? named(parent).filter(n => n.type === 'decorator') : [];
}

function outerRange(def: Node): Node {
  return def.parent?.type === 'decorated_definition' ? def.parent : def;
}

function paramNames(fn: Node): string[] {
  return named(fn.childForFieldName('parameters')).map(p => {
    if (p.type === 'identifier') return p.text;
    return (p.childForFieldName('name') ?? named(p).find(c => c.type === 'identifier'))?.text ?? '';
  });
}

/** Unwrap `decorated_definition` to its function/class definition. */
function definitionOf(stmt: Node): Node | undefined {
  const def = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
  return def && (def.type === 'function_definition' || def.type === 'class_definition') ? def : undefined;
}

function isTaskDecorator(dec: Node): boolean {
  const expr = named(dec)[0];
  const name = expr?.type === 'call' ? calleeName(expr) : expr?.text;
  return name === 'task' || name === 'locust.task' || name === 'tag';
}

function requestsIn(fn: Node): TaskRequest[] {
  const out: TaskRequest[] = [];
  for (const call of fn.descendantsOfType('call')) {
    const f = call?.childForFieldName('function');
    if (!call || f?.type !== 'attribute') continue;
    const obj = f.childForFieldName('object')?.text ?? '';
    if (!/(^|\.)client$/.test(obj)) continue;
    let verb = f.childForFieldName('attribute')?.text ?? '';
    const args = call.childForFieldName('arguments');
    const pos = positional(args);
    let pathNode = pos[0] ?? kwarg(args, 'url');
    if (verb === 'request') {
      verb = stringValue(pos[0] ?? kwarg(args, 'method')) ?? '';
      pathNode = pos[1] ?? kwarg(args, 'url');
    }
    if (!isHttpMethod(verb)) continue;
    const name = stringValue(kwarg(args, 'name')) ?? stringValue(pathNode);
    if (name !== undefined) out.push({ method: verb.toUpperCase(), name, line: call.startPosition.row });
  }
  return out;
}

/** Findings in the file, or only in the top-level statements `only` (incremental re-locate). */
export function locatePython(root: Node, relPath: string, routers: PythonContext = pythonContext(root), only?: Node[]): Finding[] {
  const out: Finding[] = [];
  const finding = (f: Omit<Finding, 'language'>): void => {
    out.push({ ...f, language: 'python' });
  };

  const visitFunction = (def: Node, idPrefix: string, inTestClass: boolean, locustClass: string | undefined): void => {
    const nameNode = def.childForFieldName('name');
    if (!nameNode) return;
    const name = nameNode.text;
    const decorators = decoratorsOf(def);
    const range = rangeOf(outerRange(def));
    const nameRange = rangeOf(nameNode);
    if (locustClass !== undefined) {
      if (decorators.some(isTaskDecorator)) {
        finding({ kind: 'load-task', id: `${idPrefix}::${name}`, name, nameRange, range, requests: requestsIn(def) });
      }
      return;
    }
    if (idPrefix === relPath) {
      for (const dec of decorators) {
        for (const ep of endpointsOfDecorator(dec, routers)) {
          // `router` lets crossFile.ts apply prefixes given where another module mounts this object.
          finding({ kind: 'endpoint', id: `${ep.method} ${ep.route}`, name, nameRange, range, method: ep.method, route: ep.route, router: ep.router });
        }
      }
    }
    if (name.startsWith('test') && (idPrefix === relPath || inTestClass)) {
      const kind = paramNames(def).includes('benchmark') ? 'benchmark' : 'test';
      finding({ kind, id: `${idPrefix}::${name}`, name, nameRange, range });
    }
  };

  const visitClass = (def: Node, idPrefix: string): void => {
    const nameNode = def.childForFieldName('name');
    if (!nameNode) return;
    const name = nameNode.text;
    const bases = named(def.childForFieldName('superclasses')).map(b => b.text.split('.').pop() ?? '');
    const locust = bases.some(b => LOCUST_BASES.test(b));
    const testClass = name.startsWith('Test') && !locust;
    if (!locust && !testClass) return;
    const body = def.childForFieldName('body');
    const hasInit = named(body).some(s => definitionOf(s)?.childForFieldName('name')?.text === '__init__');
    if (testClass && hasInit) return; // pytest does not collect classes with __init__
    const id = `${idPrefix}::${name}`;
    for (const stmt of named(body)) {
      const inner = definitionOf(stmt);
      if (inner?.type === 'function_definition') visitFunction(inner, id, testClass, locust ? name : undefined);
      else if (inner?.type === 'class_definition' && testClass) visitClass(inner, id);
    }
  };

  for (const stmt of only ?? named(root)) {
    djangoRoutes(stmt, out);
    const def = definitionOf(stmt);
    if (def?.type === 'function_definition') {
      visitFunction(def, relPath, false, undefined);
      // Routes declared inside an app factory: def create_app(): … @app.route("/x") def x(): …
      for (const inner of named(def.childForFieldName('body'))) {
        const fn = inner.type === 'decorated_definition' ? definitionOf(inner) : undefined;
        const nameNode = fn?.type === 'function_definition' ? fn.childForFieldName('name') : null;
        if (!fn || !nameNode) continue;
        for (const ep of decoratorsOf(fn).flatMap(d => endpointsOfDecorator(d, routers))) {
          finding({ kind: 'endpoint', id: `${ep.method} ${ep.route}`, name: nameNode.text, nameRange: rangeOf(nameNode), range: rangeOf(inner), method: ep.method, route: ep.route });
        }
      }
    } else if (def?.type === 'class_definition') visitClass(def, relPath);
  }
  return out;
}

/** Django `re_path` regex → template: `^api/v/(?P<pk>[0-9]+)/$` → `/api/v/{pk}/`. */
export function djangoRegexToRoute(regex: string): string {
  const body = regex.replace(/^\^/, '').replace(/\$$/, '');
  return '/' + body.replace(/\(\?P<(\w+)>[^)]*\)/g, '{$1}').replace(/\\(.)/g, '$1');
}

/** A Django URL pattern's text as a route piece without its leading slash (`api/x/<int:pk>/`, `legacy/`), or undefined. */
export function djangoPiece(call: Node): { piece: string; args: Node[] } | undefined {
  const fn = calleeName(call).split('.').pop();
  if (fn !== 'path' && fn !== 're_path' && fn !== 'url') return undefined;
  const args = positional(call.childForFieldName('arguments'));
  const pattern = stringValue(args[0] ?? null);
  if (pattern === undefined || !args[0]) return undefined;
  return { piece: fn === 'path' ? pattern : djangoRegexToRoute(pattern).slice(1), args };
}

/** The `urlpatterns = […]` / `+= […]` list of a top-level statement (a Django URLconf), or undefined. */
export function urlpatternsList(stmt: Node): Node | undefined {
  if (stmt.type !== 'expression_statement') return undefined;
  const expr = named(stmt)[0];
  if ((expr?.type !== 'assignment' && expr?.type !== 'augmented_assignment') || expr.childForFieldName('left')?.text !== 'urlpatterns') return undefined;
  const list = expr.childForFieldName('right');
  return list?.type === 'list' ? list : undefined;
}

/** `include(X)`: what it includes (`X`, absent when empty); undefined when `node` is no include() call. */
export function includeOf(node: Node | undefined): { target?: Node } | undefined {
  if (node?.type !== 'call' || calleeName(node).split('.').pop() !== 'include') return undefined;
  return { target: positional(node.childForFieldName('arguments'))[0] };
}

/**
 * Django `urlpatterns = [path('api/x/<int:pk>/', view), re_path(r'^…$', view)]` (any method).
 * An inline `include([…])` adds its prefix here; an included module gets its prefix from
 * crossFile.ts (the `router` of each finding is the file's `urlpatterns`).
 */
function djangoRoutes(stmt: Node, out: Finding[]): void {
  const list = urlpatternsList(stmt);
  if (list) djangoList(list, '', out);
}

/** `prefix`: the patterns of enclosing inline includes, concatenated as Django does (`api/v2/`). */
function djangoList(list: Node, prefix: string, out: Finding[]): void {
  for (const call of named(list)) {
    if (call.type !== 'call') continue;
    const p = djangoPiece(call);
    if (!p) continue;
    const path = prefix + p.piece;
    const included = includeOf(p.args[1]);
    if (included) {
      if (included.target?.type === 'list') djangoList(included.target, path, out);
      continue; // another module's patterns, under this prefix (crossFile.ts)
    }
    const route = '/' + path;
    out.push({
      kind: 'endpoint',
      id: `* ${route}`,
      name: p.args[1]?.text ?? route,
      language: 'python',
      nameRange: rangeOf(p.args[0]),
      range: rangeOf(call),
      method: '*',
      route,
      router: { object: 'urlpatterns', path, fileRoute: route },
    });
  }
}
