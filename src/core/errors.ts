// One shape for errors about a file the user gave us: "<file>[:<line>]: <detail> [(field <path>)]",
// whether it is a tool's result (IngestError) or one of our stores (StoreFormatError).
export class LocatedError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly where?: { line?: number; field?: string },
  ) {
    super(`${file}${where?.line !== undefined ? `:${where.line}` : ''}: ${detail}${where?.field ? ` (field ${where.field})` : ''}`);
    this.name = 'LocatedError';
  }
}
