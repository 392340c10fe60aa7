// Go: the per-file facts crossFile.ts needs for route groups handed to functions in other files
// and packages. gin, echo and chi services register routes in functions that take the router or
// group as a parameter (`func Register(g *gin.RouterGroup) { g.GET("/videos/:id", …) }`), called
// where the group is made (`api := r.Group("/api"); videos.Register(api)`), often in another
// package. A registration function stands for its router parameter (its routes' object); a group
// variable is a router mounted under its parent with the group's prefix; a call handing a router
// or group to a function mounts that function under it. Only syntax nodes count.
import type { Node } from 'web-tree-sitter';
import type { ModuleFacts } from './crossFile';
import { named, stringValue } from './syntax';

/** Parameter types that are a router or route group. */
const ROUTER_TYPE = /^\*?(gin\.(Engine|RouterGroup|IRouter|IRoutes)|echo\.(Echo|Group)|chi\.(Router|Mux)|http\.ServeMux|mux\.Router|fiber\.(App|Router))$/;
/** Calls that make a router. */
const ROUTER_MAKER = /^(gin\.(New|Default)|echo\.New|chi\.NewRouter|chi\.NewMux|http\.NewServeMux|mux\.NewRouter|fiber\.New)$/;

/** Names of a function's parameters typed as routers. */
function routerParams(fn: Node): string[] {
  const out: string[] = [];
  for (const p of named(fn.childForFieldName('parameters'))) {
    if (p.type !== 'parameter_declaration' || !ROUTER_TYPE.test(p.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '')) continue;
    for (const n of p.childrenForFieldName('name')) if (n) out.push(n.text);
  }
  return out;
}

/** The top-level function around `node`. */
function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_declaration' || n.type === 'method_declaration') return n;
  return undefined;
}

/**
 * What a router variable named `name` at `node` stands for in the facts: a registration
 * function's router parameter is the function; anything else is the variable itself.
 */
export function goRouterObject(name: string, node: Node): string {
  return routerScope(node)(name);
}

/** goRouterObject for every name at `node`, the enclosing function's parameters read once. */
function routerScope(node: Node): (name: string) => string {
  const fn = enclosingFunction(node);
  const params = fn ? routerParams(fn) : [];
  const owner = fn?.childForFieldName('name')?.text;
  return name => (owner !== undefined && params.includes(name) ? owner : name);
}

/** `X.Group("/p")`: X and the prefix. */
function groupCall(node: Node | null | undefined): { parent: Node; prefix: string } | undefined {
  const fn = node?.type === 'call_expression' ? node.childForFieldName('function') : null;
  if (fn?.type !== 'selector_expression' || fn.childForFieldName('field')?.text !== 'Group') return undefined;
  const parent = fn.childForFieldName('operand');
  const prefix = stringValue(named(node!.childForFieldName('arguments'))[0]);
  return parent && prefix !== undefined ? { parent, prefix } : undefined;
}

function addImports(root: Node, facts: ModuleFacts): void {
  for (const spec of root.descendantsOfType('import_spec')) {
    const path = stringValue(spec?.childForFieldName('path'));
    if (!spec || path === undefined) continue;
    const alias = spec.childForFieldName('name')?.text;
    if (alias === '_' || alias === '.') continue;
    facts.imports[alias ?? path.split('/').pop()!] = { module: path };
  }
}

/** Facts of one Go file (crossFile.ts). */
export function goModuleFacts(root: Node): ModuleFacts {
  const facts: ModuleFacts = { routers: {}, mounts: [], imports: {} };
  addImports(root, facts);
  for (const fn of named(root)) {
    const name = fn.type === 'function_declaration' ? fn.childForFieldName('name')?.text : undefined;
    if (name && routerParams(fn).length) facts.routers[name] = { flask: false };
  }
  // Router variables: made by a constructor, or groups of another router (a mount with a prefix).
  for (const decl of root.descendantsOfType(['short_var_declaration', 'assignment_statement'])) {
    const left = named(decl?.childForFieldName('left'))[0];
    const right = named(decl?.childForFieldName('right'))[0];
    if (!decl || left?.type !== 'identifier' || right?.type !== 'call_expression') continue;
    const group = groupCall(right);
    if (group && group.parent.type === 'identifier') {
      facts.routers[left.text] = { flask: false };
      facts.mounts.push({ parent: goRouterObject(group.parent.text, decl), child: left.text, prefix: group.prefix, flask: false });
    } else if (ROUTER_MAKER.test(right.childForFieldName('function')?.text ?? '')) {
      facts.routers[left.text] = { flask: false };
    }
  }
  // A router handed to a function of this package (`registerHealth(r)`) or an imported one
  // (`videos.Register(api)`, `admin.Routes(r.Group("/admin"))`): that function is mounted under it.
  for (const call of root.descendantsOfType('call_expression')) {
    const callee = call?.childForFieldName('function');
    if (!call || !callee) continue;
    const operand = callee.type === 'selector_expression' ? callee.childForFieldName('operand') : null;
    const target = callee.type === 'identifier' ? callee.text : operand?.type === 'identifier' && facts.imports[operand.text] ? callee.text : undefined;
    if (!target) continue;
    const objectOf = routerScope(call);
    for (const arg of named(call.childForFieldName('arguments'))) {
      const group = groupCall(arg);
      if (group?.parent.type === 'identifier') facts.mounts.push({ parent: objectOf(group.parent.text), child: target, prefix: group.prefix, flask: false });
      // A router variable, or the function's own router parameter (which stands for the function).
      else if (arg.type === 'identifier' && (facts.routers[arg.text] || objectOf(arg.text) !== arg.text)) facts.mounts.push({ parent: objectOf(arg.text), child: target, flask: false });
    }
  }
  return facts;
}

const RELEVANT = /\.Group\(|\b(gin|echo|chi|fiber)\.|http\.ServeMux|mux\.Router/;

/** Is the Go file worth keeping facts for (it makes, groups, takes or hands over a router)? */
export function mayHaveGoModuleFacts(text: string): boolean {
  return RELEVANT.test(text);
}
