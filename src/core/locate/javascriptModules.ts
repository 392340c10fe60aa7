// JavaScript / TypeScript: the per-file facts crossFile.ts needs for Express routers mounted
// from another module: `const router = express.Router(); router.get('/:id', …);
// module.exports = router` (or `export default router`) in routes/videos.js, and
// `app.use('/api', require('./routes/videos'))` or `import videos from './routes/videos';
// app.use('/api', videos)` in app.js. Router factories too: a function that makes a router and
// returns it (`module.exports = function (deps) { const router = Router(); …; return router }`,
// `export function makeAdminRouter()`), mounted as `app.use('/admin', makeAdminRouter(deps))`,
// stands for the router it returns. Fastify plugins (`module.exports = async function (fastify) {…}`)
// are routers of their own, mounted by `app.register(plugin, { prefix })`. Only syntax nodes count,
// not strings or comments.
import type { Node } from 'web-tree-sitter';
import type { ImportDef, ModuleFacts } from './crossFile';
import { FUNCTION_TYPES, jsContext, mountedObject, objectProps, pluginKey, pluginObject } from './javascript';
import { named, stringValue } from './syntax';

/** Route verbs of a Fastify instance. */
const PLUGIN_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all']);

/** `require('spec')` → 'spec'. */
function requireSpec(node: Node | null | undefined): string | undefined {
  if (node?.type !== 'call_expression' || node.childForFieldName('function')?.text !== 'require') return undefined;
  return stringValue(named(node.childForFieldName('arguments'))[0]);
}

/** Dotted identifiers only (`a.b.c`). */
function dotted(node: Node | null | undefined): string | undefined {
  if (node?.type === 'identifier') return node.text;
  if (node?.type !== 'member_expression') return undefined;
  const obj = dotted(node.childForFieldName('object'));
  const prop = node.childForFieldName('property')?.text;
  return obj && prop ? `${obj}.${prop}` : undefined;
}

function addDeclarator(decl: Node, imports: Record<string, ImportDef>): void {
  const name = decl.childForFieldName('name');
  let value = decl.childForFieldName('value');
  let member: string | undefined;
  if (value?.type === 'member_expression') {
    member = value.childForFieldName('property')?.text; // require('./x').router
    value = value.childForFieldName('object');
  }
  const module = requireSpec(value);
  if (module === undefined || !name) return;
  if (name.type === 'identifier') imports[name.text] = { module, name: member };
  else if (name.type === 'object_pattern' && member === undefined) {
    // const { router, api: v1 } = require('./x')
    for (const p of named(name)) {
      if (p.type === 'shorthand_property_identifier_pattern') imports[p.text] = { module, name: p.text };
      else if (p.type === 'pair_pattern') {
        const key = p.childForFieldName('key')?.text;
        const local = p.childForFieldName('value');
        if (key && local?.type === 'identifier') imports[local.text] = { module, name: key };
      }
    }
  }
}

function addImport(stmt: Node, imports: Record<string, ImportDef>): void {
  const module = stringValue(stmt.childForFieldName('source'));
  const clause = named(stmt).find(n => n.type === 'import_clause');
  if (module === undefined || !clause) return;
  for (const part of named(clause)) {
    if (part.type === 'identifier') imports[part.text] = { module, name: 'default' };
    else if (part.type === 'namespace_import') {
      const local = named(part).find(n => n.type === 'identifier');
      if (local) imports[local.text] = { module };
    } else if (part.type === 'named_imports') {
      for (const spec of named(part)) {
        const name = spec.childForFieldName('name')?.text;
        const alias = spec.childForFieldName('alias')?.text ?? name;
        if (spec.type === 'import_specifier' && name && alias) imports[alias] = { module, name };
      }
    }
  }
}

/** The function a `return` belongs to. */
function enclosingFunction(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (FUNCTION_TYPES.has(p.type) || p.type === 'function_declaration' || p.type === 'method_definition') return p;
  return undefined;
}

/** The router a factory function returns (`return router`, `() => router`), when `fn` is one. */
function returnedRouter(fn: Node, routers: Record<string, unknown>): string | undefined {
  const body = fn.childForFieldName('body');
  if (body?.type === 'identifier') return routers[body.text] ? body.text : undefined;
  for (const ret of body?.descendantsOfType('return_statement') ?? []) {
    const value = ret ? named(ret)[0] : undefined;
    if (ret && value?.type === 'identifier' && routers[value.text] && enclosingFunction(ret)?.id === fn.id) return value.text;
  }
  return undefined;
}

/** Top-level named functions: `function f() {}`, `const f = () => {}` (exported or not). */
function namedFunctions(root: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const stmt of named(root)) {
    const decl = stmt.type === 'export_statement' ? stmt.childForFieldName('declaration') : stmt;
    if (decl?.type === 'function_declaration') {
      const name = decl.childForFieldName('name')?.text;
      if (name) out.set(name, decl);
    } else if (decl?.type === 'lexical_declaration' || decl?.type === 'variable_declaration') {
      for (const d of named(decl)) {
        const name = d.childForFieldName('name');
        const value = d.childForFieldName('value');
        if (name?.type === 'identifier' && value && FUNCTION_TYPES.has(value.type)) out.set(name.text, value);
      }
    }
  }
  return out;
}

/**
 * module.exports = x | { x, y: z } | function … / (module.)exports.y = x / export default x /
 * export { x as y } / export function f … / export const f = …: exported name → local router
 * name, a factory standing for the router it returns.
 */
function addExports(root: Node, exports: Record<string, string>, routers: Record<string, unknown>): void {
  const functions = namedFunctions(root);
  /** What an exported value stands for: a router's local name (via a factory), or the name itself. */
  const local = (value: Node | null | undefined): string | undefined => {
    if (!value) return undefined;
    if (FUNCTION_TYPES.has(value.type) || value.type === 'function_declaration') {
      const key = pluginKey(value);
      return returnedRouter(value, routers) ?? (key !== undefined && routers[key] ? key : undefined);
    }
    if (value.type !== 'identifier') return undefined;
    const fn = functions.get(value.text);
    return (fn && returnedRouter(fn, routers)) ?? value.text;
  };
  const set = (name: string, value: Node | null | undefined) => {
    const l = local(value);
    if (l) exports[name] = l;
  };
  for (const a of root.descendantsOfType('assignment_expression')) {
    const left = a?.childForFieldName('left')?.text;
    const right = a?.childForFieldName('right');
    if (!right || !left) continue;
    if (left === 'module.exports') {
      if (right.type === 'object') {
        for (const p of named(right)) {
          if (p.type === 'shorthand_property_identifier') set(p.text, p);
          else if (p.type === 'pair') set(p.childForFieldName('key')?.text ?? '', p.childForFieldName('value'));
        }
      } else set('default', right);
    }
    const m = /^(?:module\.)?exports\.(\w+)$/.exec(left);
    if (m) set(m[1], right);
  }
  for (const stmt of named(root)) {
    if (stmt.type !== 'export_statement') continue;
    const isDefault = stmt.children.some(c => c?.type === 'default');
    const value = stmt.childForFieldName('value');
    if (value) set('default', value);
    const decl = stmt.childForFieldName('declaration');
    if (decl?.type === 'function_declaration') set(isDefault ? 'default' : decl.childForFieldName('name')?.text ?? '', decl);
    else if (decl) for (const d of named(decl)) if (d.type === 'variable_declarator') set(d.childForFieldName('name')?.text ?? '', d.childForFieldName('value'));
    for (const spec of named(named(stmt).find(n => n.type === 'export_clause'))) {
      const name = spec.childForFieldName('name');
      const alias = spec.childForFieldName('alias')?.text ?? name?.text;
      if (name && alias) set(alias, name);
    }
  }
}

/** Facts of one JS/TS module (crossFile.ts). */
export function javascriptModuleFacts(root: Node): ModuleFacts {
  const facts: ModuleFacts = { routers: {}, mounts: [], imports: {}, exports: {} };
  const context = jsContext(root);
  for (const r of context.routers) facts.routers[r] = { flask: false, prefix: context.own.get(r) };
  // One walk for the two passes below (each node handed out of the wasm tree costs).
  const calls = root.descendantsOfType('call_expression').filter((c): c is Node => c !== null);
  // Fastify plugins: functions whose instance parameter (the first) declares routes or registers plugins.
  for (const call of calls) {
    const fn = call.childForFieldName('function');
    const verb = fn?.type === 'member_expression' ? fn.childForFieldName('property')?.text ?? '' : '';
    const object = fn?.childForFieldName('object');
    const first = named(call.childForFieldName('arguments'))[0];
    const declares = verb === 'register' || verb === 'route' || (PLUGIN_VERBS.has(verb) && stringValue(first)?.startsWith('/'));
    const key = declares && object?.type === 'identifier' ? pluginObject(object.text, call) : undefined;
    if (key && !facts.routers[key]) facts.routers[key] = { flask: false };
  }
  for (const d of root.descendantsOfType('variable_declarator')) if (d) addDeclarator(d, facts.imports);
  for (const stmt of named(root)) if (stmt.type === 'import_statement') addImport(stmt, facts.imports);
  addExports(root, facts.exports ?? {}, facts.routers);
  let inline = 0;
  /** A mounted module or object as a name the facts can follow (`require#N` for an inline require). */
  const childName = (arg: Node): string | undefined => {
    const spec = requireSpec(arg);
    if (spec === undefined) return dotted(arg);
    // app.use('/api', require('./routes/videos')): an import with a name no source can spell.
    const child = `require#${inline++}`;
    facts.imports[child] = { module: spec };
    return child;
  };
  for (const call of calls) {
    const fn = call.childForFieldName('function');
    const verb = fn?.type === 'member_expression' ? fn.childForFieldName('property')?.text : undefined;
    if (!fn || (verb !== 'use' && verb !== 'register')) continue;
    const objectNode = fn.childForFieldName('object');
    // Inside a Fastify plugin its instance parameter is the plugin itself.
    const parent = (objectNode?.type === 'identifier' && pluginObject(objectNode.text, call)) || dotted(objectNode);
    const a = named(call.childForFieldName('arguments')).filter(n => n.type !== 'comment');
    if (!parent) continue;
    if (verb === 'register') {
      // Fastify: register(plugin, { prefix: '/p' }); an inline plugin function is the file locator's.
      const prefix = a[1]?.type === 'object' ? stringValue(objectProps(a[1]).get('prefix')) : undefined;
      const child = a[0] && !FUNCTION_TYPES.has(a[0].type) ? childName(a[0]) : undefined;
      if (child) facts.mounts.push({ parent, child, prefix, flask: false });
      continue;
    }
    const prefix = stringValue(a[0]);
    for (const mounted of prefix === undefined ? a : a.slice(1)) {
      // A factory's result (`makeAdminRouter(deps)`, `require('./uploads')(deps)`) is the router it
      // returns; a package's middleware (`express.json()`, `cors()`) is none of ours.
      const object = mountedObject(mounted); // koa-router: router.routes()
      const arg = (object === mounted && mounted.type === 'call_expression' && !requireSpec(mounted) ? mounted.childForFieldName('function') : object) ?? object;
      const head = dotted(arg)?.split('.')[0];
      if (arg !== object && head !== undefined && facts.imports[head] && !facts.imports[head].module.startsWith('.')) continue;
      // koa-router's router.allowedMethods() answers OPTIONS and 405s: no routes of its own.
      if (arg !== object && (head !== undefined && facts.routers[head] || /\.allowedMethods$/.test(dotted(arg) ?? ''))) continue;
      const child = childName(arg);
      if (child) facts.mounts.push({ parent, child, prefix, flask: false });
    }
  }
  return facts;
}

const RELEVANT = /\bRouter\b|\.(use|register)\s*\(/;
/** A Fastify plugin module only declares routes on its instance parameter, and exports the plugin. */
const ROUTES = /\.(route|get|post|put|patch|delete|head|options|all)\s*\(/;
const EXPORTS = /\bmodule\.exports\b|\bexports\.\w|^\s*export\b/m;

/** Is the JS/TS file worth keeping facts for (it makes or mounts a router)? */
export function mayHaveJsModuleFacts(text: string): boolean {
  return RELEVANT.test(text) || (ROUTES.test(text) && EXPORTS.test(text));
}
