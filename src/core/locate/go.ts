// Go: `func BenchmarkX(b *testing.B)`, `func TestX(t *testing.T)`, net/http handlers
// (Go 1.22 "GET /items/{id}" patterns included), gin/echo (`r.GET`, `r.Group("/v1")`) and
// chi (`r.Get`, `r.Route("/p", func(r chi.Router) { … })`) routes. Each route names its router
// object (a registration function's router parameter stands for the function) so crossFile.ts can
// add the prefixes of groups handed to it from other files and packages (goModules.ts).
import type { Node } from 'web-tree-sitter';
import { goRouterObject } from './goModules';
import { joinRoute, named, rangeOf, stringValue } from './syntax';
import type { Finding } from './types';

const UPPER_VERBS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'Any']);
const CHI_VERBS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'Head', 'Options', 'Connect', 'Trace']);

function testFunctions(scope: Node[]): Finding[] {
  const out: Finding[] = [];
  for (const fn of scope) {
    if (fn.type !== 'function_declaration') continue;
    const nameNode = fn.childForFieldName('name');
    const name = nameNode?.text ?? '';
    const params = fn.childForFieldName('parameters')?.text ?? '';
    const kind = /^Benchmark/.test(name) && /\*testing\.B\b/.test(params) ? 'benchmark' : /^Test/.test(name) && /\*testing\.T\b/.test(params) ? 'test' : undefined;
    if (kind && nameNode) out.push({ kind, id: name, name, language: 'go', nameRange: rangeOf(nameNode), range: rangeOf(fn) });
  }
  return out;
}

function callArgs(call: Node): Node[] {
  return named(call.childForFieldName('arguments')).filter(a => a.type !== 'comment');
}

/** Selector call parts: `x.Y(args)` → { obj: "x", sel: "Y" }. */
function selector(call: Node): { obj: string; sel: string } | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'selector_expression') return undefined;
  return { obj: fn.childForFieldName('operand')?.text ?? '', sel: fn.childForFieldName('field')?.text ?? '' };
}

/** Group prefixes: `v1 := r.Group("/v1")` (gin/echo), chained from the parent group. */
export type GoContext = Map<string, string>;

/** Group prefixes: file-wide, reusable while they do not change. */
export function goContext(root: Node): GoContext {
  const groups = new Map<string, string>();
  for (const decl of root.descendantsOfType(['short_var_declaration', 'assignment_statement'])) {
    const left = named(decl?.childForFieldName('left'))[0];
    const right = named(decl?.childForFieldName('right'))[0];
    if (!left || right?.type !== 'call_expression') continue;
    const s = selector(right);
    const path = stringValue(callArgs(right)[0]);
    if (s?.sel === 'Group' && path !== undefined) groups.set(left.text, joinRoute(groups.get(s.obj), path));
  }
  return groups;
}

/** Prefix from enclosing chi `r.Route("/p", func(r chi.Router) { … })` calls. */
function chiRoutePrefix(call: Node): string {
  const parts: string[] = [];
  for (let n = call.parent; n; n = n.parent) {
    if (n.type !== 'call_expression') continue;
    const s = selector(n);
    const a = callArgs(n);
    const path = stringValue(a[0]);
    if (s?.sel === 'Route' && path !== undefined && a[1]?.type === 'func_literal') parts.unshift(path);
  }
  return joinRoute(...parts);
}

/** Findings in the file, or only in the top-level declarations `only` (incremental re-locate). */
export function locateGo(root: Node, groups: GoContext = goContext(root), only?: Node[]): Finding[] {
  const scope = only ?? named(root);
  const out = testFunctions(scope);
  for (const call of (only ?? [root]).flatMap(n => n.descendantsOfType('call_expression'))) {
    if (!call) continue;
    const s = selector(call);
    const a = callArgs(call);
    const pattern = stringValue(a[0]);
    if (!s || pattern === undefined || a.length < 2 || !a[0]) continue;
    let method: string;
    let path: string;
    if (s.sel === 'HandleFunc' || s.sel === 'Handle') {
      const m = /^(?:([A-Z]+)\s+)?(\S*)$/.exec(pattern.trim());
      if (!m) continue;
      method = m[1] ?? '*';
      path = m[2].startsWith('/') ? m[2] : m[2].slice(m[2].indexOf('/')); // drop a host part
      if (!path.startsWith('/')) continue;
    } else if (UPPER_VERBS.has(s.sel) || CHI_VERBS.has(s.sel)) {
      if (!pattern.startsWith('/')) continue;
      method = s.sel === 'Any' ? '*' : s.sel.toUpperCase();
      path = pattern;
    } else {
      continue;
    }
    const chi = chiRoutePrefix(call);
    const route = joinRoute(chi, groups.get(s.obj), path);
    const stmt = call.parent?.type === 'expression_statement' ? call.parent : call;
    // Inside a chi Route literal the router is the literal's parameter: only the file knows its prefix.
    const router = chi === '/' ? { object: goRouterObject(s.obj, call), path, fileRoute: route } : undefined;
    out.push({ kind: 'endpoint', id: `${method} ${route}`, name: route, language: 'go', nameRange: rangeOf(a[0]), range: rangeOf(stmt), method, route, ...(router ? { router } : {}) });
  }
  return out;
}
