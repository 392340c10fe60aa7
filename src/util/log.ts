// The logging surface every floor may use; the extension backs it with a
// LogOutputChannel, the CLI with stderr, tests with an array.
export interface Log {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
  show?(preserveFocus?: boolean): void;
}
