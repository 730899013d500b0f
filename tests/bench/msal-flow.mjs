#!/usr/bin/env node
// msal-flow.mjs — the MSAL Node contender of Lanyard's benchmarks: what the Electron + MSAL Node
// desktop sample does for a sign-in, done by a plain Node process (Electron itself cannot be
// installed here). PublicClientApplication.acquireTokenInteractive (MSAL's own loopback listener,
// response_mode=form_post, PKCE), then acquireTokenSilent({ forceRefresh: true }).
//
//   node msal-flow.mjs --authority https://127.0.0.1:PORT --client-id ID [--browser PATH]
//
// The CA of a test provider comes from NODE_EXTRA_CA_CERTS (MSAL has no CA option). The browser
// is spawned with the URL as its only argument, like lanyard-cli's $BROWSER. When
// LANYARD_BENCH_DONE_LOG is set, the wall-clock time at which acquireTokenInteractive returned its
// tokens is appended to it ("TOKENS <epoch seconds>") — the end of "browser open -> tokens".
// Exits 0 on success, 1 on any failure (the message names the step).
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PublicClientApplication, LogLevel } from '@azure/msal-node';

const { values: opt } = parseArgs({
  options: {
    authority: { type: 'string' },
    'client-id': { type: 'string' },
    browser: { type: 'string', default: process.env.BROWSER },
    scope: { type: 'string', multiple: true, default: [] },
  },
});
if (!opt.authority || !opt['client-id'] || !opt.browser) {
  console.error('usage: msal-flow.mjs --authority URL --client-id ID [--browser PATH]');
  process.exit(2);
}

const now = () => ((performance.timeOrigin + performance.now()) / 1000).toFixed(6);
const authority = new URL(opt.authority);

const pca = new PublicClientApplication({
  auth: {
    clientId: opt['client-id'],
    authority: opt.authority,
    knownAuthorities: [authority.host],   // a non-Microsoft authority must be listed as known
  },
  system: {
    protocolMode: 'OIDC',
    loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: (l, m) => console.error(m) },
  },
});

function openBrowser(url) {
  return new Promise((resolve, reject) => {
    const child = spawn(opt.browser, [url], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the browser exited with ${code}`))));
  });
}

let step = 'acquireTokenInteractive';
try {
  // MSAL adds openid, profile and offline_access to every request by itself.
  const scopes = opt.scope.length ? opt.scope : ['openid', 'profile', 'offline_access'];
  const interactive = await pca.acquireTokenInteractive({
    scopes,
    openBrowser,
    successTemplate: 'Signed in. You can close this window.',
    errorTemplate: 'Sign-in failed. You can close this window.',
  });
  if (process.env.LANYARD_BENCH_DONE_LOG) appendFileSync(process.env.LANYARD_BENCH_DONE_LOG, `TOKENS ${now()}\n`);
  if (!interactive?.idToken || !interactive.account) throw new Error('no ID token or account in the result');

  step = 'acquireTokenSilent(forceRefresh)';
  const silent = await pca.acquireTokenSilent({ account: interactive.account, scopes, forceRefresh: true });
  if (!silent?.accessToken) throw new Error('no access token after the refresh');
  if (silent.accessToken === interactive.accessToken) throw new Error('the access token was not refreshed');
  console.log(JSON.stringify({ username: interactive.account.username, refreshed: true }));
  process.exit(0);
} catch (e) {
  console.error(`msal-flow: ${step} failed: ${e?.errorCode ?? e?.name ?? 'error'}: ${e?.message ?? e}`);
  process.exit(1);
}
