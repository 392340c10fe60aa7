// A LocateIndex that lives in a worker thread: big documents are parsed there, so opening a
// 20,000-line file (a 200-560 ms first parse) or re-parsing it never blocks the calling
// thread (the extension host). Same calls as LocateIndex; the worker keeps the trees and
// re-parses incrementally, this side keeps the last findings per document for warm look-ups.
// The worker is the same compiled file as the workspace scan's (scanWorker.js, one webpack
// entry); without it the index runs in this thread.
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { ContentChange, LocateIndex } from './index';
import type { Finding } from './types';

export type IndexRequest =
  | { id: number; type: 'index'; uri: string; version: number; text: string; relPath: string }
  | { id: number; type: 'update'; uri: string; version: number; text: string; changes: readonly ContentChange[]; relPath: string }
  | { id: number; type: 'forget'; uri: string };

export type IndexReply = { id: number; findings: Finding[] } | { id: number; error: string };

/** Worker side: one LocateIndex, requests handled one at a time, in order. */
export function serveIndex(port: { on(e: 'message', f: (m: IndexRequest) => void): void; postMessage(m: IndexReply): void }): void {
  const index = new LocateIndex();
  let queue: Promise<void> = Promise.resolve();
  port.on('message', m => {
    queue = queue.then(async () => {
      try {
        const findings =
          m.type === 'index'
            ? await index.index(m.uri, m.version, m.text, m.relPath)
            : m.type === 'update'
              ? await index.update(m.uri, m.version, m.text, m.changes, m.relPath)
              : (index.forget(m.uri), []);
        port.postMessage({ id: m.id, findings });
      } catch (e) {
        port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
      }
    });
  });
}

/** Omit over each member of a union (plain Omit merges them). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

type Pending = { resolve: (f: Finding[]) => void; reject: (e: Error) => void };

export class RemoteLocateIndex {
  private worker?: Worker;
  private local?: LocateIndex; // when there is no worker file, or the worker died
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly known = new Map<string, { version: number; findings: Finding[] }>();

  constructor(private readonly workerFile = path.join(__dirname, 'scanWorker.js')) {}

  index(uri: string, version: number, text: string, relPath: string): Promise<Finding[]> {
    const cached = this.get(uri, version);
    if (cached) return Promise.resolve(cached);
    return this.send(uri, version, { type: 'index', uri, version, text, relPath }, l => l.index(uri, version, text, relPath));
  }

  update(uri: string, version: number, text: string, changes: readonly ContentChange[], relPath: string): Promise<Finding[]> {
    return this.send(uri, version, { type: 'update', uri, version, text, changes, relPath }, l => l.update(uri, version, text, changes, relPath));
  }

  get(uri: string, version?: number): Finding[] | undefined {
    const k = this.known.get(uri);
    return k && (version === undefined || k.version === version) ? k.findings : undefined;
  }

  forget(uri: string): void {
    this.known.delete(uri);
    if (this.local) this.local.forget(uri);
    else if (this.worker) this.worker.postMessage({ id: this.nextId++, type: 'forget', uri } satisfies IndexRequest);
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    this.local?.dispose();
    this.fail(new Error('locate index disposed'));
  }

  private async send(uri: string, version: number, request: WithoutId<IndexRequest>, inThread: (l: LocateIndex) => Promise<Finding[]>): Promise<Finding[]> {
    const worker = this.local ? undefined : this.start();
    const findings = worker
      ? await new Promise<Finding[]>((resolve, reject) => {
          const id = this.nextId++;
          this.pending.set(id, { resolve, reject });
          worker.postMessage({ ...request, id } as IndexRequest);
        })
      : await inThread((this.local ??= new LocateIndex()));
    const k = this.known.get(uri);
    if (!k || k.version <= version) this.known.set(uri, { version, findings });
    return findings;
  }

  private start(): Worker | undefined {
    if (this.worker) return this.worker;
    if (!fs.existsSync(this.workerFile)) return undefined;
    const worker = new Worker(this.workerFile, { workerData: { mode: 'index' } });
    worker.unref(); // never keeps a CLI or test process alive
    worker.on('message', (m: IndexReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve(m.findings);
    });
    const died = (e: Error) => {
      // Its trees are gone: later requests parse in this thread from scratch.
      this.worker = undefined;
      this.local ??= new LocateIndex();
      this.fail(e);
    };
    worker.on('error', died);
    worker.on('exit', code => code !== 0 && died(new Error(`locate worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private fail(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
