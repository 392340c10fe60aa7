// Located tests, benchmarks and handlers per open document, cached by document version so
// a lens request after the first is a map lookup. Pure Node; the feature feeds it text.
import { locateSource } from '../core/locate/locate';
import { languageForPath, type Finding } from '../core/locate/types';

interface Entry {
  version: number;
  findings: Promise<Finding[]>;
  /** The last completed result, served while a newer version is being located (no jumping). */
  settled?: Finding[];
}

export class SourceIndex {
  private readonly entries = new Map<string, Entry>();

  static supports(relPath: string): boolean {
    return languageForPath(relPath) !== undefined;
  }

  /** Findings of `key` at `version`; located once per version. */
  findings(key: string, version: number, relPath: string, text: () => string): Promise<Finding[]> {
    const known = this.entries.get(key);
    if (known && known.version === version) return known.findings;
    const entry: Entry = { version, findings: locateSource(text(), relPath), settled: known?.settled };
    entry.findings.then(
      f => (entry.settled = f),
      () => undefined,
    );
    this.entries.set(key, entry);
    return entry.findings;
  }

  /** What is known without waiting: the last located findings of any version. */
  settled(key: string): Finding[] | undefined {
    return this.entries.get(key)?.settled;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
