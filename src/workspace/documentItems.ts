// Lens items of a document, cached per (document version, store state): lenses, hovers and
// diagnostics of one file share one mapping, and a repeated request is a map lookup.
import type { ContentChange } from '../core/locate/index';
import type { LensItem } from './lensModel';
import { lensItems } from './lensModel';
import type { ResultsStore } from './resultsStore';
import { SourceIndex } from './sourceIndex';

export interface DocumentRef {
  key: string;
  version: number;
  relPath: string;
  text: () => string;
}

export class DocumentItems {
  private readonly index = new SourceIndex();
  private readonly cache = new Map<string, { version: number; generation: number; items: LensItem[] }>();
  private generation = 0;

  /** Call when any store changed: mappings are recomputed on next request. */
  invalidate(): void {
    this.generation++;
  }

  supports(relPath: string): boolean {
    return SourceIndex.supports(relPath);
  }

  async items(doc: DocumentRef, store: ResultsStore | undefined): Promise<LensItem[]> {
    const cached = this.cache.get(doc.key);
    if (cached && cached.version === doc.version && cached.generation === this.generation) return cached.items;
    const generation = this.generation;
    const findings = await this.index.findings(doc.key, doc.version, doc.relPath, doc.text);
    const items = lensItems(findings, store?.all() ?? []);
    this.cache.set(doc.key, { version: doc.version, generation, items });
    return items;
  }

  /** Apply an edit as it happens, so the next request finds the new version indexed. */
  edit(doc: DocumentRef, changes: readonly ContentChange[]): void {
    if (!this.supports(doc.relPath)) return;
    void this.index.edit(doc.key, doc.version, doc.relPath, doc.text(), changes).catch(() => undefined);
  }

  /** Items already computed for the document, any version (served while a newer one is located). */
  settled(key: string): LensItem[] | undefined {
    return this.cache.get(key)?.items;
  }

  forget(key: string): void {
    this.cache.delete(key);
    this.index.forget(key);
  }

  dispose(): void {
    this.index.dispose();
  }
}
