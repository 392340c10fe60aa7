// Reads the real exposition fixtures (test/fixtures/metrics/generate.sh).
import * as fs from 'fs';
import { parseExposition, type Exposition } from '../../../src/core/metrics/parse';
import { fixture } from '../helpers';

export type Client = 'node' | 'python';
export const CLIENTS: Client[] = ['node', 'python'];

export function readText(client: Client, name: string): string {
  return fs.readFileSync(fixture('metrics', client, name), 'utf8');
}

export function expo(client: Client, name: string): Exposition {
  return parseExposition(readText(client, name), fixture('metrics', client, name));
}

/** Sum of a sample's values over label sets matching `where`, straight from the text (a cross-check). */
export function sumOf(e: Exposition, name: string, where: (labels: Record<string, string>) => boolean = () => true): number {
  return e.samples.filter(s => s.name === name && where(s.labels)).reduce((a, s) => a + s.value, 0);
}
