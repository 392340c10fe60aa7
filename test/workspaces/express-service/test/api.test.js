// mocha tests (run: npx mocha test/api.test.js --reporter json).
'use strict';
const assert = require('assert');

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

describe('videos API', () => {
  describe('slug', () => {
    it('lower-cases titles', () => {
      assert.strictEqual(slug('Hello World'), 'hello-world');
    });

    it.skip('keeps unicode', () => {
      assert.strictEqual(slug('Ünïcode'), 'ünïcode');
    });
  });

  it(`handles ${'template'} titles`, function () {
    assert.ok(true);
  });

  // it('commented out', () => {})
  const notATest = "it('in a string', () => {})";

  it('is fast enough', async () => {
    assert.ok(notATest.length > 0);
  });
});
