// V8 heap of the Node processes we launch, over the inspector protocol: the command runs with
// NODE_OPTIONS=--inspect=127.0.0.1:0 (every node in the tree, even behind `sh -c` or npm, opens
// an inspector on a free loopback port and prints its ws:// URL on stderr); we connect with
// undici's WebSocket and ask each for Runtime.getHeapUsage at every sample. Heap used is the
// live JS data, a steadier leak signal than RSS, which V8 and malloc keep high after a GC.
import { WebSocket } from 'undici';

/** `Debugger listening on ws://127.0.0.1:PORT/UUID`, printed by each inspector on start. */
const LISTENING = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/g;
/** Node's start-up banners for the inspector: not the service's output. */
const BANNER = /^(Debugger (listening|ending) on ws:\/\/\S+|For help, see: https:\/\/nodejs\.org\/\S+|Debugger attached\.|Waiting for the debugger to disconnect\.\.\.)\r?$/;

export const INSPECT_OPTION = '--inspect=127.0.0.1:0';

/** The environment a launched command gets so that its node processes open an inspector. */
export function inspectEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const prev = env.NODE_OPTIONS?.trim();
  return { ...env, NODE_OPTIONS: prev ? `${prev} ${INSPECT_OPTION}` : INSPECT_OPTION };
}

interface Session {
  url: string;
  ws: WebSocket;
  open: Promise<boolean>;
  pending: Map<number, (used: number | undefined) => void>;
}

export class HeapPoller {
  private readonly sessions: Session[] = [];
  private nextId = 1;
  private buffered = '';
  private closed = false;

  /**
   * Feed the launched command's stderr through here: inspector URLs are picked up, and the rest
   * is returned for passing on (Node's inspector banners are dropped).
   */
  scan(chunk: string): string {
    const text = this.buffered + chunk;
    const cut = text.lastIndexOf('\n') + 1;
    this.buffered = text.slice(cut);
    const complete = text.slice(0, cut);
    for (const m of complete.matchAll(LISTENING)) this.connect(m[1]);
    return complete.split('\n').filter(l => !BANNER.test(l)).join('\n');
  }

  /** Inspectors found so far (one per Node process of the tree). */
  get targets(): number {
    return this.sessions.length;
  }

  /**
   * Heap used summed over every Node process still answering, in bytes; undefined when none does
   * within `timeoutMs` (no Node process yet, or all gone).
   */
  async usage(timeoutMs: number): Promise<number | undefined> {
    const live = this.sessions.filter(s => s.ws.readyState <= WebSocket.OPEN);
    const answers = await Promise.all(live.map(s => this.ask(s, timeoutMs)));
    const got = answers.filter((v): v is number => v !== undefined);
    return got.length ? got.reduce((a, b) => a + b, 0) : undefined;
  }

  close(): void {
    this.closed = true;
    for (const s of this.sessions) {
      for (const done of s.pending.values()) done(undefined);
      s.pending.clear();
      try {
        s.ws.close();
      } catch {
        /* already closed */
      }
    }
  }

  private connect(url: string): void {
    if (this.closed || this.sessions.some(s => s.url === url)) return;
    const ws = new WebSocket(url);
    const pending = new Map<number, (used: number | undefined) => void>();
    const open = new Promise<boolean>(resolve => {
      ws.addEventListener('open', () => resolve(true), { once: true });
      ws.addEventListener('error', () => resolve(false), { once: true });
    });
    ws.addEventListener('message', ev => {
      let msg: { id?: number; result?: { usedSize?: number } };
      try {
        msg = JSON.parse(String(ev.data)) as typeof msg;
      } catch {
        return;
      }
      const done = msg.id !== undefined ? pending.get(msg.id) : undefined;
      if (!done) return;
      pending.delete(msg.id!);
      done(typeof msg.result?.usedSize === 'number' ? msg.result.usedSize : undefined);
    });
    ws.addEventListener('close', () => {
      for (const done of pending.values()) done(undefined);
      pending.clear();
    });
    this.sessions.push({ url, ws, open, pending });
  }

  private async ask(s: Session, timeoutMs: number): Promise<number | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>(resolve => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    try {
      const opened = await Promise.race([s.open, timeout.then(() => false)]);
      if (!opened || s.ws.readyState !== WebSocket.OPEN) return undefined;
      const id = this.nextId++;
      const answer = new Promise<number | undefined>(resolve => s.pending.set(id, resolve));
      s.ws.send(JSON.stringify({ id, method: 'Runtime.getHeapUsage' }));
      const used = await Promise.race([answer, timeout]);
      s.pending.delete(id);
      return used;
    } finally {
      clearTimeout(timer);
    }
  }
}
