// Worker-thread entry for the workspace scan, and the function that runs it there; the same
// file serves RemoteLocateIndex (remoteIndex.ts) when started with workerData { mode: 'index' }.
// The worker posts { type: 'progress' } messages and one { type: 'done' } with the result
// (Maps survive structured cloning). When the compiled worker file is not next to this one
// (e.g. a webpack bundle without a `scanWorker` entry) the scan runs in the calling thread.
import * as fs from 'fs';
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { IndexRequest, serveIndex } from './remoteIndex';
import { scanWorkspace, ScanOptions, ScanProgress, ScanResult } from './scan';

type WorkerMessage = { type: 'progress'; progress: ScanProgress } | { type: 'done'; result: ScanResult } | { type: 'error'; message: string };

interface WorkerInput {
  root: string;
  maxFiles?: number;
  maxFileBytes?: number;
}

export async function scanInWorker(root: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const file = path.join(__dirname, 'scanWorker.js');
  if (!fs.existsSync(file)) return scanWorkspace(root, opts);
  const input: WorkerInput = { root, maxFiles: opts.maxFiles, maxFileBytes: opts.maxFileBytes };
  const worker = new Worker(file, { workerData: input });
  return new Promise<ScanResult>((resolve, reject) => {
    // The worker cannot call `cancelled`; poll it here and stop the thread (nothing to clean up).
    const poll = opts.cancelled
      ? setInterval(() => {
          if (!opts.cancelled?.()) return;
          void worker.terminate();
          resolve({ files: new Map(), filesLocated: 0, skipped: { tooLarge: 0, overLimit: 0, ignored: 0, unreadable: 0 }, truncated: true });
        }, 50)
      : undefined;
    worker.on('exit', () => clearInterval(poll));
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') opts.onProgress?.(m.progress);
      else if (m.type === 'done') resolve(m.result);
      else reject(new Error(`workspace scan of ${root} failed: ${m.message}`));
      if (m.type !== 'progress') void worker.terminate();
    });
    worker.on('error', reject);
    worker.on('exit', code => {
      if (code !== 0) reject(new Error(`workspace scan worker exited with code ${code}`));
    });
  });
}

if (!isMainThread && parentPort && (workerData as WorkerInput | undefined)?.root) {
  const port = parentPort;
  const input = workerData as WorkerInput;
  scanWorkspace(input.root, {
    maxFiles: input.maxFiles,
    maxFileBytes: input.maxFileBytes,
    onProgress: progress => port.postMessage({ type: 'progress', progress } satisfies WorkerMessage),
  }).then(
    result => port.postMessage({ type: 'done', result } satisfies WorkerMessage),
    (e: unknown) => port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies WorkerMessage),
  );
}

if (!isMainThread && parentPort && (workerData as { mode?: string } | undefined)?.mode === 'index') {
  const port = parentPort;
  serveIndex({ on: (_e, f) => port.on('message', (m: IndexRequest) => f(m)), postMessage: m => port.postMessage(m) });
}
