// Python edits re-parse only the statements around them (LocateIndex.relocateRegion). These
// edits are the ones that could make a region parse disagree with a whole-file parse: an
// opened string or bracket that swallows later statements, a dangling decorator, statements
// sharing a line, a def typed into a gap and then filled in. After each, the findings must
// equal a fresh locate of the whole text.
import * as assert from 'assert';
import { ContentChange, LocateIndex } from '../../../src/core/locate/index';
import { locateSource } from '../../../src/core/locate/locate';
import { summary } from './workspace';

const START = [
  'import pytest',
  '',
  '',
  'def test_a(benchmark):',
  '    benchmark(lambda: 1)',
  '',
  '',
  '@pytest.mark.parametrize("n", [1, 2])',
  'def test_b(benchmark, n):',
  '    benchmark(lambda: n)',
  '',
  '',
  'class TestC:',
  '    def test_c(self):',
  '        pass',
  '',
  '',
  'def test_d():',
  '    pass',
  '',
].join('\n');

/** Replace [from, to) (character offsets) with `insert`, as VS Code reports it. */
function change(text: string, from: number, to: number, insert: string): { text: string; change: ContentChange } {
  const pos = (o: number) => {
    const before = text.slice(0, o).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  return {
    text: text.slice(0, from) + insert + text.slice(to),
    change: { range: { start: pos(from), end: pos(to) }, rangeOffset: from, rangeLength: to - from, text: insert },
  };
}

const at = (text: string, needle: string, after = 0) => {
  const i = text.indexOf(needle, after);
  if (i < 0) throw new Error(`fixture has no ${needle}`);
  return i;
};

type Step = [label: string, edit: (t: string) => [number, number, string]];

const STEPS: Step[] = [
  ['blank line between defs', t => [at(t, 'def test_a'), at(t, 'def test_a'), '\n']],
  ['open a triple-quoted string that swallows the rest', t => [at(t, '    benchmark(lambda: 1)'), at(t, '    benchmark(lambda: 1)'), '    x = """\n']],
  ['close it again', t => [at(t, '    x = """\n'), at(t, '    x = """\n') + '    x = """\n'.length, '']],
  ['unclosed bracket at the end of a statement', t => [at(t, 'lambda: n)') + 'lambda: n)'.length, at(t, 'lambda: n)') + 'lambda: n)'.length, ' + [1,']],
  ['close the bracket', t => [at(t, ' + [1,'), at(t, ' + [1,') + ' + [1,'.length, ' + [1]']],
  ['type a def into a gap', t => [at(t, 'class TestC'), at(t, 'class TestC'), 'def test_new(benchmark):\n']],
  ['give it a body', t => [at(t, 'class TestC'), at(t, 'class TestC'), '    benchmark(lambda: 0)\n\n\n']],
  ['dangling decorator before a class', t => [at(t, 'class TestC'), at(t, 'class TestC'), '@pytest.mark.slow\n\n']],
  ['statements sharing a line', t => [at(t, 'import pytest') + 'import pytest'.length, at(t, 'import pytest') + 'import pytest'.length, '; import os']],
  ['rename a test', t => [at(t, 'test_d'), at(t, 'test_d') + 'test_d'.length, 'test_d2']],
  ['delete a whole def', t => [at(t, 'def test_a'), at(t, 'def test_b') - '@pytest.mark.parametrize("n", [1, 2])\n'.length, '']],
  ['new test at the end of the file (no final newline)', t => [t.length, t.length, '\ndef test_end():\n    pass']],
  ['new method in the class', t => [at(t, '        pass'), at(t, '        pass'), '        pass\n\n    def test_m(self):\n']],
];

describe('locate: Python region re-parse equals a whole-file locate', () => {
  it(`${STEPS.length} edits that open strings, brackets, decorators and fill gaps`, async () => {
    const idx = new LocateIndex();
    let text = START;
    await idx.index('u', 1, text, 'tests/test_r.py');
    let version = 1;
    for (const [label, edit] of STEPS) {
      const [from, to, insert] = edit(text);
      const e = change(text, from, to, insert);
      text = e.text;
      const got = await idx.update('u', ++version, text, [e.change], 'tests/test_r.py');
      const want = await locateSource(text, 'tests/test_r.py');
      assert.deepStrictEqual(summary(got), summary(want), `after "${label}":\n${text}`);
      assert.deepStrictEqual(got, want, `ranges after "${label}"`);
    }
    idx.dispose();
  });
});
