'use strict';

module.exports = async instance => {
  instance.delete('/cache', async () => null);
};
