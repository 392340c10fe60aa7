// Every known parser, in detection order (most specific first).
import { goBenchTextParser, goTestJsonParser } from './goBench';
import { googleBenchmarkParser } from './googleBenchmark';
import { hyperfineParser } from './hyperfine';
import { locustParser } from './locust';
import { perfLensParser } from './perfLens';
import { pytestBenchmarkParser } from './pytestBenchmark';
import type { Parser } from './types';

export const parsers: Parser[] = [
  perfLensParser,
  pytestBenchmarkParser,
  hyperfineParser,
  googleBenchmarkParser,
  goTestJsonParser,
  goBenchTextParser,
  locustParser,
];
