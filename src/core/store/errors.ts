// A located error for a store file that cannot be read as what it claims to be.
export class StoreFormatError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly where?: { line?: number; field?: string },
  ) {
    super(
      `${file}${where?.line !== undefined ? `:${where.line}` : ''}: ${detail}${where?.field ? ` (field ${where.field})` : ''}`,
    );
    this.name = 'StoreFormatError';
  }
}

/**
 * JSON.parse with an error naming the file and line. V8 gives a position for some errors
 * and none for others ("Unexpected token 'o', … is not valid JSON"), so the position is
 * found by bisecting prefixes: a prefix before the fault fails only as "input ends here".
 */
export function parseJsonLocated(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const offset = errorOffset(text, msg);
    const line = text.slice(0, offset).split('\n').length;
    const detail = msg
      .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/ at position \d+.*$/s, '')
      .replace(/\n/g, '\\n');
    throw new StoreFormatError(file, `not valid JSON: ${detail}`, { line });
  }
}

/** Failure of JSON.parse(prefix) that a longer prefix could still cure (the input just ends too soon). */
function failsOnlyAtEnd(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (e) {
    const msg = (e as Error).message;
    if (/Unexpected end of JSON input/.test(msg)) return true;
    const pos = /position (\d+)/.exec(msg);
    return pos !== null && Number(pos[1]) >= prefix.length;
  }
}

function errorOffset(text: string, msg: string): number {
  const pos = /position (\d+)/.exec(msg);
  if (pos) return Number(pos[1]);
  if (/Unexpected end of JSON input/.test(msg)) return text.length;
  // Smallest prefix length k that fails for a real reason; the fault is at k - 1.
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsOnlyAtEnd(text.slice(0, mid))) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo - 1);
}
