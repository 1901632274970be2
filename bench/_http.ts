import { createServer, request, Agent } from 'node:http';
const N = 500;
function cpu(): number { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }
async function measure(label: string, f: () => Promise<unknown>) {
  for (let i = 0; i < 50; i++) await f();
  const c0 = cpu(); const t0 = performance.now();
  for (let i = 0; i < N; i++) await f();
  console.log(`${label.padEnd(20)} cpu ${((cpu() - c0) / N).toFixed(3)} ms wall ${((performance.now() - t0) / N).toFixed(3)}`);
}
const server = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200); res.end('ok'); }); });
await new Promise<void>((r) => server.listen(0, r));
const port = (server.address() as { port: number }).port;
const body = JSON.stringify({ text: 'Won 12k Acme', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello '.repeat(50) } }] });
await measure('server only (noop)', async () => {});
await measure('fetch', () => fetch(`http://127.0.0.1:${port}/r`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10000) }).then((r) => r.arrayBuffer()));
const agent = new Agent({ keepAlive: true });
await measure('http.request', () => new Promise<void>((resolve, reject) => {
  const req = request(`http://127.0.0.1:${port}/r`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 10000 }, (res) => { res.resume(); res.on('end', () => resolve()); });
  req.on('error', reject); req.end(body);
}));
server.close(); process.exit(0);
