#!/usr/bin/env node
// A resource server for Lanyard's tests: validates JWT access tokens the way an API does —
// signature against the provider's JWKS (jose, which oidc-provider brings), `iss`, `aud` (this
// API's resource indicator), `exp`, and the scope a route needs — and answers as an API would.
//
// Usage: node resource-server.mjs --issuer URL --audience URI [--port 0] [--ready-file FILE]
// Prints `READY {"port":...}` once listening (and writes it to --ready-file). Every request is
// appended to $RS_REQUEST_LOG as one JSON line {"method","path","auth":"bearer"|"none","token",
// "status"} (token: 12 hex digits of SHA-256 of the Authorization header, never the token).
//
// Routes (the scope each needs in brackets):
//   GET  /me                      [read]  {"sub","aud","scope"} of the token
//   POST /echo                    [write] the request body back, same content type
//   GET  /big?mb=N                [read]  N MiB of JSON-ish bytes, streamed in 64 KiB chunks
//   GET  /status/CODE             [read]  that status with a short JSON body
//   GET  /revoked-once            [read]  401 invalid_token for the first token presented here
//   GET  /always-invalid          [read]  401 invalid_token, always
//   GET  /claims-challenge        [read]  401 insufficient_claims with a claims challenge (base64,
//                                         as Entra sends it: an `acrs` step-up as Entra asks for
//                                         it, and the `email` claim in the ID token, which the
//                                         test provider honours and shows)
//   GET  /redirect-same           [read]  302 to /me on this origin
//   GET  /redirect-other?port=P   [read]  302 to http://127.0.0.1:P/me (another origin)
//   Graph-shaped [User.Read]: GET /v1.0/me → {displayName, mail, id, ...} as Graph answers it,
//     a 401 / 403 in Graph's error shape ({"error":{"code","message"}}) otherwise; run it with
//     --audience https://graph.microsoft.com/ to be a fake Graph. $RS_GRAPH_ME (JSON) is merged
//     into the answer (a test's hostile or missing fields).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const { values: opt } = parseArgs({
  options: {
    issuer: { type: 'string' },
    audience: { type: 'string' },
    port: { type: 'string', default: '0' },
    'ready-file': { type: 'string' },
  },
});
if (!opt.issuer || !opt.audience) {
  console.error('usage: resource-server.mjs --issuer URL --audience URI');
  process.exit(2);
}

const jwks = createRemoteJWKSet(new URL(`${opt.issuer.replace(/\/$/, '')}/jwks`));
const log = (entry) => {
  if (process.env.RS_REQUEST_LOG) appendFileSync(process.env.RS_REQUEST_LOG, `${JSON.stringify(entry)}\n`);
};
let revoked;

function challenge(res, error, description, extra = '') {
  res.statusCode = 401;
  res.setHeader('WWW-Authenticate', `Bearer error="${error}", error_description="${description}"${extra}`);
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ error, error_description: description }));
}

async function verify(req, res, need) {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  if (!m) { challenge(res, 'invalid_request', 'no bearer token'); return null; }
  try {
    const { payload } = await jwtVerify(m[1], jwks, { issuer: opt.issuer, audience: opt.audience });
    const scopes = String(payload.scope ?? '').split(' ');
    if (need && !scopes.includes(need) && !scopes.some((s) => s.endsWith(`:${need}`))) {
      res.statusCode = 403;
      res.setHeader('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${need}"`);
      if (need === 'User.Read') {
        // Graph says why in its own shape.
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } }));
      } else res.end();
      return null;
    }
    return { token: m[1], payload };
  } catch (e) {
    challenge(res, 'invalid_token', e.code ?? 'invalid');
    return null;
  }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  // A digest tells the tokens apart in the log without writing one down.
  const digest = createHash('sha256').update(req.headers.authorization ?? '').digest('hex').slice(0, 12);
  res.on('finish', () => log({ method: req.method, path: url.pathname, auth: req.headers.authorization ? 'bearer' : 'none', token: digest, status: res.statusCode }));
  const json = (status, body) => { res.statusCode = status; res.setHeader('Content-Type', 'application/json'); res.end(JSON.stringify(body)); };
  const path = url.pathname;

  if (path === '/v1.0/me') {
    const ok = await verify(req, res, 'User.Read'); if (!ok) return;
    json(200, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
      businessPhones: ['+1 425 555 0109'],
      displayName: 'Alice Example',
      givenName: 'Alice',
      jobTitle: 'Identity Tester',
      mail: 'alice@example.test',
      mobilePhone: null,
      officeLocation: '18/2111',
      preferredLanguage: 'en-US',
      surname: 'Example',
      userPrincipalName: `${ok.payload.sub}@example.test`,
      id: ok.payload.sub,
      ...JSON.parse(process.env.RS_GRAPH_ME ?? '{}'),
    });
    return;
  }
  const need = req.method === 'POST' ? 'write' : 'read';
  const ok = await verify(req, res, need); if (!ok) return;
  const p = ok.payload;

  if (path === '/me') return json(200, { sub: p.sub, aud: p.aud, scope: p.scope });
  if (path === '/echo' && req.method === 'POST') {
    const chunks = []; for await (const c of req) chunks.push(c);
    res.statusCode = 200;
    res.setHeader('Content-Type', req.headers['content-type'] ?? 'application/octet-stream');
    res.end(Buffer.concat(chunks));
    return;
  }
  if (path === '/big') {
    const total = Number(url.searchParams.get('mb') ?? '1') * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(total));
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) { res.once('drain', pump); return; }
      }
      res.end();
    };
    pump();
    return;
  }
  const st = /^\/status\/(\d{3})$/.exec(path);
  if (st) return json(Number(st[1]), { error: `status ${st[1]}`, detail: 'x'.repeat(500) });
  if (path === '/revoked-once') {
    // The first token presented here counts as revoked early; any other is fine.
    if (revoked === undefined) revoked = ok.token;
    if (ok.token === revoked) { challenge(res, 'invalid_token', 'revoked'); return; }
    return json(200, { ok: true, sub: p.sub });
  }
  if (path === '/always-invalid') { challenge(res, 'invalid_token', 'never good'); return; }
  if (path === '/claims-challenge') {
    const claims = Buffer.from(JSON.stringify({
      access_token: { acrs: { essential: true, value: 'c1' } },
      id_token: { email: { essential: true } },
    })).toString('base64');
    challenge(res, 'insufficient_claims', 'step up', `, claims="${claims}"`);
    return;
  }
  if (path === '/redirect-same') { res.statusCode = 302; res.setHeader('Location', '/me'); res.end(); return; }
  if (path === '/redirect-other') {
    res.statusCode = 302; res.setHeader('Location', `http://127.0.0.1:${url.searchParams.get('port')}/me`); res.end(); return;
  }
  json(404, { error: 'not found' });
});

await new Promise((resolve) => server.listen(Number(opt.port), '127.0.0.1', resolve));
const ready = { port: server.address().port, pid: process.pid };
if (opt['ready-file']) {
  writeFileSync(`${opt['ready-file']}.tmp`, `${JSON.stringify(ready)}\n`);
  renameSync(`${opt['ready-file']}.tmp`, opt['ready-file']);
}
console.log(`READY ${JSON.stringify(ready)}`);
process.on('SIGTERM', () => { server.close(() => process.exit(0)); server.closeAllConnections?.(); });
