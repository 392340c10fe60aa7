// SQL text → a stable key, a kind (aggregation / query / utility) and the source literals that
// hold the same statement. pg_stat_statements reports statements normalized by the server
// (constants → $1, $2 …); source code holds them with driver placeholders (%s, %(name)s, ?, :name,
// $1, ${…}) or literal constants. Both sides are reduced to the same key: comments dropped,
// constants and placeholders → `?`, unquoted words lower-cased, whitespace canonical, IN lists
// collapsed. Matching is exact on that key — never a fuzzy guess.
import { createHash } from 'crypto';

export type SqlKind = 'aggregation' | 'query' | 'utility';

/** Longest series id suffix kept verbatim; longer keys end in a hash so ids stay distinct. */
const MAX_ID_KEY = 160;

const SPACE_BEFORE_PAREN = new Set([
  'in', 'values', 'as', 'on', 'and', 'or', 'not', 'exists', 'from', 'join', 'where', 'using', 'over', 'select', 'then',
  'else', 'when', 'by', 'all', 'any', 'some', 'with', 'into', 'set', 'returning', 'union', 'lateral', 'intersect', 'except',
]);

// Sticky patterns matched at a position (no slicing: statements can be long).
const DOLLAR_TAG = /\$([A-Za-z_]\w*)?\$/y;
const PY_NAMED = /%\(\w+\)[sdfr]/y;
const FORMAT_FIELD = /\{\w*\}/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /[\w$\u0080-\uffff]+/y;
const OPERATOR = /<>|!=|<=|>=|\|\||->>|->|#>>|#>|@>|<@|[^\s\w]/y;

function at(re: RegExp, s: string, i: number): string | undefined {
  re.lastIndex = i;
  return re.exec(s)?.[0];
}

/** Tokens of a statement with constants and placeholders already turned into `?`. */
function tokens(sql: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = sql.length;
  const prev = (): string => out[out.length - 1] ?? '';
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && next === '-') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || ((c === 'E' || c === 'e' || c === 'N' || c === 'n' || c === 'B' || c === 'b' || c === 'X' || c === 'x') && next === "'" && !/\w/.test(sql[i - 1] ?? ''))) {
      // A string constant ('' escapes a quote; E'…' also \'): one placeholder.
      i = sql[i] === "'" ? i + 1 : i + 2;
      const backslash = c !== "'" && (c === 'E' || c === 'e');
      while (i < n) {
        if (backslash && sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
      out.push('?');
    } else if (c === '$' && /[A-Za-z_$]/.test(next ?? '') && at(DOLLAR_TAG, sql, i)) {
      // Dollar quoting $tag$…$tag$ (a constant), unless it is a JS template's ${…}.
      const tag = at(DOLLAR_TAG, sql, i) as string;
      const end = sql.indexOf(tag, i + tag.length);
      i = end < 0 ? n : end + tag.length;
      out.push('?');
    } else if (c === '$' && next === '{') {
      let depth = 0;
      while (i < n) {
        if (sql[i] === '{') depth++;
        else if (sql[i] === '}' && --depth === 0) break;
        i++;
      }
      i++;
      out.push('?');
    } else if (c === '$' && /\d/.test(next ?? '')) {
      i++;
      while (i < n && /\d/.test(sql[i])) i++;
      out.push('?');
    } else if (c === '%' && next === '(') {
      const m = at(PY_NAMED, sql, i);
      if (m) {
        i += m.length;
        out.push('?');
      } else {
        out.push('%');
        i++;
      }
    } else if (c === '%' && next !== undefined && 'sdfr'.includes(next) && !/\w/.test(sql[i + 2] ?? '')) {
      i += 2;
      out.push('?');
    } else if (c === '%' && next === '%') {
      out.push('%');
      i += 2;
    } else if (c === '?') {
      out.push('?');
      i++;
    } else if (c === ':' && next === ':') {
      out.push('::');
      i += 2;
    } else if (c === ':' && /[A-Za-z_]/.test(next ?? '') && prev() !== '::') {
      i++;
      while (i < n && /\w/.test(sql[i])) i++;
      out.push('?');
    } else if (c === '{' && at(FORMAT_FIELD, sql, i)) {
      // Python str.format / f-string fields stand for values too.
      i = sql.indexOf('}', i) + 1;
      out.push('?');
    } else if (c === '"') {
      const end = sql.indexOf('"', i + 1);
      const j = end < 0 ? n : end + 1;
      out.push(sql.slice(i, j));
      i = j;
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(next ?? ''))) {
      i += (at(NUMBER, sql, i) as string).length;
      out.push('?');
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const w = at(WORD, sql, i) as string;
      i += w.length;
      out.push(w.toLowerCase());
    } else {
      const op = at(OPERATOR, sql, i) as string;
      i += op.length;
      out.push(op);
    }
  }
  return out;
}

/** Collapse value lists: `(?, ?, ?)` → `(?)`, and a bare `in ?` (psycopg tuple) → `in (?)`. */
function collapse(ts: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ts.length; i++) {
    // `( ? , ? … )` → `( ? )`: only a parenthesised list of nothing but values.
    if (ts[i] === '(' && ts[i + 1] === '?') {
      let j = i + 2;
      while (ts[j] === ',' && ts[j + 1] === '?') j += 2;
      if (ts[j] === ')' && j > i + 2) {
        out.push('(', '?', ')');
        i = j;
        continue;
      }
    }
    out.push(ts[i]);
  }
  for (let i = 0; i + 1 < out.length; i++) {
    if (out[i] === 'in' && out[i + 1] === '?') out.splice(i + 1, 1, '(', '?', ')');
  }
  while (out[out.length - 1] === ';') out.pop();
  return out;
}

function join(ts: string[]): string {
  let s = '';
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    const p = ts[i - 1];
    const glue =
      i === 0 ||
      t === ')' || t === ',' || t === '.' || t === '::' || t === ';' || t === ']' ||
      p === '(' || p === '.' || p === '::' || p === '[' ||
      (t === '(' && p !== undefined && /^[\w"]/.test(p) && !SPACE_BEFORE_PAREN.has(p)) ||
      (t === '[' && p !== undefined && /^[\w")]/.test(p));
    s += glue ? t : ` ${t}`;
  }
  return s;
}

/** The matching key of a statement, e.g. `select count(*) from videos where owner_id = ?`. */
export function sqlKey(sql: string): string {
  return join(collapse(tokens(sql)));
}

/** Series id of a statement: `sql:<key>`, long keys shortened with a hash of the whole key. */
export function sqlSeriesId(sql: string): string {
  return sqlIdOfKey(sqlKey(sql));
}

export function sqlIdOfKey(key: string): string {
  if (key.length <= MAX_ID_KEY) return `sql:${key}`;
  const hash = createHash('sha1').update(key).digest('hex').slice(0, 10);
  return `sql:${key.slice(0, MAX_ID_KEY - 14).trimEnd()} … #${hash}`;
}

const AGGREGATES = /\b(count|sum|avg|min|max|array_agg|string_agg|json_agg|jsonb_agg|json_object_agg|jsonb_object_agg|bool_and|bool_or|every|stddev|stddev_pop|stddev_samp|variance|var_pop|var_samp|percentile_cont|percentile_disc|mode)\(/;
const DATA = /^(select|with|values|table|insert|update|delete|merge)\b/;

/**
 * What the seed's targets distinguish: aggregations (GROUP BY, aggregate functions: 50 ms) vs
 * plain queries and writes (200 ms); utility statements (BEGIN, SET, COMMIT …) have no target.
 */
export function classifySql(sql: string): SqlKind {
  return classifyKey(sqlKey(sql));
}

/** classifySql for a text already reduced by sqlKey. */
export function classifyKey(key: string): SqlKind {
  if (!DATA.test(key)) return 'utility';
  if (/^(select|with|values|table)\b/.test(key) && (/\bgroup by\b/.test(key) || AGGREGATES.test(key))) return 'aggregation';
  return 'query';
}

/** A string literal (or adjacent, concatenated literals) in source that may hold SQL. */
export interface SqlLiteral {
  /** The literal's content (concatenated parts joined). */
  text: string;
  /** 0-based position of its opening quote. */
  line: number;
  column: number;
}

/** Source language by file name, for comment syntax; undefined means "C-like". */
function languageOf(fileName: string): 'python' | 'sql' | 'c' {
  if (/\.pyi?$/i.test(fileName)) return 'python';
  if (/\.sql$/i.test(fileName)) return 'sql';
  return 'c';
}

const LOOKS_SQL = /^\s*(\(\s*)?(select|with|insert|update|delete|merge)\b/i;

/**
 * String literals of a Python, JS/TS, Go (C-like) file whose text starts like a data statement,
 * with adjacent literals joined (Python implicit concatenation, `+` in JS/Go); for a `.sql` file,
 * each statement. Not a full lexer: a quote inside a regex literal can confuse it, which at worst
 * costs a lens.
 */
export function findSqlLiterals(source: string, fileName: string): SqlLiteral[] {
  const lang = languageOf(fileName);
  if (lang === 'sql') return sqlStatements(source);
  const pieces: { text: string; start: number; end: number }[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    if (lang === 'python' && c === '#') {
      while (i < n && source[i] !== '\n') i++;
    } else if (lang === 'c' && c === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n') i++;
    } else if (lang === 'c' && c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'" || c === '`') {
      const start = i;
      const triple = lang === 'python' && source.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      const raw = lang === 'python' ? /[rR][bBfF]?$|[bBfF][rR]$/.test(source.slice(Math.max(0, i - 2), i)) : c === '`';
      i += close.length;
      let text = '';
      while (i < n && !source.startsWith(close, i)) {
        if (source[i] === '\\' && !raw) {
          const e = source[i + 1];
          text += e === 'n' || e === 't' ? ' ' : (e ?? '');
          i += 2;
          continue;
        }
        if (!triple && c !== '`' && source[i] === '\n') break; // unterminated: stop at the line end
        text += source[i];
        i++;
      }
      i += close.length;
      pieces.push({ text, start, end: i });
    } else {
      i++;
    }
  }
  // Join literals separated only by whitespace, '+' or a line continuation.
  const out: SqlLiteral[] = [];
  for (let k = 0; k < pieces.length; k++) {
    const start = pieces[k].start;
    let text = pieces[k].text;
    let end = pieces[k].end;
    while (k + 1 < pieces.length && /^[\s+\\]*$/.test(source.slice(end, pieces[k + 1].start))) {
      k++;
      text += pieces[k].text;
      end = pieces[k].end;
    }
    if (LOOKS_SQL.test(text)) out.push({ text, ...position(source, start) });
  }
  return out;
}

function position(source: string, offset: number): { line: number; column: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart };
}

function sqlStatements(source: string): SqlLiteral[] {
  const out: SqlLiteral[] = [];
  let start = 0;
  const flush = (end: number): void => {
    const text = source.slice(start, end);
    // The lens goes on the statement's first line, below its leading comments.
    const body = text.replace(/^(\s*--[^\n]*\n)+/, '');
    const lead = body.search(/\S/);
    if (lead >= 0 && LOOKS_SQL.test(body)) out.push({ text, ...position(source, start + text.length - body.length + lead) });
    start = end + 1;
  };
  let quote: string | undefined;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '-' && source[i + 1] === '-') i = Math.max(i, source.indexOf('\n', i) < 0 ? source.length : source.indexOf('\n', i));
    else if (c === ';') flush(i);
  }
  flush(source.length);
  return out;
}

/** A literal whose key is one of the measured statements' keys. */
export interface SqlMatch<T> {
  literal: SqlLiteral;
  key: string;
  items: T[];
}

/** Literals of a file that hold a statement of `index` (keyed by sqlKey). */
export function matchSqlLiterals<T>(literals: readonly SqlLiteral[], index: ReadonlyMap<string, T[]>): SqlMatch<T>[] {
  const out: SqlMatch<T>[] = [];
  for (const literal of literals) {
    const key = sqlKey(literal.text);
    const items = index.get(key);
    if (items?.length) out.push({ literal, key, items });
  }
  return out;
}

/**
 * Index of measured statements by key, from series as stored (`sql:` ids; the statement text in
 * `extra.query`, else the name). Built once per results change; lenses only look keys up.
 */
export function sqlIndex<T>(items: Iterable<T>, seriesOf: (item: T) => { id: string; name?: string; extra?: Record<string, number | string> }): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const item of items) {
    const s = seriesOf(item);
    if (!s.id.startsWith('sql:')) continue;
    const text = typeof s.extra?.query === 'string' ? s.extra.query : s.name;
    if (!text) continue;
    const key = sqlKey(text);
    index.set(key, [...(index.get(key) ?? []), item]);
  }
  return index;
}
