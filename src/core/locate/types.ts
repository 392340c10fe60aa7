// Plain records the locators return. Positions are 0-based (line, character) like
// VS Code's, so a feature can turn them into a Range without arithmetic.

export type LanguageId = 'python' | 'javascript' | 'typescript' | 'tsx' | 'go';

export type FindingKind = 'test' | 'benchmark' | 'endpoint' | 'load-task';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A request a load-test task makes, as the load tool will name it in its stats. */
export interface TaskRequest {
  method: string; // upper-case
  /** The stats name: Locust `name=` when given, else the path string. */
  name: string;
  line: number;
}

export interface Finding {
  kind: FindingKind;
  /**
   * Stable id matching what the tools report: pytest/pytest-benchmark `fullname`
   * (`tests/test_x.py::TestA::test_b`), mocha fullTitle (`suite case`), Go `BenchmarkX`,
   * endpoints `GET /api/items/{id}`, Locust tasks `locustfile.py::User::task`.
   */
  id: string;
  name: string;
  language: LanguageId;
  /** Range of the name (the lens anchor). */
  nameRange: Range;
  /** Range of the whole definition (decorators included). */
  range: Range;
  /** Endpoints: upper-case HTTP method, or `*` for "any method". */
  method?: string;
  /** Endpoints: the full route template with prefixes applied, as written in the framework's syntax. */
  route?: string;
  /**
   * Endpoints declared on a module-level router object (Python): its name in this file and the
   * path as written, so a workspace pass (crossFile.ts) can add prefixes given in other files.
   */
  router?: {
    object: string;
    path: string;
    /** The route with this file's own prefixes only. */
    fileRoute: string;
    /** The object's own prefix as this text declares it (Python), newer than a workspace scan while the file is edited. */
    prefix?: string;
  };
  /** Load tasks: the requests the task makes. */
  requests?: TaskRequest[];
}

const byExtension: Record<string, LanguageId> = {
  '.py': 'python',
  '.js': 'javascript',
  '.cjs': 'javascript',
  '.mjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.cts': 'typescript',
  '.mts': 'typescript',
  '.tsx': 'tsx',
  '.go': 'go',
};

/** Language of a file by its name, or undefined when we do not locate in it. */
export function languageForPath(file: string): LanguageId | undefined {
  if (file.endsWith('.d.ts')) return undefined;
  const dot = file.lastIndexOf('.');
  return dot < 0 ? undefined : byExtension[file.slice(dot).toLowerCase()];
}
