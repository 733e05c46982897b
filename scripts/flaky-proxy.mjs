// A flaky link for the sync tests: an HTTP proxy on 127.0.0.1 that fails a seeded share
// of requests, the two ways a village signal fails:
//   drop — the request is lost before it reaches the server (connection reset);
//   cut  — the server handles the request, then its answer is cut off mid-body (the
//          client never learns whether a _bulk_docs or checkpoint write happened).
// CORS preflights always pass, so that every failure hits a real request. The same seed
// and the same request order give the same failures.
// Usage: node scripts/flaky-proxy.mjs TARGET_URL PORT SEED RATE   (e.g. ... 42 0.2)
import http from 'node:http';

const [target, port, seedArg, rateArg] = process.argv.slice(2);
if (!target || !port) {
  console.error('usage: flaky-proxy.mjs TARGET_URL PORT [SEED] [RATE]');
  process.exit(2);
}
const upstream = new URL(target);
const rate = Number(rateArg ?? 0.2);

// mulberry32: a small seeded PRNG, so a failing run can be replayed.
let state = Number(seedArg ?? 42) >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const counts = { pass: 0, drop: 0, cut: 0 };

const server = http.createServer((req, res) => {
  let fate = 'pass';
  if (req.method !== 'OPTIONS') {
    const r = random();
    fate = r < rate / 2 ? 'drop' : r < rate ? 'cut' : 'pass';
  }
  counts[fate] += 1;
  if (fate === 'drop') {
    req.resume();
    req.socket.destroy();
    return;
  }
  const headers = { ...req.headers, host: upstream.host };
  delete headers['accept-encoding']; // plain bodies, so a cut is a cut and not a codec error
  const up = http.request(
    { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
    (answer) => {
      if (fate === 'pass') {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks = [];
      answer.on('data', (c) => chunks.push(c));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        const h = { ...answer.headers, 'content-length': String(body.length) };
        delete h['transfer-encoding'];
        delete h['content-encoding'];
        res.writeHead(answer.statusCode, h);
        res.write(body.subarray(0, Math.floor(body.length / 2)));
        // Let the half body leave, then reset the connection.
        setTimeout(() => res.socket?.destroy(), 5);
      });
    },
  );
  up.on('error', () => res.socket?.destroy());
  req.pipe(up);
});

server.keepAliveTimeout = 1000;
server.listen(Number(port), '127.0.0.1', () => {
  console.error(`flaky proxy on 127.0.0.1:${port} → ${target}, seed ${seedArg ?? 42}, rate ${rate}`);
});
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    console.error(`flaky proxy: ${JSON.stringify(counts)}`);
    process.exit(0);
  });
}
