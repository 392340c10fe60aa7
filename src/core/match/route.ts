// Route-template matching across framework conventions. A load-test name or a concrete URL
// (`/api/projects/test-project-123/videos`, Locust's `/api/projects/[id]/videos`,
// `GET /api/videos/{id}`) is matched against endpoint templates written as FastAPI/Go
// `{id}`, Express/Nest/Fastify `:id`, Flask `<int:id>`. Rules:
//  - segment by segment: literal = literal; a template parameter takes any one segment
//    (typed Flask converters check it); a placeholder in the query only fits a parameter;
//    catch-alls (`{p:path}`, `{p...}`, `<path:p>`, `*`) take the rest;
//  - the method must agree when both sides give one (`*` = any);
//  - the most specific template wins (more literal segments, then typed parameters, then
//    an exact method over `*`, then no catch-all); a tie between different targets is
//    returned as ambiguous, never guessed.

export interface RouteTemplate {
  method?: string;
  route?: string;
}

export type RouteMatch<T> =
  | { status: 'matched'; target: T }
  | { status: 'ambiguous'; candidates: T[] }
  | { status: 'none' };

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string; test?: RegExp }
  | { kind: 'rest'; name: string };

const CONVERTERS: Record<string, RegExp> = {
  int: /^\d+$/,
  float: /^\d+(\.\d+)?$/,
  uuid: /^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$/,
};

function segmentOf(raw: string): Segment {
  let m: RegExpExecArray | null;
  if ((m = /^\{([^}:.]*)(?::([^}]*))?(\.\.\.)?\}$/.exec(raw))) {
    // FastAPI/Starlette `{id}`, `{id:int}`, `{p:path}`; Go 1.22 `{id}`, `{p...}`.
    if (m[3] || m[2] === 'path') return { kind: 'rest', name: m[1] };
    return { kind: 'param', name: m[1], test: m[2] ? CONVERTERS[m[2]] : undefined };
  }
  if ((m = /^<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>$/.exec(raw))) {
    // Flask/Werkzeug `<id>`, `<int:id>`, `<path:p>`.
    if (m[1] === 'path') return { kind: 'rest', name: m[2] };
    return { kind: 'param', name: m[2], test: m[1] ? CONVERTERS[m[1]] : undefined };
  }
  if ((m = /^:(\w+)(\(.*\))?\??$/.exec(raw))) {
    // Express/Fastify/Nest `:id`, `:id(\\d+)`.
    let test: RegExp | undefined;
    try {
      test = m[2] ? new RegExp(`^${m[2]}$`) : undefined;
    } catch {
      test = undefined;
    }
    return { kind: 'param', name: m[1], test };
  }
  if ((m = /^\[(\w*)\]$/.exec(raw))) return { kind: 'param', name: m[1] }; // Locust naming convention
  if (/^\*\w*$/.test(raw)) return { kind: 'rest', name: raw.slice(1) };
  return { kind: 'literal', text: raw };
}

/** Split a route or URL into segments: drops scheme/host, query string, fragment and Go's `{$}`. */
export function parseRoute(route: string): Segment[] {
  let path = route.trim().replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  path = path.replace(/[?#].*$/, '');
  return path
    .split('/')
    .filter(s => s !== '' && s !== '{$}')
    .map(segmentOf);
}

/** "GET /api/x" → { method: "GET", route: "/api/x" }; a bare path keeps method undefined. */
export function splitMethod(name: string): { method?: string; route: string } {
  const m = /^([A-Za-z]+)\s+(\S.*)$/.exec(name.trim());
  return m && /^\/|^[a-z]+:\/\//i.test(m[2]) ? { method: m[1].toUpperCase(), route: m[2] } : { route: name.trim() };
}

interface Score {
  literals: number;
  typed: number;
  exactMethod: number;
  noRest: number;
}

function matchSegments(tmpl: Segment[], query: Segment[]): Omit<Score, 'exactMethod'> | undefined {
  let literals = 0;
  let typed = 0;
  for (let i = 0; i < tmpl.length; i++) {
    const t = tmpl[i];
    if (t.kind === 'rest') {
      return i === tmpl.length - 1 && query.length > i ? { literals, typed, noRest: 0 } : undefined;
    }
    const q = query[i];
    if (!q) return undefined;
    if (t.kind === 'literal') {
      if (q.kind !== 'literal' || q.text !== t.text) return undefined;
      literals++;
    } else {
      if (q.kind === 'literal' && t.test && !t.test.test(decodeSafe(q.text))) return undefined;
      if (t.test) typed++;
    }
  }
  return tmpl.length === query.length ? { literals, typed, noRest: 1 } : undefined;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const compare = (a: Score, b: Score): number =>
  a.literals - b.literals || a.typed - b.typed || a.exactMethod - b.exactMethod || a.noRest - b.noRest;

export function methodsAgree(query: string | undefined, template: string | undefined): boolean {
  if (!query || !template || template === '*' || query === '*') return true;
  return query.toUpperCase() === template.toUpperCase();
}

/**
 * Match `query` (method optional; the route may also be "METHOD /path") against templates.
 * `sameTarget` says when two tied candidates are really one handler (e.g. the same function
 * registered for GET and POST); by default equal method + route.
 */
export function matchRoute<T extends RouteTemplate>(
  query: { method?: string; route: string },
  templates: readonly T[],
  sameTarget: (a: T, b: T) => boolean = (a, b) => a.route === b.route && a.method === b.method,
): RouteMatch<T> {
  const split = splitMethod(query.route);
  const method = (query.method ?? split.method)?.toUpperCase();
  const q = parseRoute(split.route);
  if (!split.route.startsWith('/') && !/^[a-z]+:\/\//i.test(split.route)) return { status: 'none' };
  let best: { t: T; s: Score }[] = [];
  for (const t of templates) {
    if (t.route === undefined || !methodsAgree(method, t.method)) continue;
    const m = matchSegments(parseRoute(t.route), q);
    if (!m) continue;
    const s: Score = { ...m, exactMethod: method && t.method && t.method !== '*' ? 1 : 0 };
    const c = best.length ? compare(s, best[0].s) : 1;
    if (c > 0) best = [{ t, s }];
    else if (c === 0) best.push({ t, s });
  }
  const distinct: T[] = [];
  for (const { t } of best) if (!distinct.some(d => sameTarget(d, t))) distinct.push(t);
  if (distinct.length === 0) return { status: 'none' };
  if (distinct.length === 1) return { status: 'matched', target: distinct[0] };
  return { status: 'ambiguous', candidates: distinct };
}
