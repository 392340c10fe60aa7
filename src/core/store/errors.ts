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

/** JSON.parse with an error naming the file and line instead of a bare "position 1234". */
export function parseJsonLocated(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new StoreFormatError(file, `not valid JSON: ${msg.replace(/\s*in JSON at position \d+.*$/, '')}`, { line });
  }
}
