const assert = require('assert');

describe('api', () => {
  it('serialises a page of videos', () => {
    const page = Array.from({ length: 50 }, (_, id) => ({ id }));
    assert.strictEqual(JSON.stringify(page).length > 0, true);
  });
});
