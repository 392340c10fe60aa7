// The target of the live suite: answers /api/items at once and /api/slow after 20 ms.
const http = require('http');
http.createServer((req, res) => {
  const body = JSON.stringify({ items: Array.from({ length: 10 }, (_, i) => ({ id: i })) });
  const send = () => { res.setHeader('content-type', 'application/json'); res.end(body); };
  if (req.url.startsWith('/api/slow')) setTimeout(send, 20);
  else send();
}).listen(Number(process.env.PORT), '127.0.0.1');
