// Every known parser, in detection order (most specific first).
import { autocannonParser } from './autocannon';
import { goBenchTextParser, goTestJsonParser } from './goBench';
import { googleBenchmarkParser } from './googleBenchmark';
import { hyperfineParser } from './hyperfine';
import { k6Parser } from './k6';
import { lighthouseManifestParser, lighthouseParser } from './lighthouse';
import { locustParser } from './locust';
import { mochaJsonParser } from './mochaJson';
import { perfLensParser } from './perfLens';
import { pgStatStatementsParser } from './pgStatStatements';
import { pytestBenchmarkParser } from './pytestBenchmark';
import type { Parser } from './types';
import { vitestBenchParser } from './vitestBench';

export const parsers: Parser[] = [
  perfLensParser,
  lighthouseParser,
  lighthouseManifestParser,
  pgStatStatementsParser,
  pytestBenchmarkParser,
  hyperfineParser,
  googleBenchmarkParser,
  goTestJsonParser,
  goBenchTextParser,
  locustParser,
  autocannonParser,
  mochaJsonParser,
  vitestBenchParser,
  k6Parser,
];
