import * as assert from 'assert';
import { StoreFormatError, parseJsonLocated } from '../../../src/core/store/errors';

describe('store/errors: JSON errors name the file and line', () => {
  const cases: [string, string][] = [
    ['{\n  "a": 1,\n  "b": oops\n}', "f.json:3: not valid JSON: Unexpected token 'o'"], // V8 gives no position here
    ['{\n"a": "unterminated\n', 'f.json:2: not valid JSON: Bad control character in string literal'],
    ['{\n "a" 1}', "f.json:2: not valid JSON: Expected ':' after property name"],
    ['{}\n\nx', 'f.json:3: not valid JSON: Unexpected non-whitespace character after JSON'],
    ['[1,\n2,\n', 'f.json:3: not valid JSON: Unexpected end of JSON input'],
    ['', 'f.json:1: not valid JSON: Unexpected end of JSON input'],
  ];
  for (const [text, message] of cases) {
    it(JSON.stringify(text), () => {
      assert.throws(() => parseJsonLocated(text, 'f.json'), (e: unknown) => e instanceof StoreFormatError && e.message === message);
    });
  }
  it('parses valid JSON', () => assert.deepStrictEqual(parseJsonLocated('{"a":[1]}', 'f.json'), { a: [1] }));
});
