// The `database` field of a suite in perf-lens.config.json, and the seed's query targets as
// budgets: `"database": { "psql": "psql -h 127.0.0.1 -U app appdb", "reset": false,
// "budgets": true }` snapshots pg_stat_statements around the suite and, with budgets on, checks
// every statement's mean: aggregations ≤ 50 ms, other queries and writes ≤ 200 ms.
import type { Budget } from '../budget';
import type { JsonNode } from '../ingest/json';
import type { PsqlTarget } from './pgSnapshot';

/** The seed's DATABASE_PERFORMANCE_TARGETS: aggregation_query 50 ms, query_time 200 ms (seconds). */
export const DEFAULT_SQL_BUDGETS = { query: 0.2, aggregation: 0.05 } as const;

export interface DatabaseConfig extends PsqlTarget {
  reset: boolean;
  /** Mean-time budgets per statement kind (seconds); absent when the suite does not enable them. */
  budgets?: { query: number; aggregation: number };
}

/** Validate `suites.<name>.database`; errors name the field. Undefined when absent. */
export function parseDatabaseConfig(node: JsonNode): DatabaseConfig | undefined {
  if (node.missing) return undefined;
  const known = ['psql', 'reset', 'budgets'];
  for (const k of Object.keys(node.object())) if (!known.includes(k)) node.get(k).fail(`unknown setting (known: ${known.join(', ')})`);
  const psql = node.get('psql').string();
  if (!psql.trim()) node.get('psql').fail('must be a psql command line, e.g. "psql -h 127.0.0.1 -U app appdb"');
  const b = node.get('budgets');
  let budgets: DatabaseConfig['budgets'];
  if (b.value === true) budgets = { ...DEFAULT_SQL_BUDGETS };
  else if (b.value !== undefined && b.value !== false) {
    for (const k of Object.keys(b.object())) if (k !== 'query' && k !== 'aggregation') b.get(k).fail('unknown budget (use query, aggregation)');
    const limit = (key: 'query' | 'aggregation'): number => {
      const v = b.get(key).optNumber();
      if (v !== undefined && !(v > 0)) b.get(key).fail(`expected seconds > 0, got ${v}`);
      return v ?? DEFAULT_SQL_BUDGETS[key];
    };
    budgets = { query: limit('query'), aggregation: limit('aggregation') };
  }
  return { psql, reset: node.get('reset').optBoolean() ?? false, budgets };
}

/**
 * Budgets implied by suites that enable them: one per statement kind on `sql:**`, matched by the
 * series group the parser sets (aggregation / query). The strictest suite wins when several differ.
 */
export function databaseBudgets(suites: readonly { database?: DatabaseConfig }[]): Budget[] {
  const enabled = suites.flatMap(s => (s.database?.budgets ? [s.database.budgets] : []));
  if (!enabled.length) return [];
  return [
    { match: 'sql:**', group: 'aggregation', mean: Math.min(...enabled.map(b => b.aggregation)) },
    { match: 'sql:**', group: 'query', mean: Math.min(...enabled.map(b => b.query)) },
  ];
}
