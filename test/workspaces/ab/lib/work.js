// The code under test. The A/B tests commit this file, then a copy with FACTOR = 2 on a branch
// (HEAD twice as slow as its merge base), and run `perf-lens ab` between the two.
'use strict';
const FACTOR = 1;

exports.work = function work() {
  let x = 0;
  for (let i = 0; i < 20000 * FACTOR; i++) x = (x * 31 + i) | 0;
  return x;
};

// Unchanged between the commits: its verdict should be no change.
exports.steady = function steady() {
  let x = 0;
  for (let i = 0; i < 20000; i++) x = (x * 17 + i) | 0;
  return x;
};
