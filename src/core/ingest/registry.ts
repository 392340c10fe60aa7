// Every known parser, in detection order (most specific first).
import type { Parser } from './types';

export const parsers: Parser[] = [];
