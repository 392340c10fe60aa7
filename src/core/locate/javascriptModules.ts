// JavaScript / TypeScript: the per-file facts crossFile.ts needs for Express routers mounted
// from another module: `const router = express.Router(); router.get('/:id', …);
// module.exports = router` (or `export default router`) in routes/videos.js, and
// `app.use('/api', require('./routes/videos'))` or `import videos from './routes/videos';
// app.use('/api', videos)` in app.js. Only syntax nodes count, not strings or comments.
import type { Node } from 'web-tree-sitter';
import type { ImportDef, ModuleFacts } from './crossFile';
import { jsContext } from './javascript';
import { named, stringValue } from './syntax';

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

/** module.exports = x / module.exports.y = x / exports.y = x / export default x / export { x as y }. */
function addExports(root: Node, exports: Record<string, string>): void {
  for (const a of root.descendantsOfType('assignment_expression')) {
    const left = a?.childForFieldName('left')?.text;
    const right = a?.childForFieldName('right');
    if (right?.type !== 'identifier' || !left) continue;
    if (left === 'module.exports') exports.default = right.text;
    const m = /^(?:module\.)?exports\.(\w+)$/.exec(left);
    if (m) exports[m[1]] = right.text;
  }
  for (const stmt of named(root)) {
    if (stmt.type !== 'export_statement') continue;
    const value = stmt.childForFieldName('value');
    if (value?.type === 'identifier') exports.default = value.text;
    for (const spec of named(named(stmt).find(n => n.type === 'export_clause'))) {
      const name = spec.childForFieldName('name')?.text;
      const alias = spec.childForFieldName('alias')?.text ?? name;
      if (name && alias) exports[alias] = name;
    }
  }
}

/** Facts of one JS/TS module (crossFile.ts). */
export function javascriptModuleFacts(root: Node): ModuleFacts {
  const facts: ModuleFacts = { routers: {}, mounts: [], imports: {}, exports: {} };
  for (const r of jsContext(root).routers) facts.routers[r] = { flask: false };
  for (const d of root.descendantsOfType('variable_declarator')) if (d) addDeclarator(d, facts.imports);
  for (const stmt of named(root)) if (stmt.type === 'import_statement') addImport(stmt, facts.imports);
  addExports(root, facts.exports ?? {});
  let inline = 0;
  for (const call of root.descendantsOfType('call_expression')) {
    const fn = call?.childForFieldName('function');
    if (!call || fn?.type !== 'member_expression' || fn.childForFieldName('property')?.text !== 'use') continue;
    const parent = dotted(fn.childForFieldName('object'));
    const a = named(call.childForFieldName('arguments')).filter(n => n.type !== 'comment');
    const prefix = stringValue(a[0]);
    if (!parent) continue;
    for (const arg of prefix === undefined ? a : a.slice(1)) {
      const spec = requireSpec(arg);
      let child = dotted(arg);
      if (spec !== undefined) {
        // app.use('/api', require('./routes/videos')): an import with a name no source can spell.
        child = `require#${inline++}`;
        facts.imports[child] = { module: spec };
      }
      if (child) facts.mounts.push({ parent, child, prefix, flask: false });
    }
  }
  return facts;
}

const RELEVANT = /\bRouter\b|\.use\s*\(/;

/** Is the JS/TS file worth keeping facts for (it makes or mounts a router)? */
export function mayHaveJsModuleFacts(text: string): boolean {
  return RELEVANT.test(text);
}
