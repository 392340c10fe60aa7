// Shared by the locate/match unit tests: read fixture projects under test/workspaces/.
import * as fs from 'fs';
import * as path from 'path';
import { locateSource } from '../../../src/core/locate/locate';
import type { Finding } from '../../../src/core/locate/types';
import { repoRoot } from '../helpers';

export function workspace(...parts: string[]): string {
  return path.join(repoRoot, 'test', 'workspaces', ...parts);
}

/** Findings of one fixture file, ids relative to the project folder `project`. */
export async function locateFixture(project: string, rel: string): Promise<Finding[]> {
  return locateSource(fs.readFileSync(workspace(project, rel), 'utf8'), rel);
}

/** One line per finding: kind, 0-based line of the name, 0-based first line of the definition, id. */
export function summary(findings: Finding[]): string[] {
  return findings.map(f => `${f.kind} ${f.nameRange.start.line}/${f.range.start.line} ${f.id}`);
}

export function toolIds(file: string): string[] {
  return fs.readFileSync(workspace('tool-ids', file), 'utf8').split('\n').filter(Boolean);
}

/** Write `text` to `rel` under `root`, creating folders (scratch workspaces in tests). */
export function writeFile(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}
