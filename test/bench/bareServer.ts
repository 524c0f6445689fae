/**
 * The floor of table 1: a bare `node:http` server that answers every request with the same bytes from
 * memory, as large as Finch's average answer. Run as its own process, like the servers it is compared to.
 *
 * Usage: node test/bench/bareServer.ts <bodyFile>   (prints "listening <port>")
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const body = readFileSync(process.argv[2]!);
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  console.log(`listening ${typeof addr === 'object' && addr ? addr.port : 0}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
