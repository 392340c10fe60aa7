// Located tests, benchmarks and handlers per open document, cached by document version so
// a lens request after the first is a map lookup. Edits are applied incrementally (tree-sitter
// edit + re-parse of the changed statements) in the order they happen. Pure Node; the
// feature feeds it text and VS Code's content changes.
import { LocateIndex, type ContentChange } from '../core/locate/index';
import { RemoteLocateIndex } from '../core/locate/remoteIndex';
import { languageForPath, type Finding } from '../core/locate/types';

/**
 * Documents at least this long (UTF-16 units, ~3,000 lines) are parsed in a worker thread:
 * their first parse (~40 ms here, 200-560 ms at 20,000 lines) would stall the extension host.
 * Smaller ones stay here, where a lens request costs no message round trip.
 */
export const WORKER_CHARS = 100_000;

type Engine = Pick<LocateIndex, 'index' | 'update' | 'get' | 'forget' | 'dispose'>;

export class SourceIndex {
  private readonly near = new LocateIndex();
  private readonly far: Engine = new RemoteLocateIndex();
  /** Where each document was first indexed; its edits go to the same place (that holds its tree). */
  private readonly engines = new Map<string, Engine>();

  constructor(private readonly workerChars = WORKER_CHARS) {}

  private engine(key: string, length: () => number): Engine {
    let e = this.engines.get(key);
    if (!e) {
      e = length() >= this.workerChars ? this.far : this.near;
      this.engines.set(key, e);
    }
    return e;
  }
  /** Per document, the chain of pending work, so versions are indexed in order. */
  private readonly chains = new Map<string, Promise<Finding[]>>();
  private readonly settledFindings = new Map<string, Finding[]>();

  static supports(relPath: string): boolean {
    return languageForPath(relPath) !== undefined;
  }

  private chain(key: string, work: () => Promise<Finding[]>): Promise<Finding[]> {
    const next = (this.chains.get(key) ?? Promise.resolve([])).catch(() => []).then(work);
    this.chains.set(key, next);
    next.then(f => this.settledFindings.set(key, f), () => undefined);
    return next;
  }

  /** Findings of `key` at `version`; located once per version (fully if never seen). */
  findings(key: string, version: number, relPath: string, text: () => string): Promise<Finding[]> {
    const known = this.engines.get(key)?.get(key, version);
    if (known) return Promise.resolve(known);
    return this.chain(key, async () => {
      const t = text();
      const e = this.engine(key, () => t.length);
      return e.get(key, version) ?? e.index(key, version, t, relPath);
    });
  }

  /** An edit happened: re-index incrementally from the previous version's tree. */
  edit(key: string, version: number, relPath: string, text: string, changes: readonly ContentChange[]): Promise<Finding[]> {
    return this.chain(key, () => this.engine(key, () => text.length).update(key, version, text, changes, relPath));
  }

  /** What is known without waiting: the last located findings of any version. */
  settled(key: string): Finding[] | undefined {
    return this.settledFindings.get(key);
  }

  forget(key: string): void {
    this.engines.get(key)?.forget(key);
    this.engines.delete(key);
    this.chains.delete(key);
    this.settledFindings.delete(key);
  }

  dispose(): void {
    this.near.dispose();
    this.far.dispose();
  }
}
