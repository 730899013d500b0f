#!/usr/bin/env node
// Lanyard's test OpenID Provider: oidc-provider 9.13.3 (pinned by package-lock.json) configured as
// a loopback OpenID Provider for a native public client (RFC 8252): PKCE, refresh tokens,
// revocation (RFC 7009), RP-initiated logout, RFC 9207 `iss`, a `login_hint` claim, and
// self-contained login/consent pages (no external resources) with stable element ids.
//
// Needs Node >= 20 (Node 20 prints "Unsupported runtime" — harmless; Node 18 fails with
// "URL.parse is not a function"). Install with `npm ci` in this directory.
//
// Usage:
//   node idp.mjs [--port 0] [--host 127.0.0.1] [--issuer-host HOST]
//                [--tls-cert cert.pem --tls-key key.pem] [--ready-file FILE] [--dev-interactions]
//                [--issuer-path /TENANT-GUID/v2.0]
// --issuer-path puts the provider under a path, as Entra's issuers are
// (`https://login.example/<tenant>/v2.0`): with `/<GUID>/v2.0`, the authority
// `http://127.0.0.1:PORT/<GUID>` is an Entra-shaped one to Lanyard (discovery at
// `<authority>v2.0/.well-known/openid-configuration`). The login pages stay at the root.
// Prints one line `READY {"issuer":...,"port":...}` on stdout once listening (and writes the same
// JSON to --ready-file, atomically). Port 0 = ephemeral. SIGTERM/SIGINT -> clean exit.
//
// Environment knobs (all optional):
//   IDP_CLIENT_ID        client_id of the public native client   (default dev.lanyard.Lanyard.Test)
//   IDP_REDIRECT_URIS    comma list; loopback http URIs match ANY port
//                        (default http://127.0.0.1/,http://localhost/,http://[::1]/)
//   IDP_ACCOUNTS         JSON {"login":{"password":"..","name":"..","email":"..","username":"..",
//                        "claims":{...more profile claims: lanyard_test_number, lanyard_test_text, oid, tid}},...}
//                        (default alice and bob, password "password")
//   IDP_AT_TTL, IDP_ID_TTL, IDP_RT_TTL, IDP_SESSION_TTL  seconds (3600, 3600, 14 days, 14 days)
//   IDP_ROTATE_RT        "0" disables refresh-token rotation (default: rotate on every use)
//   IDP_DEVICE_TTL       seconds a device code (RFC 8628 device flow) lives (default 600)
//   IDP_KEEP_OFFLINE_ACCESS  "0" = stock oidc-provider behaviour (drop offline_access unless the
//                        request has prompt=consent). Default: the provider adds `consent` to the
//                        prompt of such requests, so refresh tokens are issued as Entra does.
//   IDP_REQUEST_LOG      file; every request is appended as one JSON line
//                        {"method","path","route","status"[,"grant_type"]} — the path only, never
//                        the query or a body value other than grant_type. Routes are
//                        oidc-provider's names (discovery, jwks, authorization, resume, token,
//                        revocation, end_session, end_session_confirm, end_session_success,
//                        userinfo, ...) plus "interaction" for the login/consent pages and
//                        "other" for anything else.
//   IDP_SECRETS_LOG      file (ONLY for the no-secrets-in-logs test): for every token and
//                        revocation request, one JSON line with the secret values that went over
//                        the wire (code, code_verifier, device_code, refresh/access/ID tokens), so a test can
//                        assert the client never logs any of them
//   IDP_DEMO             "1" prints the demo account(s) on stderr once ready
//   DEBUG=oidc-provider:* for library debug output
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import Provider, { errors } from 'oidc-provider';

const { values: opt } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.IDP_PORT || '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'issuer-host': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'ready-file': { type: 'string' },
    'dev-interactions': { type: 'boolean', default: false },
    'issuer-path': { type: 'string', default: '' },
  },
});

const log = (...a) => console.error(new Date().toISOString(), '[idp]', ...a);
const html = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const env = process.env;
const num = (v, d) => (v === undefined || v === '' ? d : Number(v));

// ---------------------------------------------------------------- accounts
const ACCOUNTS = env.IDP_ACCOUNTS ? JSON.parse(env.IDP_ACCOUNTS) : {
  alice: { password: 'password', name: 'Alice Example', email: 'alice@example.test' },
  bob: { password: 'password', name: 'Bob Example', email: 'bob@example.test' },
};
function accountFor(id) {
  const a = ACCOUNTS[id] ?? (opt['dev-interactions'] ? { name: id } : undefined);
  if (!a) return undefined;
  return {
    accountId: id,
    async claims(use, scope) {
      return {
        sub: id,
        name: a.name ?? id,
        preferred_username: a.username ?? id,
        email: a.email ?? `${id}@example.test`,
        email_verified: true,
        // Entra-style opaque login_hint claim: the RP passes it back as logout_hint
        login_hint: `lh:${id}`,
        // IDP_ACCOUNTS may give an account more claims (hostile text, odd numbers)
        ...(a.claims ?? {}),
      };
    },
  };
}

// ---------------------------------------------------------------- pages (no external resources)
const page = (title, body) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${html(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:28em;margin:2em auto}input,button{display:block;width:100%;margin:.4em 0;padding:.5em;box-sizing:border-box}.err{color:#b00}</style>
</head><body><h1>${html(title)}</h1>${body}</body></html>`;

function loginPage(uid, params, error) {
  return page('Sign-in', `${error ? `<p class="err" id="error">${html(error)}</p>` : ''}
<form id="login-form" method="post" action="/interaction/${html(uid)}/login" autocomplete="off">
  <input id="username" name="login" type="text" placeholder="Username" required value="${html(params.login_hint ?? '')}">
  <input id="password" name="password" type="password" placeholder="Password" required>
  <button id="sign-in" type="submit">Sign-in</button>
</form>
<p><a id="cancel" href="/interaction/${html(uid)}/abort">Cancel</a></p>`);
}

function consentPage(uid, client, details, params) {
  const scopes = [...new Set([...(details.missingOIDCScope ?? [])])];
  return page('Authorize', `<p>Application <b id="client">${html(client.clientName ?? client.clientId)}</b> requests:</p>
<ul id="scopes">${scopes.map((s) => `<li>${html(s)}</li>`).join('')}</ul>
${params.scope?.includes('offline_access') ? '<p id="offline">…including offline access (a refresh token).</p>' : ''}
<form id="consent-form" method="post" action="/interaction/${html(uid)}/confirm">
  <button id="approve" type="submit" autofocus>Continue</button>
</form>
<p><a id="cancel" href="/interaction/${html(uid)}/abort">Cancel</a></p>`);
}

// The device flow's pages (RFC 8628): enter the code, confirm it, done.
function deviceInputPage(ctx, form, out, err) {
  const msg = err ? `<p class="err" id="error">${html(err.userCode ? 'The code you entered is incorrect' : err.name === 'AbortedError' ? 'The sign-in was aborted' : 'Something went wrong')}</p>`
    : '<p id="prompt">Enter the code displayed on your device</p>';
  ctx.body = page('Sign in on another device', `${msg}${form}
<button id="continue" type="submit" form="op.deviceInputForm">Continue</button>`);
}
function deviceConfirmPage(ctx, form, client, deviceInfo, userCode) {
  ctx.body = page('Confirm device', `<p>Application <b id="client">${html(client.clientName ?? client.clientId)}</b>
shows the code <code id="user-code">${html(userCode)}</code>.</p>${form}
<button id="confirm" type="submit" form="op.deviceConfirmForm">Continue</button>
<button id="abort" type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>`);
}
function deviceSuccessPage(ctx) {
  ctx.body = page('Signed in', '<p id="device-success">You are signed in on your device. You can close this page.</p>');
}

// ---------------------------------------------------------------- server + provider
const useTls = Boolean(opt['tls-cert'] && opt['tls-key']);
let handler = (req, res) => { res.statusCode = 503; res.end('starting'); };
const server = useTls
  ? createHttpsServer({ cert: readFileSync(opt['tls-cert']), key: readFileSync(opt['tls-key']) }, (q, s) => handler(q, s))
  : createHttpServer((q, s) => handler(q, s));

await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(opt.port), opt.host, resolve);
});
const { port } = server.address();
const issuerHost = opt['issuer-host'] ?? opt.host;
const issuerPath = opt['issuer-path'].replace(/\/+$/, '');
const issuer = `${useTls ? 'https' : 'http'}://${issuerHost.includes(':') ? `[${issuerHost}]` : issuerHost}:${port}${issuerPath}`;

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
const clientId = env.IDP_CLIENT_ID || 'dev.lanyard.Lanyard.Test';
const redirectUris = (env.IDP_REDIRECT_URIS || 'http://127.0.0.1/,http://localhost/,http://[::1]/').split(',').map((s) => s.trim()).filter(Boolean);

// ---- APIs (RFC 8707 resource indicators): an access token asked for an API's scopes is a JWT for
// that API (aud = its resource indicator), signed with the provider's key, so that a resource
// server (tests/idp/resource-server.mjs) can validate it as an API does. Which API a request is for
// follows from its scopes: the scopes name their resource, as Entra's do.
const AT_TTL = num(env.IDP_AT_TTL, 3600);
const RESOURCES = {
  'https://api-a.lanyard.test/': ['api-a:read', 'api-a:write'],
  'https://api-b.lanyard.test/': ['api-b:read'],
  // Microsoft Graph's resource, for a fake Graph (resource-server.mjs --audience
  // https://graph.microsoft.com/): User.Read names it, as at Entra.
  'https://graph.microsoft.com/': ['User.Read'],
};
const resourcesFor = (scope) => Object.keys(RESOURCES)
  .filter((r) => String(scope ?? '').split(' ').some((s) => RESOURCES[r].includes(s)));
// An authorization may ask for several APIs' scopes (its refresh token then serves all of them, as
// Entra's multi-resource refresh tokens do); a token request gets one API's token.
const defaultResource = async (ctx, client, oneOf) => {
  const named = resourcesFor(ctx.oidc.params?.scope);
  if (ctx.oidc.route === 'authorization' && named.length > 1) return named;
  return named[0] ?? oneOf?.[0];
};

const configuration = {
  clients: [{
    client_id: clientId,
    client_name: 'Lanyard Test',
    application_type: 'native',            // loopback http redirect URIs match with ANY port (RFC 8252 §7.3)
    token_endpoint_auth_method: 'none',    // public client: PKCE is mandatory
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code'],
    redirect_uris: redirectUris,
    post_logout_redirect_uris: redirectUris,
  }],
  jwks: { keys: [{ ...signingKey, kid: 'test-rs256', use: 'sig', alg: 'RS256' }] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  findAccount: (ctx, sub) => accountFor(sub),
  claims: {
    openid: ['sub', 'login_hint'],
    // oid/tid: only when IDP_ACCOUNTS gives them (an Entra-style id another provider asserts too)
    profile: ['name', 'preferred_username', 'lanyard_test_number', 'lanyard_test_text', 'oid', 'tid'],
    email: ['email', 'email_verified'],
  },
  scopes: ['openid', 'offline_access', 'profile', 'email'],
  conformIdTokenClaims: false,             // profile/email/login_hint claims go into the ID token
  pkce: { required: () => true },          // S256 only in v9
  features: {
    devInteractions: { enabled: opt['dev-interactions'] },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out', `<p>Do you want to sign out from ${html(ctx.host)}?</p>${form}
<button id="logout-yes" type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button id="logout-no" type="submit" form="op.logoutForm">No, stay signed in</button>`);
      },
      postLogoutSuccessSource: async (ctx) => { ctx.body = page('Signed out', '<p id="signed-out">You have been signed out.</p>'); },
    },
    revocation: { enabled: true },
    // OpenID Connect Core §5.5: `claims` on the authorization request (an API's claims
    // challenge, passed on by the client as MSAL does); a claim asked for there goes into the
    // ID token once consented, whatever the scopes.
    claimsParameter: { enabled: true },
    deviceFlow: {
      enabled: true,
      userCodeInputSource: async (ctx, form, out, err) => deviceInputPage(ctx, form, out, err),
      userCodeConfirmSource: async (ctx, form, client, deviceInfo, userCode) => deviceConfirmPage(ctx, form, client, deviceInfo, userCode),
      successSource: async (ctx) => deviceSuccessPage(ctx),
    },
    introspection: { enabled: true },
    userinfo: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource,
      // A refresh whose scopes name no API (`openid profile`) gets the provider's own token,
      // the one its userinfo endpoint takes; one naming an API, or a code redemption (no
      // scope parameter), that API's.
      useGrantedResource: async (ctx) => ctx.oidc.params?.scope === undefined
        || resourcesFor(ctx.oidc.params.scope).length > 0,
      getResourceServerInfo: async (ctx, resource) => {
        if (!RESOURCES[resource]) throw new errors.InvalidTarget();
        return {
          scope: RESOURCES[resource].join(' '),
          audience: resource,
          accessTokenTTL: AT_TTL,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  ttl: {
    AccessToken: AT_TTL,
    IdToken: num(env.IDP_ID_TTL, 3600),
    RefreshToken: num(env.IDP_RT_TTL, 14 * 24 * 3600),
    Session: num(env.IDP_SESSION_TTL, 14 * 24 * 3600),
    Grant: num(env.IDP_RT_TTL, 14 * 24 * 3600),
    Interaction: 3600,
    AuthorizationCode: 60,
    DeviceCode: num(env.IDP_DEVICE_TTL, 600),
  },
  renderError: async (ctx, out, error) => {
    ctx.type = 'html';
    ctx.body = page('Error', `<pre id="error">${html(JSON.stringify(out, null, 2))}</pre>`);
  },
};
if (env.IDP_ROTATE_RT === '0') configuration.rotateRefreshToken = false;

const provider = new Provider(issuer, configuration);

for (const ev of ['server_error', 'authorization.error', 'grant.error', 'end_session.error', 'userinfo.error',
  'revocation.error', 'refresh_token.consumed', 'grant.success', 'end_session.success', 'interaction.ended', 'grant.revoked']) {
  provider.on(ev, (ctx, err) => log(ev, err instanceof Error ? `${err.name}: ${err.message} ${err.error_description ?? ''}` : (ctx?.oidc?.route ?? '')));
}

// ---- request log: one JSON line per request, written before the response is sent, so a test
// that has seen the response (or the client process exit) finds the line already in the file.
const requestLog = env.IDP_REQUEST_LOG;
if (requestLog) {
  provider.use(async (ctx, next) => {
    try {
      await next();
    } finally {
      let route = ctx.oidc?.route ?? ctx._matchedRouteName;
      if (!route) route = ctx.path.startsWith('/interaction/') ? 'interaction' : 'other';
      const entry = { method: ctx.method, path: ctx.path, route, status: ctx.status };
      const gt = ctx.oidc?.params?.grant_type;
      if (route === 'token' && typeof gt === 'string') entry.grant_type = gt;
      const claims = ctx.oidc?.params?.claims;
      if (route === 'authorization' && typeof claims === 'string') entry.claims = claims;
      try { appendFileSync(requestLog, `${JSON.stringify(entry)}\n`); } catch (e) { log('request log:', e.message); }
    }
  });
}
const secretsLog = env.IDP_SECRETS_LOG;
if (secretsLog) {
  provider.use(async (ctx, next) => {
    await next();
    const route = ctx.oidc?.route;
    if (route !== 'token' && route !== 'revocation') return;
    const pick = (o, keys) => Object.fromEntries(keys.filter((k) => typeof o?.[k] === 'string').map((k) => [k, o[k]]));
    const body = ctx.body && typeof ctx.body === 'object' && !Buffer.isBuffer(ctx.body) ? ctx.body : {};
    const entry = {
      route,
      status: ctx.status,
      grant_type: ctx.oidc.params?.grant_type,
      request: pick(ctx.oidc.params, ['code', 'code_verifier', 'refresh_token', 'token', 'device_code']),
      response: pick(body, ['access_token', 'refresh_token', 'id_token']),
    };
    try { appendFileSync(secretsLog, `${JSON.stringify(entry)}\n`); } catch (e) { log('secrets log:', e.message); }
  });
}

// ---- offline_access without prompt=consent: oidc-provider silently drops it (and so issues no
// refresh token); Entra does issue one. Add `consent` to the prompt of such requests.
// (the paths as the middleware sees them: without --issuer-path)
const authPath = new URL(provider.urlFor('authorization')).pathname.slice(issuerPath.length);
if (env.IDP_KEEP_OFFLINE_ACCESS !== '0') {
  provider.use(async (ctx, next) => {
    if (ctx.path === authPath && ctx.method === 'GET') {
      const q = { ...ctx.query };
      const scopes = String(q.scope ?? '').split(' ');
      const prompts = String(q.prompt ?? '').split(' ').filter(Boolean);
      if (scopes.includes('offline_access') && !prompts.includes('consent') && !prompts.includes('none')) {
        q.prompt = [...prompts, 'consent'].join(' ');
        ctx.query = q;
      }
    }
    return next();
  });
}

// The same for the device authorization request (RFC 8628), whose parameters come in a form
// body: read it here and hand oidc-provider the parsed form.
const deviceAuthPath = new URL(provider.urlFor('device_authorization')).pathname.slice(issuerPath.length);
if (env.IDP_KEEP_OFFLINE_ACCESS !== '0') {
  provider.use(async (ctx, next) => {
    if (ctx.path === deviceAuthPath && ctx.method === 'POST' && ctx.is('application/x-www-form-urlencoded')) {
      const form = await readForm(ctx.req);
      const scopes = String(form.scope ?? '').split(' ');
      const prompts = String(form.prompt ?? '').split(' ').filter(Boolean);
      if (scopes.includes('offline_access') && !prompts.includes('consent')) form.prompt = [...prompts, 'consent'].join(' ');
      ctx.req.body = form;
    }
    return next();
  });
}

// ---- custom interactions (stable element ids for curl and browsers; checks the password)
async function readForm(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

if (!opt['dev-interactions']) {
  provider.use(async (ctx, next) => {
    const m = ctx.path.match(/^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/);
    if (!m) return next();
    const [, uid, action] = m;
    ctx.set('cache-control', 'no-store');
    try {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      if (details.uid !== uid) ctx.throw(400, 'interaction uid mismatch');
      const { prompt, params, session } = details;
      const client = await provider.Client.find(params.client_id);

      if (!action && ctx.method === 'GET') {
        ctx.type = 'html';
        ctx.body = prompt.name === 'login' ? loginPage(uid, params) : consentPage(uid, client, prompt.details, params);
        return undefined;
      }
      if (action === 'abort' && ctx.method === 'GET') {
        const to = await provider.interactionResult(ctx.req, ctx.res,
          { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
        ctx.status = 303; ctx.redirect(to); return undefined;
      }
      if (action === 'login' && ctx.method === 'POST') {
        if (prompt.name !== 'login') ctx.throw(400, `expected prompt login, got ${prompt.name}`);
        const form = await readForm(ctx.req);
        const acc = ACCOUNTS[form.login];
        if (!acc || acc.password !== form.password) {
          ctx.status = 401; ctx.type = 'html';
          ctx.body = loginPage(uid, { login_hint: form.login }, 'Invalid username or password');
          return undefined;
        }
        const to = await provider.interactionResult(ctx.req, ctx.res,
          { login: { accountId: form.login, remember: true } }, { mergeWithLastSubmission: false });
        ctx.status = 303; ctx.redirect(to); return undefined;
      }
      if (action === 'confirm' && ctx.method === 'POST') {
        if (prompt.name !== 'consent') ctx.throw(400, `expected prompt consent, got ${prompt.name}`);
        await readForm(ctx.req);
        const grant = details.grantId
          ? await provider.Grant.find(details.grantId)
          : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
        const d = prompt.details;
        if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
        if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
        if (d.missingResourceScopes) for (const [ind, sc] of Object.entries(d.missingResourceScopes)) grant.addResourceScope(ind, sc.join(' '));
        const grantId = await grant.save();
        const to = await provider.interactionResult(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
        ctx.status = 303; ctx.redirect(to); return undefined;
      }
      ctx.throw(405, 'method not allowed');
    } catch (err) {
      if (err instanceof errors.SessionNotFound) {
        ctx.status = 400; ctx.type = 'html';
        ctx.body = page('Error', '<pre id="error">interaction session not found (cookies lost or expired)</pre>');
        return undefined;
      }
      throw err;
    }
    return undefined;
  });
}

const callback = provider.callback();
// Mounted under --issuer-path as Express would: oidc-provider takes the mount path from
// originalUrl. Everything else (the login pages) is served from the root as before.
handler = !issuerPath ? callback : (req, res) => {
  if (req.url === issuerPath || req.url.startsWith(`${issuerPath}/`) || req.url.startsWith(`${issuerPath}?`)) {
    req.originalUrl = req.url;
    req.url = req.url.slice(issuerPath.length) || '/';
  }
  return callback(req, res);
};

const ready = { issuer, port, tls: useTls, client_id: clientId, redirect_uris: redirectUris, pid: process.pid };
if (opt['ready-file']) {
  writeFileSync(`${opt['ready-file']}.tmp`, `${JSON.stringify(ready)}\n`);
  renameSync(`${opt['ready-file']}.tmp`, opt['ready-file']);
}
console.log(`READY ${JSON.stringify(ready)}`);
log('listening', issuer);
if (env.IDP_DEMO === '1') {
  const names = Object.entries(ACCOUNTS).map(([login, a]) => `${login} / ${a.password}`).join(', ');
  console.error(`Demo OpenID provider: ${issuer}  client_id: ${clientId}  accounts: ${names}`);
}

const stop = (sig) => {
  log('got', sig, '- shutting down');
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
