import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CsvParser, parseCsvText, readCsv } from '../../../src/core/ingest/csv';
import { IngestError } from '../../../src/core/ingest/types';

function rows(text: string): [string[], number][] {
  const out: [string[], number][] = [];
  parseCsvText('t.csv', text, (f, line) => out.push([f, line]));
  return out;
}

describe('streaming CSV reader', () => {
  it('reads RFC 4180 quoting: commas, "" escapes and newlines inside quotes', () => {
    assert.deepStrictEqual(rows('a,b,c\n1,"x, y","say ""hi"""\n2,"two\nlines",z\n3,,\n'), [
      [['a', 'b', 'c'], 1],
      [['1', 'x, y', 'say "hi"'], 2],
      [['2', 'two\nlines', 'z'], 3],
      [['3', '', ''], 5],
    ]);
  });

  it('accepts CRLF, a missing final newline and skips blank lines', () => {
    assert.deepStrictEqual(rows('a,b\r\n\r\n1,2\r\n3,"4"'), [
      [['a', 'b'], 1],
      [['1', '2'], 3],
      [['3', '4'], 4],
    ]);
  });

  it('gives the same rows whatever the chunk boundaries', () => {
    const text = 'h1,h2,h3\r\n"q,1","a""b",c\nx,"multi\r\nline",""\n,"",end\n';
    const whole = rows(text);
    for (let size = 1; size <= 7; size++) {
      const out: [string[], number][] = [];
      const p = new CsvParser('t.csv', (f, line) => out.push([f, line]));
      for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size));
      p.end();
      assert.deepStrictEqual(out, whole, `chunk size ${size}`);
    }
  });

  it('names the line of an unterminated quote and of junk after a closing quote', () => {
    assert.throws(() => rows('a,b\n1,2\n3,"open\nstill open\n'), (e: unknown) =>
      e instanceof IngestError && e.where?.line === 3 && /unterminated quoted field/.test(e.message));
    assert.throws(() => rows('a,b\n"x"y,2\n'), (e: unknown) =>
      e instanceof IngestError && e.where?.line === 2 && /after a closing quote/.test(e.message));
  });

  it('streams a file across many chunks with correct line numbers', async () => {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'csv-'));
    try {
      const f = path.join(tmp, 'big.csv');
      const lines = ['n,text'];
      for (let i = 0; i < 60000; i++) lines.push(i % 1000 === 0 ? `${i},"quoted, ""${i}"""` : `${i},plain ${i}`);
      await fs.writeFile(f, lines.join('\n') + '\n');
      let count = 0;
      let bad = 0;
      await readCsv(f, (fields, line) => {
        if (line > 1 && Number(fields[0]) !== line - 2) bad++;
        count++;
      });
      assert.strictEqual(count, 60001);
      assert.strictEqual(bad, 0);
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });
});
