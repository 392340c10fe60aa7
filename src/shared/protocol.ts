// The typed message protocol between the extension and the Perf Lens panel.
// Compiled into both bundles. Discriminated unions each way; the webview says
// `ready` before the host posts anything, and requests carry a sequence number
// that the reply echoes.

/** What the panel is looking at; also what the serializer restores after a reload. */
export interface PanelFocus {
  /** Workspace-relative file the user came from (a lens), if any. */
  file?: string;
  /** Zero-based line of that lens. */
  line?: number;
  /** Label of the item (test, benchmark or handler id). */
  label?: string;
}

export interface PanelState {
  focus?: PanelFocus;
}

export interface PanelContent {
  focus?: PanelFocus;
  /** Workspace folder names the panel summarises. */
  workspaces: string[];
  /** Number of stored runs known for the workspace. */
  runCount: number;
  /** A short sentence for the header, e.g. "No runs yet — run a suite to see charts". */
  headline: string;
}

export type HostMessage =
  | { type: 'show'; content: PanelContent }
  | { type: 'reply'; requestSeq: number; ok: true; result: ReplyResult }
  | { type: 'reply'; requestSeq: number; ok: false; error: string };

export type ReplyResult = { kind: 'openedFile' } | { kind: 'ranCommand' };

export type WebviewRequest =
  | { kind: 'openFile'; file: string; line?: number }
  | { kind: 'runCommand'; command: 'perfLens.showLog' | 'perfLens.openConfig' };

export type WebviewMessage =
  | { type: 'ready'; state?: PanelState }
  | { type: 'request'; seq: number; request: WebviewRequest };

const hostTypes = new Set(['show', 'reply']);
const webviewTypes = new Set(['ready', 'request']);

function hasType(value: unknown, allowed: Set<string>): value is { type: string } {
  return typeof value === 'object' && value !== null && allowed.has(String((value as { type?: unknown }).type));
}

/** Narrow an untrusted message coming from the webview. */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
  return hasType(value, webviewTypes);
}

/** Narrow an untrusted message coming from the host. */
export function isHostMessage(value: unknown): value is HostMessage {
  return hasType(value, hostTypes);
}
