// JavaScript / TypeScript: mocha/jest/vitest tests and benches (ids are mocha-style
// fullTitles: the describe titles and the test title joined with " "), Express / Koa-router (its own prefix too) /
// Hono / Fastify routes (with `app.use('/p', router)` and `fastify.register(plugin, { prefix })`
// mounts resolved within the file; routers and plugins mounted from another module: crossFile.ts),
// `router.route('/x').get(…)`, `fastify.route({ method, url })`
// and NestJS controllers.
import type { Node } from 'web-tree-sitter';
import { joinRoute, named, rangeOf, stringValue } from './syntax';
import type { Finding, LanguageId } from './types';

const SUITE = new Set(['describe', 'context', 'suite']);
const TEST = new Set(['it', 'test', 'specify']);
const BENCH = new Set(['bench']);
const MODIFIERS = new Set(['only', 'skip', 'each', 'todo', 'concurrent', 'sequential', 'skipIf', 'runIf', 'fails', 'failing']);
const ROUTE_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all']);
/** Objects conventionally holding a router when we cannot see where they were created. */
const ROUTER_NAMES = /^(app|router|api|server|fastify|instance|routes|r)$/;
const NEST_VERBS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'Head', 'Options', 'All']);
export const FUNCTION_TYPES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);

/** `describe.only.each(t)` → "describe" (the base identifier of a test-API call), else undefined. */
function testApiName(call: Node): string | undefined {
  let fn = call.childForFieldName('function');
  if (fn?.type === 'call_expression') fn = fn.childForFieldName('function'); // .each(table)(title, fn)
  while (fn?.type === 'member_expression') {
    if (!MODIFIERS.has(fn.childForFieldName('property')?.text ?? '')) return undefined;
    fn = fn.childForFieldName('object');
  }
  return fn?.type === 'identifier' ? fn.text : undefined;
}

function args(call: Node): Node[] {
  return named(call.childForFieldName('arguments')).filter(a => a.type !== 'comment');
}

function titleOf(call: Node): { title: string; node: Node } | undefined {
  const first = args(call)[0];
  const title = stringValue(first);
  return first && title !== undefined ? { title, node: first } : undefined;
}

function hasCallback(call: Node): boolean {
  return args(call).slice(1).some(a => FUNCTION_TYPES.has(a.type));
}

/** Titles of the enclosing describe blocks, outermost first. */
function suitePath(call: Node): string[] {
  const titles: string[] = [];
  for (let n = call.parent; n; n = n.parent) {
    if (n.type === 'call_expression') {
      const api = testApiName(n);
      const t = api && SUITE.has(api) ? titleOf(n) : undefined;
      if (t) titles.unshift(t.title);
    }
  }
  return titles;
}

function statementOf(call: Node): Node {
  return call.parent?.type === 'expression_statement' ? call.parent : call;
}

export interface Mounts {
  /** Identifiers created as routers/apps: express(), Router(), fastify(), new Hono() … */
  routers: Set<string>;
  /** identifier → prefix from app.use('/p', router) or register(plugin, { prefix }). */
  prefix: Map<string, string>;
  /** A router's own prefix: koa-router's `new Router({ prefix: '/p' })` or `router.prefix('/p')`. */
  own: Map<string, string>;
  /** identifier → the object whose use() mounts it in this file (`api.use('/videos', videos)`): prefixes nest. */
  parent: Map<string, string>;
}

/** What `.use()` mounts: koa-router's `router.routes()` / `router.middleware()` is the router itself. */
export function mountedObject(arg: Node): Node {
  const fn = arg.type === 'call_expression' ? arg.childForFieldName('function') : null;
  const prop = fn?.type === 'member_expression' ? fn.childForFieldName('property')?.text : undefined;
  return (prop === 'routes' || prop === 'middleware') && !args(arg).length ? fn!.childForFieldName('object') ?? arg : arg;
}

const ROUTER_FACTORIES = /^(express|Router|express\.Router|fastify|Fastify|Koa|KoaRouter|Hono|polka|restify\.createServer)$/;

/** File-wide facts the locator needs (router objects and mount prefixes); reusable while they do not change. */
export function jsContext(root: Node): Mounts {
  const calls = root.descendantsOfType('call_expression').filter((c): c is Node => c !== null);
  const m: Mounts = { routers: new Set(), prefix: new Map(), own: new Map(), parent: new Map() };
  for (const decl of root.descendantsOfType('variable_declarator')) {
    let value = decl?.childForFieldName('value');
    if (value?.type === 'await_expression') value = named(value)[0];
    const ctor = value?.type === 'call_expression' || value?.type === 'new_expression' ? value.childForFieldName(value.type === 'call_expression' ? 'function' : 'constructor') : undefined;
    const name = decl?.childForFieldName('name');
    if (name?.type === 'identifier' && ctor && (ROUTER_FACTORIES.test(ctor.text) || /^require\(['"](express|fastify)['"]\)$/.test(ctor.text))) {
      m.routers.add(name.text);
      const options = value ? args(value)[0] : undefined;
      const own = options?.type === 'object' ? stringValue(objectProps(options).get('prefix')) : undefined;
      if (own !== undefined) m.own.set(name.text, own);
    }
  }
  for (const call of calls) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'member_expression') continue;
    const verb = fn.childForFieldName('property')?.text;
    const a = args(call);
    if (verb === 'use' && a.length >= 1) {
      const prefix = stringValue(a[0]);
      const parent = fn.childForFieldName('object');
      for (const r of (prefix === undefined ? a : a.slice(1)).map(mountedObject)) {
        if (r.type !== 'identifier') continue;
        if (prefix !== undefined) m.prefix.set(r.text, prefix);
        if (parent?.type === 'identifier' && parent.text !== r.text) m.parent.set(r.text, parent.text);
      }
    } else if (verb === 'prefix' && a.length === 1 && fn.childForFieldName('object')?.type === 'identifier' && stringValue(a[0]) !== undefined) {
      m.own.set(fn.childForFieldName('object')!.text, stringValue(a[0])!); // koa-router: router.prefix('/p')
    } else if (verb === 'register' && a[0]?.type === 'identifier' && a[1]?.type === 'object') {
      const pre = named(a[1]).find(p => p.type === 'pair' && p.childForFieldName('key')?.text === 'prefix');
      const prefix = stringValue(pre?.childForFieldName('value'));
      if (prefix !== undefined) m.prefix.set(a[0].text, prefix);
    }
  }
  return m;
}

/** Prefix a route gets from a mount of its router object or of the plugin function around it. */
/** An object's prefix from the mounts in this file, outermost first: app.use('/api', api); api.use('/videos', videos). */
function chainPrefix(objName: string, m: Mounts, depth = 0): string | undefined {
  const parent = m.parent.get(objName);
  const outer = parent !== undefined && depth < 16 ? chainPrefix(parent, m, depth + 1) : undefined;
  const [mount, own] = [m.prefix.get(objName), m.own.get(objName)];
  return outer === undefined && mount === undefined && own === undefined ? undefined : joinRoute(outer, mount, own);
}

function mountPrefix(objName: string, call: Node, m: Mounts): string {
  let prefix = chainPrefix(objName, m) ?? '';
  for (let n = call.parent; n; n = n.parent) {
    if (FUNCTION_TYPES.has(n.type) && n.parent?.type === 'arguments') {
      // fastify.register(async f => { f.get(…) }, { prefix: '/v1' })
      const outer = n.parent.parent;
      const a = outer?.type === 'call_expression' ? args(outer) : [];
      const fn = outer?.childForFieldName('function');
      if (a[0]?.id === n.id && fn?.type === 'member_expression' && fn.childForFieldName('property')?.text === 'register' && a[1]?.type === 'object') {
        prefix = joinRoute(stringValue(objectProps(a[1]).get('prefix')), prefix);
      }
      continue;
    }
    if (n.type === 'function_declaration') {
      prefix = joinRoute(m.prefix.get(n.childForFieldName('name')?.text ?? ''), prefix);
      break;
    }
    if (n.type === 'variable_declarator' && FUNCTION_TYPES.has(n.childForFieldName('value')?.type ?? '')) {
      prefix = joinRoute(m.prefix.get(n.childForFieldName('name')?.text ?? ''), prefix);
      break;
    }
  }
  return prefix;
}

/** An object literal's properties by key (quotes dropped). */
export function objectProps(obj: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const p of named(obj)) {
    const value = p.type === 'pair' ? p.childForFieldName('value') : null;
    if (value) out.set((p.childForFieldName('key')?.text ?? '').replace(/^['"]|['"]$/g, ''), value);
  }
  return out;
}

/**
 * The name a Fastify plugin function goes by in the module facts (javascriptModules.ts): its own
 * name, or `exports#default` when it is the module's export itself (`module.exports = async
 * function (fastify) {…}`, `export default …`).
 */
export function pluginKey(fn: Node): string | undefined {
  const parent = fn.parent;
  if (parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.text === 'module.exports') return 'exports#default';
  if (parent?.type === 'export_statement' && fn.type !== 'function_declaration') return 'exports#default';
  if (parent?.type === 'variable_declarator') return parent.childForFieldName('name')?.text;
  return fn.type === 'function_declaration' ? fn.childForFieldName('name')?.text : undefined;
}

/** A plugin's instance parameter (`fastify` in `async function (fastify) {…}`) at `node`: the plugin's key. */
export function pluginObject(name: string, node: Node): string | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (!FUNCTION_TYPES.has(n.type) && n.type !== 'function_declaration') continue;
    return firstParamName(n) === name ? pluginKey(n) : undefined;
  }
  return undefined;
}

/** The object a route's router goes by in the module facts, when crossFile.ts may add prefixes to it. */
function routerObject(name: string, call: Node, m: Mounts): string | undefined {
  return m.routers.has(name) ? name : pluginObject(name, call);
}

/** `router` (object and path as written) lets crossFile.ts add a prefix given where another module mounts the object. */
function routeFinding(call: Node, nameNode: Node, method: string, route: string, language: LanguageId, router?: { object: string; path: string }): Finding {
  const f: Finding = { kind: 'endpoint', id: `${method} ${route}`, name: route, language, nameRange: rangeOf(nameNode), range: rangeOf(statementOf(call)), method, route };
  if (router) f.router = { ...router, fileRoute: route };
  return f;
}

function firstParamName(fn: Node): string | undefined {
  const p = named(fn.childForFieldName('parameters'))[0] ?? fn.childForFieldName('parameter');
  if (!p) return undefined;
  if (p.type === 'identifier') return p.text;
  return (p.childForFieldName('pattern') ?? named(p)[0])?.text;
}

/** Is `name` the instance parameter of a Fastify plugin: `register(async f => …)` or a function mounted by register? */
function isPluginInstance(name: string, call: Node, m: Mounts): boolean {
  for (let n = call.parent; n; n = n.parent) {
    if (!FUNCTION_TYPES.has(n.type) && n.type !== 'function_declaration') continue;
    if (firstParamName(n) !== name) continue;
    const own = n.childForFieldName('name')?.text ?? (n.parent?.type === 'variable_declarator' ? n.parent.childForFieldName('name')?.text : undefined);
    if (own && m.prefix.has(own)) return true;
    const outer = n.parent?.type === 'arguments' ? n.parent.parent : null;
    const fn = outer?.childForFieldName('function');
    return fn?.type === 'member_expression' && fn.childForFieldName('property')?.text === 'register';
  }
  return false;
}

/** Express-style calls: app.get('/x', h), router.route('/x').get(h).post(h), fastify.route({ … }). */
function routesOfCall(call: Node, m: Mounts, language: LanguageId): Finding[] {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'member_expression') return [];
  const verb = fn.childForFieldName('property')?.text ?? '';
  const obj = fn.childForFieldName('object');
  const a = args(call);
  if (!obj) return [];
  const last = a[a.length - 1];
  const isHandler = !!last && (FUNCTION_TYPES.has(last.type) || ['identifier', 'member_expression', 'call_expression'].includes(last.type));
  const handlerLast = a.length >= 2 && isHandler;
  if (obj.type === 'identifier' && (m.routers.has(obj.text) || ROUTER_NAMES.test(obj.text) || isPluginInstance(obj.text, call, m))) {
    const known = m.routers.has(obj.text) || isPluginInstance(obj.text, call, m);
    if (ROUTE_VERBS.has(verb)) {
      const path = stringValue(a[0]);
      if (path === undefined || !path.startsWith('/') || !handlerLast) return [];
      if (!known && !a.slice(1).some(x => FUNCTION_TYPES.has(x.type))) return []; // axios.get('/x', config) is not a route
      const method = verb === 'all' ? '*' : verb === 'del' ? 'DELETE' : verb.toUpperCase();
      const object = routerObject(obj.text, call, m);
      return [routeFinding(call, a[0], method, joinRoute(mountPrefix(obj.text, call, m), path), language, object === undefined ? undefined : { object, path })];
    }
    if (verb === 'route' && a[0]?.type === 'object') {
      const props = objectProps(a[0]);
      const url = stringValue(props.get('url') ?? props.get('path'));
      const methodNode = props.get('method');
      if (url === undefined || !methodNode) return [];
      const methods = methodNode.type === 'array' ? named(methodNode).map(stringValue) : [stringValue(methodNode)];
      const route = joinRoute(mountPrefix(obj.text, call, m), url);
      return methods.filter((x): x is string => !!x).map(x => routeFinding(call, props.get('url') ?? a[0], x.toUpperCase(), route, language));
    }
    return [];
  }
  // router.route('/x').get(h).post(h): walk down the chain to the .route('/x') call.
  if (!ROUTE_VERBS.has(verb) || !isHandler) return [];
  let inner: Node | null = obj;
  while (inner?.type === 'call_expression') {
    const f = inner.childForFieldName('function');
    if (f?.type !== 'member_expression') return [];
    const p = f.childForFieldName('property')?.text ?? '';
    const o = f.childForFieldName('object');
    if (p === 'route' && o?.type === 'identifier') {
      const first = args(inner)[0];
      const path = stringValue(first);
      if (path === undefined || !first || !path.startsWith('/')) return [];
      const method = verb === 'all' ? '*' : verb.toUpperCase();
      const verbNode = fn.childForFieldName('property') ?? first;
      const object = routerObject(o.text, inner, m);
      return [routeFinding(call, verbNode, method, joinRoute(mountPrefix(o.text, inner, m), path), language, object === undefined ? undefined : { object, path })];
    }
    if (!ROUTE_VERBS.has(p)) return [];
    inner = o;
  }
  return [];
}

function decoratorCall(dec: Node): { name: string; args: Node[] } | undefined {
  const expr = named(dec)[0];
  if (expr?.type !== 'call_expression') return undefined;
  return { name: expr.childForFieldName('function')?.text ?? '', args: args(expr) };
}

function nestPath(a: Node[]): string | undefined {
  if (a.length === 0) return '';
  if (a[0].type === 'object') return stringValue(objectProps(a[0]).get('path')) ?? '';
  return stringValue(a[0]);
}

/** NestJS: @Controller('prefix') class with @Get(':id') … methods. */
function nestRoutes(scope: Node[], language: LanguageId): Finding[] {
  const out: Finding[] = [];
  for (const cls of scope.flatMap(n => n.descendantsOfType('class_declaration'))) {
    if (!cls) continue;
    const holder = cls.parent?.type === 'export_statement' ? cls.parent : cls;
    const decs = [...named(holder), ...named(cls)].filter(n => n.type === 'decorator');
    const ctl = decs.map(decoratorCall).find(d => d?.name === 'Controller');
    if (!ctl) continue;
    const prefix = nestPath(ctl.args) ?? '';
    let pending: Node[] = [];
    for (const member of named(cls.childForFieldName('body'))) {
      if (member.type === 'decorator') {
        pending.push(member);
        continue;
      }
      if (member.type === 'method_definition') {
        const nameNode = member.childForFieldName('name');
        for (const d of pending.map(decoratorCall)) {
          if (!d || !NEST_VERBS.has(d.name) || !nameNode) continue;
          const path = nestPath(d.args);
          if (path === undefined) continue;
          const method = d.name === 'All' ? '*' : d.name.toUpperCase();
          const route = joinRoute(prefix, path);
          const start = pending[0] ?? member;
          out.push({
            kind: 'endpoint',
            id: `${method} ${route}`,
            name: nameNode.text,
            language,
            nameRange: rangeOf(nameNode),
            range: { start: rangeOf(start).start, end: rangeOf(member).end },
            method,
            route,
          });
        }
      }
      pending = [];
    }
  }
  return out;
}

/** Findings in the file, or only in the top-level statements `only` (incremental re-locate). */
export function locateJavaScript(root: Node, language: LanguageId, mounts: Mounts = jsContext(root), only?: Node[]): Finding[] {
  const scope = only ?? [root];
  const calls = scope.flatMap(n => n.descendantsOfType('call_expression')).filter((c): c is Node => c !== null);
  const out: Finding[] = [];
  for (const call of calls) {
    const api = testApiName(call);
    if (api && (TEST.has(api) || BENCH.has(api))) {
      const t = titleOf(call);
      const todo = /\.todo\b/.test(call.childForFieldName('function')?.text ?? '');
      if (!t || (!hasCallback(call) && !todo)) continue;
      const id = [...suitePath(call), t.title].join(' ');
      out.push({
        kind: BENCH.has(api) ? 'benchmark' : 'test',
        id,
        name: t.title,
        language,
        nameRange: rangeOf(t.node),
        range: rangeOf(statementOf(call)),
      });
      continue;
    }
    if (api && SUITE.has(api)) continue;
    out.push(...routesOfCall(call, mounts, language));
  }
  out.push(...nestRoutes(scope, language));
  return out;
}
