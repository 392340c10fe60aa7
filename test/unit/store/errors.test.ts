import * as assert from 'assert';
import { StoreFormatError, parseJsonLocated } from '../../../src/core/store/errors';

describe('store/errors: JSON errors name the file and line', () => {
  const cases: [string, string][] = [
    ['{\n  "a": 1,\n  "b": oops\n}', "f.json:3: invalid JSON: Unexpected token 'o' at line 3, column 8"], // V8 gives no position here
    ['{\n"a": "unterminated\n', 'f.json:2: truncated JSON (ends before the value is complete) at line 2, column 19'],
    ['{\n "a" 1}', "f.json:2: invalid JSON: Expected ':' after property name at line 2, column 6"],
    ['{}\n\nx', 'f.json:3: invalid JSON: Unexpected non-whitespace character after JSON at line 3, column 1'],
    ['[1,\n2,\n', 'f.json:3: truncated JSON (ends before the value is complete) at line 3, column 1'],
    ['', 'f.json:1: truncated JSON (ends before the value is complete) at line 1, column 1'],
  ];
  for (const [text, message] of cases) {
    it(JSON.stringify(text), () => {
      assert.throws(() => parseJsonLocated(text, 'f.json'), (e: unknown) => e instanceof StoreFormatError && e.message === message);
    });
  }
  it('parses valid JSON', () => assert.deepStrictEqual(parseJsonLocated('{"a":[1]}', 'f.json'), { a: [1] }));
});
