// Lens items of a document, cached per (document version, store state): lenses, hovers and
// diagnostics of one file share one mapping, and a repeated request is a map lookup.
import type { ProjectConfig } from '../core/config/projectConfig';
import type { CrossFileRoutes } from '../core/locate/crossFile';
import type { ContentChange } from '../core/locate/index';
import { byPosition } from '../core/locate/locate';
import { locateSymbols } from '../core/locate/symbols';
import type { Finding } from '../core/locate/types';
import { mappedTarget } from '../core/match/benchmark';
import type { LensItem } from './lensModel';
import { lensItems } from './lensModel';
import type { ResultsStore, SeriesState } from './resultsStore';
import { SourceIndex } from './sourceIndex';

export interface DocumentRef {
  key: string;
  version: number;
  relPath: string;
  text: () => string;
}

export class DocumentItems {
  private readonly index = new SourceIndex();
  private readonly cache = new Map<string, { version: number; generation: number; routes?: CrossFileRoutes; items: LensItem[] }>();
  private generation = 0;
  private crossFile: (doc: DocumentRef) => CrossFileRoutes | undefined = () => undefined;

  /**
   * Where router prefixes set in other files come from (the document's WorkspaceIndex):
   * endpoints then show `/api/videos/{id}`, not just this file's `/videos/{id}`. A new
   * CrossFileRoutes object (a mount changed) makes cached items stale.
   */
  useCrossFileRoutes(get: (doc: DocumentRef) => CrossFileRoutes | undefined): void {
    this.crossFile = get;
    this.invalidate();
  }

  /** Call when any store changed: mappings are recomputed on next request. */
  invalidate(): void {
    this.generation++;
  }

  supports(relPath: string): boolean {
    return SourceIndex.supports(relPath);
  }

  async items(doc: DocumentRef, store: ResultsStore | undefined): Promise<LensItem[]> {
    const cached = this.cache.get(doc.key);
    const routes = this.crossFile(doc);
    if (cached && cached.version === doc.version && cached.generation === this.generation && cached.routes === routes) return cached.items;
    const generation = this.generation;
    const inFile = await this.index.findings(doc.key, doc.version, doc.relPath, doc.text);
    const located = routes ? routes.apply(doc.relPath, inFile) : inFile;
    const states = store?.all() ?? [];
    const mapped = await mappedFindings(doc.relPath, doc.text, states, store?.config);
    const findings = mapped.length ? [...located, ...mapped].sort(byPosition) : located;
    const items = lensItems(findings, states);
    this.cache.set(doc.key, { version: doc.version, generation, routes, items });
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

/**
 * Definitions in `relPath` that results point at through their suite (the `map` field, or a
 * hyperfine command running this script): findings the locators cannot recognise by themselves.
 */
export async function mappedFindings(relPath: string, text: () => string, states: readonly SeriesState[], config: ProjectConfig | undefined): Promise<Finding[]> {
  const suites = (config?.suites ?? []).filter(s => s.kind === 'regression');
  const wanted = new Map<string, string | undefined>();
  for (const s of states) {
    if (s.series.endpoint || wanted.has(s.id)) continue;
    // The run's own suite; an imported run (no suite) by any suite that maps the id.
    const suite = s.run.suite ? suites.find(x => x.name === s.run.suite) : suites.find(x => x.map?.[s.id] !== undefined);
    const target = mappedTarget(s.id, s.run.tool, suite);
    if (target?.file === relPath) wanted.set(s.id, target.symbol);
  }
  if (!wanted.size) return [];
  return locateSymbols(text(), relPath, [...wanted].map(([id, symbol]) => ({ id, symbol })));
}
