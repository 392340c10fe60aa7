import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IgnoreRules } from '../../../src/core/locate/ignore';
import { ContentChange, LocateIndex } from '../../../src/core/locate/index';
import { scanWorkspace } from '../../../src/core/locate/scan';
import { scanInWorker } from '../../../src/core/locate/scanWorker';
import { summary, workspace, writeFile } from './workspace';

/** The change VS Code would report for replacing [offset, offset+length) of `text` with `insert`. */
function change(text: string, offset: number, length: number, insert: string): ContentChange {
  const pos = (o: number) => {
    const before = text.slice(0, o).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  return { range: { start: pos(offset), end: pos(offset + length) }, rangeOffset: offset, rangeLength: length, text: insert };
}

describe('locate: index', () => {
  it('caches by version and re-indexes incrementally after edits', async () => {
    const idx = new LocateIndex();
    try {
      let text = 'def test_a():\n    pass\n\n\ndef helper():\n    pass\n';
      assert.deepStrictEqual(summary(await idx.index('file:///t/test_x.py', 1, text, 'test_x.py')), ['test 0/0 test_x.py::test_a']);
      assert.strictEqual(idx.get('file:///t/test_x.py', 1)?.length, 1);
      assert.strictEqual(idx.get('file:///t/test_x.py', 2), undefined);
      // Rename helper → test_b(benchmark) and insert two lines at the top.
      const c1 = change(text, text.indexOf('helper():'), 'helper()'.length, 'test_b(benchmark)');
      text = text.slice(0, c1.rangeOffset) + c1.text + text.slice(c1.rangeOffset + c1.rangeLength);
      const c2 = change(text, 0, 0, 'import x\n\n');
      text = c2.text + text;
      const found = await idx.update('file:///t/test_x.py', 2, text, [c1, c2], 'test_x.py');
      assert.deepStrictEqual(summary(found), ['test 2/2 test_x.py::test_a', 'benchmark 6/6 test_x.py::test_b']);
      assert.deepStrictEqual(idx.at('file:///t/test_x.py', 7).map(f => f.name), ['test_b']);
      // The incremental result equals a fresh parse of the same text.
      const fresh = new LocateIndex();
      assert.deepStrictEqual(await fresh.index('u', 1, text, 'test_x.py'), found);
      fresh.dispose();
    } finally {
      idx.dispose();
    }
  });

  it('bounds the number of kept trees', async () => {
    const idx = new LocateIndex(2);
    for (let i = 0; i < 4; i++) await idx.index(`u${i}`, 1, 'func TestA(t *testing.T) {}', 'a_test.go');
    assert.strictEqual(idx.get('u0'), undefined);
    assert.strictEqual(idx.get('u3')?.[0]?.id, 'TestA');
    idx.dispose();
  });
});

describe('locate: .gitignore rules', () => {
  it('supports anchoring, dir-only, globs, ** and negation', () => {
    const r = new IgnoreRules();
    r.add('', '# comment\n*.gen.py\n/build-*\nlogs/\n!keep.gen.py\ndocs/**/draft_*.py\n');
    r.add('sub', 'local.py\n');
    assert.ok(r.ignores('a/b/x.gen.py', false));
    assert.ok(!r.ignores('a/keep.gen.py', false));
    assert.ok(r.ignores('build-1', true));
    assert.ok(!r.ignores('a/build-1', true));
    assert.ok(r.ignores('a/logs', true));
    assert.ok(!r.ignores('a/logs', false));
    assert.ok(r.ignores('docs/x/y/draft_1.py', false));
    assert.ok(r.ignores('sub/deep/local.py', false));
    assert.ok(!r.ignores('local.py', false));
  });
});

describe('locate: workspace scan', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-scan-'));
    const write = (rel: string, text: string): void => writeFile(root, rel, text);
    write('.gitignore', 'generated/\n*.skip.py\n');
    write('tests/test_a.py', 'def test_a():\n    pass\n');
    write('tests/b.skip.py', 'def test_hidden():\n    pass\n');
    write('generated/test_gen.py', 'def test_gen():\n    pass\n');
    write('node_modules/pkg/index.test.js', "it('x', () => {})\n");
    write('env/pyvenv.cfg', 'home = /usr/bin\n');
    write('env/lib/test_venv.py', 'def test_venv():\n    pass\n');
    write('dist/app.js', "app.get('/x', (q, s) => s.end())\n");
    write('src/app.js', "const app = require('express')();\napp.get('/x', (q, s) => s.end());\n");
    write('big_test.py', 'def test_big():\n    pass\n' + '#'.repeat(4096));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('skips dependencies, venvs, build output, .gitignore’d paths and oversized files', async () => {
    const r = await scanWorkspace(root, { maxFileBytes: 2048 });
    assert.deepStrictEqual([...r.files.keys()], ['src/app.js', 'tests/test_a.py']);
    assert.deepStrictEqual(summary(r.files.get('src/app.js') ?? []), ['endpoint 1/1 GET /x']);
    assert.strictEqual(r.skipped.tooLarge, 1);
    assert.strictEqual(r.truncated, false);
  });

  it('stops at maxFiles and says so', async () => {
    const r = await scanWorkspace(root, { maxFiles: 1, maxFileBytes: 1 << 20 });
    assert.strictEqual(r.filesLocated, 1);
    assert.strictEqual(r.truncated, true);
  });

  it('runs in a worker thread with progress and gives the same result', async () => {
    const progress: number[] = [];
    const r = await scanInWorker(workspace('fastapi-service'), { onProgress: p => progress.push(p.filesLocated) });
    assert.deepStrictEqual([...r.files.keys()], ['app/main.py', 'locustfile.py', 'tests/performance/test_api_benchmarks.py']);
    assert.ok(progress.length >= 1 && progress[progress.length - 1] === r.filesLocated);
    const direct = await scanWorkspace(workspace('fastapi-service'));
    assert.deepStrictEqual(r.files, direct.files);
  });
});

describe('locate: incremental re-locate equals a fresh locate', () => {
  const files: [string, string, string][] = [
    ['fastapi-service', 'app/main.py', '# note'],
    ['fastapi-service', 'tests/performance/test_api_benchmarks.py', '# note'],
    ['fastapi-service', 'locustfile.py', '# note'],
    ['express-service', 'src/app.js', '// note'],
    ['express-service', 'test/api.test.js', '// note'],
    ['nest-service', 'src/videos/videos.controller.ts', '// note'],
    ['go-service', 'main.go', '// note'],
    ['go-service', 'main_test.go', '// note'],
  ];
  for (const [project, rel, comment] of files) {
    it(`${project}/${rel}: 30 edits (blank lines, comments, renames, deletions)`, async () => {
      let text = fs.readFileSync(workspace(project, rel), 'utf8');
      const idx = new LocateIndex();
      const fresh = new LocateIndex();
      await idx.index('doc', 0, text, rel);
      let seed = 7;
      const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
      try {
        for (let v = 1; v <= 30; v++) {
          const lineStarts = [0, ...[...text.matchAll(/\n/g)].map(m => (m.index ?? 0) + 1)].filter(o => o < text.length);
          const at = lineStarts[rand(lineStarts.length)];
          const kind = v % 4;
          let c: ContentChange;
          if (kind === 0) c = change(text, at, 0, '\n');
          else if (kind === 1) c = change(text, at, 0, `${comment} ${v}\n`);
          else if (kind === 2) {
            const m = /(def test_|func Benchmark|it\('|get\(')/.exec(text.slice(at));
            c = m ? change(text, at + (m.index ?? 0) + m[0].length, 0, 'x') : change(text, at, 0, '\n');
          } else {
            const end = text.indexOf('\n', at);
            const blank = end >= 0 && text.slice(at, end).trim() === '';
            c = blank ? change(text, at, end - at + 1, '') : change(text, at, 0, '\n\n');
          }
          text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
          const inc = await idx.update('doc', v, text, [c], rel);
          assert.deepStrictEqual(inc, await fresh.index(`f${v}`, 1, text, rel), `after edit ${v}`);
          fresh.forget(`f${v}`);
        }
      } finally {
        idx.dispose();
        fresh.dispose();
      }
    });
  }
});
