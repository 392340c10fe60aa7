// The dashboard's client: fetches /api/dashboard/stats and renders it. The stats endpoint is the
// one the memory suite watches (LEAK=1); the page itself stays small and quick.
'use strict';
fetch('/api/dashboard/stats')
  .then(r => r.json())
  .then(stats => {
    const rows = Object.entries(stats).map(([k, v]) => `<tr><td>${k}</td><td>${typeof v === 'object' ? JSON.stringify(v) : v}</td></tr>`);
    document.querySelector('#stats tbody').innerHTML = rows.join('');
  })
  .catch(e => {
    document.querySelector('#stats tbody').innerHTML = `<tr><td>stats unavailable: ${e.message}</td></tr>`;
  });
