// jest / vitest style: .each tables, .only/.skip/.todo, nested describes, and vitest bench.
import { bench, describe, expect, it, test } from 'vitest';

const add = (a: number, b: number): number => a + b;

describe('math', () => {
  test('adds', () => {
    expect(add(1, 2)).toBe(3);
  });

  test.each([
    [1, 1, 2],
    [2, 2, 4],
  ])('add(%i, %i) = %i', (a, b, sum) => {
    expect(add(a, b)).toBe(sum);
  });

  describe.skip('skipped block', () => {
    it.only('still located', () => {
      expect(true).toBe(true);
    });
  });

  test.todo('write more tests');
});

describe('perf', () => {
  bench('add 1e3 times', () => {
    for (let i = 0; i < 1e3; i++) add(i, i);
  });
});

// test('commented out', () => {})
const fake = "it('string only', () => {})";
expect(fake).toBeTruthy();
