// Small helpers over tree-sitter nodes shared by the per-language locators.
import type { Node } from 'web-tree-sitter';
import type { Range } from './types';

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'] as const;
export const isHttpMethod = (s: string): boolean => (HTTP_METHODS as readonly string[]).includes(s.toLowerCase());

export function rangeOf(node: Node): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/** Non-null named children (the binding types them as nullable). */
export function named(node: Node | null | undefined): Node[] {
  return node ? node.namedChildren.filter((n): n is Node => n !== null) : [];
}

export function children(node: Node | null | undefined): Node[] {
  return node ? node.children.filter((n): n is Node => n !== null) : [];
}

/**
 * The value of a string literal in Python, JS/TS or Go, or undefined when the node is
 * not one. Interpolations are kept as `{expr}` (Python f-strings, JS template literals)
 * so that a dynamic URL reads like a route template: f"/api/p/{pid}" → "/api/p/{pid}".
 */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'string': {
      // Python: string_start + string_content/interpolation… + string_end. JS: quotes + string_fragment.
      const parts = children(node);
      if (parts.length && parts[0].type === 'string_start') {
        return parts
          .slice(1, -1)
          .map(p => (p.type === 'interpolation' ? `{${named(p)[0]?.text ?? ''}}` : p.text))
          .join('');
      }
      return node.text.slice(1, -1);
    }
    case 'concatenated_string': {
      const parts = named(node).map(stringValue);
      return parts.every(p => p !== undefined) ? parts.join('') : undefined;
    }
    case 'template_string':
      return children(node)
        .slice(1, -1)
        .map(p => (p.type === 'template_substitution' ? substitution(named(p)[0]) : p.text))
        .join('');
    case 'interpreted_string_literal':
    case 'raw_string_literal':
      return node.text.slice(1, -1);
    default:
      return undefined;
  }
}

/** Join URL prefix pieces with exactly one slash between them; keeps "/" for the root. */
export function joinRoute(...parts: (string | undefined)[]): string {
  const segs = parts
    .filter((p): p is string => !!p)
    .flatMap(p => p.split('/'))
    .filter(s => s !== '');
  const last = parts.filter(p => !!p).pop() ?? '';
  const trailing = last.length > 1 && last.endsWith('/') ? '/' : '';
  return '/' + segs.join('/') + (segs.length ? trailing : '');
}

/** `${'literal'}` evaluates to its text (as the test runner would print it); anything else stays `{expr}`. */
function substitution(expr: Node | undefined): string {
  const literal = expr?.type === 'string' ? stringValue(expr) : undefined;
  return literal ?? `{${expr?.text ?? ''}}`;
}
