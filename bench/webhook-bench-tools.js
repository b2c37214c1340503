// Helpers of bench/webhook-bench.sh (run from the repository root so require('standardwebhooks') resolves).
//   node bench/webhook-bench-tools.js receiver PORT           webhook receiver + tenant-service context stub
//   node bench/webhook-bench-tools.js token SECRET TENANT_ID   identity token (what the gateway would mint)
//   node bench/webhook-bench-tools.js publish REDIS_PORT DB STREAM TENANT_ID COUNT [RATE_PER_S]
'use strict';
const http = require('http');
const net = require('net');
const crypto = require('crypto');
const { Webhook } = require('standardwebhooks');

const [, , command, ...args] = process.argv;

function receiver(port) {
  let webhook = null;
  const ids = new Set();
  let received = 0, duplicates = 0, invalid = 0, firstAt = 0, lastAt = 0, connections = 0;
  const lags = [];
  // Worst lag per 5 s window of publication time: shows whether a high p99 is one stall (warm-up, a retry) or spread.
  const windowMs = 5000;
  const worstByWindow = new Map();
  const hookSockets = new WeakSet();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'GET' && req.url.startsWith('/internal/tenants/')) {
        // Stands in for tenant-service's plan limits (the quota check on endpoint creation).
        const tenantId = req.url.split('/')[3];
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ tenantId, status: 'active', plan: 'enterprise',
          limits: { requestsPerSecond: 1000, burst: 2000, monthlyComputeUnits: 1e12, maxNodes: 50, maxWebhooks: 500 } }));
      }
      if (req.method === 'POST' && req.url === '/configure') {
        webhook = new Webhook(JSON.parse(body).secret);
        res.writeHead(204);
        return res.end();
      }
      if (req.method === 'POST' && req.url === '/reset') {
        // After a warm-up: what was received so far does not count.
        ids.clear(); lags.length = 0; worstByWindow.clear();
        received = 0; duplicates = 0; invalid = 0; firstAt = 0; lastAt = 0; connections = 0;
        res.writeHead(204);
        return res.end();
      }
      if (req.method === 'GET' && req.url === '/stats') {
        const sorted = Float64Array.from(lags).sort();
        const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : null);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const first = Math.min(...worstByWindow.keys());
        const worst = [...worstByWindow.keys()].sort((a, b) => a - b).map((w) => ((w - first) * windowMs / 1000) + 's:'
          + worstByWindow.get(w));
        return res.end(JSON.stringify({ received, distinct: ids.size, duplicates, invalidSignatures: invalid, firstAt,
          lastAt, lagP50: pct(0.5), lagP90: pct(0.9), lagP99: pct(0.99), lagMax: sorted.length ? sorted[sorted.length - 1] : null,
          connections, worstLagByWindow: worst.join(' ') }));
      }
      if (req.method === 'POST' && req.url === '/hook') {
        const now = Date.now();
        received++;
        if (!hookSockets.has(req.socket)) { hookSockets.add(req.socket); connections++; }
        let payload;
        try {
          payload = webhook.verify(body, req.headers);
        } catch (e) {
          invalid++;
          res.writeHead(400);
          return res.end();
        }
        const id = req.headers['webhook-id'];
        if (ids.has(id)) duplicates++; else ids.add(id);
        if (!firstAt) firstAt = now;
        lastAt = now;
        if (payload && payload.data && payload.data.publishedAtMs) {
          const lag = now - payload.data.publishedAtMs;
          lags.push(lag);
          const w = Math.floor(payload.data.publishedAtMs / windowMs);
          worstByWindow.set(w, Math.max(worstByWindow.get(w) || 0, lag));
        }
        res.writeHead(204);
        return res.end();
      }
      res.writeHead(404);
      res.end();
    });
  });
  server.keepAliveTimeout = 60000;
  server.listen(port, '127.0.0.1');
}

function b64url(x) {
  return Buffer.from(x).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

// Same claims as platform-common's IdentityTokenCodec (HS256, iss chainmesh-gateway, aud chainmesh).
function token(secret, tenantId) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'HS256' }));
  const claims = b64url(JSON.stringify({ iss: 'chainmesh-gateway', aud: 'chainmesh', sub: 'user:bench', iat: now,
    exp: now + 600, jti: crypto.randomUUID(), scp: ['read', 'write'], tid: tenantId, plan: 'enterprise' }));
  const sig = b64url(crypto.createHmac('sha256', secret).update(header + '.' + claims).digest());
  process.stdout.write(header + '.' + claims + '.' + sig);
}

function resp(parts) {
  let out = '*' + parts.length + '\r\n';
  for (const p of parts) out += '$' + Buffer.byteLength(p) + '\r\n' + p + '\r\n';
  return out;
}

// XADDs COUNT tx.confirmed envelopes, each stamped with its publication time; RATE 0 = as fast as Redis takes them.
function publish(redisPort, db, stream, tenantId, count, rate) {
  const socket = net.connect(Number(redisPort), '127.0.0.1');
  let replies = 0, buffered = '';
  socket.on('data', (d) => {
    buffered += d.toString();
    const lines = buffered.split('\r\n');
    buffered = lines.pop();
    replies += lines.filter((l) => l.startsWith('$') || l.startsWith('+') || l.startsWith('-')).length;
    if (lines.some((l) => l.startsWith('-'))) { console.error('redis error: ' + lines.join(' ')); process.exit(1); }
    if (replies >= count + 1) { socket.end(); }
  });
  socket.on('connect', () => {
    socket.write(resp(['SELECT', String(db)]));
    let sent = 0;
    const batch = rate > 0 ? Math.max(1, Math.round(rate / 100)) : 500;
    const tick = () => {
      let chunk = '';
      for (let i = 0; i < batch && sent < count; i++, sent++) {
        const envelope = { id: crypto.randomUUID(), type: 'tx.confirmed', tenantId,
          occurredAt: new Date().toISOString(),
          data: { transactionId: crypto.randomUUID(), hash: '0x' + crypto.randomBytes(32).toString('hex'),
            status: 'CONFIRMED', seq: sent, publishedAtMs: Date.now() } };
        chunk += resp(['XADD', stream, 'MAXLEN', '~', '200000', '*', 'event', JSON.stringify(envelope)]);
      }
      socket.write(chunk);
      if (sent < count) setTimeout(tick, rate > 0 ? 10 : 0);
    };
    tick();
  });
}

if (command === 'receiver') receiver(Number(args[0]));
else if (command === 'token') token(args[0], args[1]);
else if (command === 'publish') publish(args[0], args[1], args[2], args[3], Number(args[4]), Number(args[5] || 0));
else { console.error('unknown command'); process.exit(2); }
