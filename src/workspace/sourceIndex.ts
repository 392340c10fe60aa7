// Located tests, benchmarks and handlers per open document, cached by document version so
// a lens request after the first is a map lookup. Edits are applied incrementally (tree-sitter
// edit + re-parse of the changed statements) in the order they happen. Pure Node; the
// feature feeds it text and VS Code's content changes.
import { LocateIndex, type ContentChange } from '../core/locate/index';
import { languageForPath, type Finding } from '../core/locate/types';

export class SourceIndex {
  private readonly index = new LocateIndex();
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
    const known = this.index.get(key, version);
    if (known) return Promise.resolve(known);
    return this.chain(key, async () => this.index.get(key, version) ?? this.index.index(key, version, text(), relPath));
  }

  /** An edit happened: re-index incrementally from the previous version's tree. */
  edit(key: string, version: number, relPath: string, text: string, changes: readonly ContentChange[]): Promise<Finding[]> {
    return this.chain(key, () => this.index.update(key, version, text, changes, relPath));
  }

  /** What is known without waiting: the last located findings of any version. */
  settled(key: string): Finding[] | undefined {
    return this.settledFindings.get(key);
  }

  forget(key: string): void {
    this.index.forget(key);
    this.chains.delete(key);
    this.settledFindings.delete(key);
  }

  dispose(): void {
    this.index.dispose();
  }
}
