// Process start-up cost: what `node scripts/startup.js` costs end to end (hyperfine, no name).
const started = Date.now();
JSON.stringify({ started });
