#!/usr/bin/env node
// A second, independent OpenID provider for Lanyard's integration tests: oauth2-mock-server 9.3.0
// (axa-fr; its own HTTP server and jose for the JWTs, nothing shared with oidc-provider), pinned
// by package-lock.json next to oidc-provider. What it is like, and what the tests rely on:
//   - authorize answers at once with a 302 to the redirect URI (no login page): response_mode
//     query only, no RFC 9207 `iss`; it checks PKCE S256 at the token endpoint;
//   - the ID token carries iss, aud (the client id), sub "johndoe", iat, exp, nbf, the nonce,
//     and no profile claims; every access token is a JWT;
//   - refresh tokens are random and never checked: any refresh succeeds and rotates;
//   - /revoke answers 200 to anything; end_session is /endsession.
// Its issuer is http://127.0.0.1:PORT (no trailing slash; it would say localhost, see below).
//
// Usage: node mock-idp.mjs [--port 0] [--ready-file FILE]
// Writes {"issuer":...,"port":...} to --ready-file (atomically) once listening; SIGTERM -> exit.
// IDP_REQUEST_LOG: file; one JSON line {"method","path","status"[,"grant_type"]} per request
// (the path only, never the query or a secret).
// MOCK_EXTRA_CLAIMS: JSON object of claims added to every token it signs (e.g. an Entra-style
// oid/tid that another provider asserts too).
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { OAuth2Server } from 'oauth2-mock-server';

const { values: opt } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'ready-file': { type: 'string' },
  },
});

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');

const requestLog = process.env.IDP_REQUEST_LOG;
if (requestLog) {
  server.service.on('beforeResponse', (response, req) => {
    appendFileSync(requestLog, `${JSON.stringify({ method: 'POST', path: '/token', status: response.statusCode, grant_type: req.body?.grant_type })}\n`);
  });
  for (const [event, path] of [['beforeAuthorizeRedirect', '/authorize'], ['beforeRevoke', '/revoke'], ['beforePostLogoutRedirect', '/endsession']]) {
    server.service.on(event, () => appendFileSync(requestLog, `${JSON.stringify({ method: 'GET', path })}\n`));
  }
}

if (process.env.MOCK_EXTRA_CLAIMS) {
  const extra = JSON.parse(process.env.MOCK_EXTRA_CLAIMS);
  server.service.on('beforeTokenSigning', (token) => { Object.assign(token.payload, extra); });
}

await server.start(Number(opt.port), '127.0.0.1');
// It names itself http://localhost:PORT while listening on 127.0.0.1 only; a client trying ::1
// first would be refused. Name the address it listens on.
server.issuer.url = `http://127.0.0.1:${server.address().port}`;
const ready = { issuer: server.issuer.url, port: server.address().port };
if (opt['ready-file']) {
  writeFileSync(`${opt['ready-file']}.tmp`, `${JSON.stringify(ready)}\n`);
  renameSync(`${opt['ready-file']}.tmp`, opt['ready-file']);
}
console.log(`READY ${JSON.stringify(ready)}`);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, async () => { await server.stop(); process.exit(0); });
}
