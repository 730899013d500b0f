#!/usr/bin/env node
// lanyard-chromium-browser.mjs — a real browser for Lanyard's tests: Debian's Chromium, headless,
// driven by playwright-core (pinned by package-lock.json here; `npm ci` in this directory).
//
//   node lanyard-chromium-browser.mjs URL [--user alice] [--password password]
//        [--screenshot landed.png] [--page-text landed.txt] [--timeout 60]
//
// An authorization URL: opens it, signs in on tests/idp/idp.mjs's login page (#username,
// #password, #sign-in), approves its consent page (#approve), and waits until Chromium has landed
// on the redirect_uri taken from the URL — the app's loopback listener — and that page has loaded
// (the listener answers only after the code was redeemed and the ID token checked). Saves the
// landed page's text (--page-text) and a screenshot (--screenshot).
// A logout URL (…/session/end): confirms the provider's logout page (#logout-yes) if it asks.
//
// Prints one line per step on stdout, `LANDED <status> <url-without-query>` or
// `LOGGED_OUT <url-without-query>` at the end; exit status 0 on success.
//
// Environment: CHROMIUM = the browser binary (default /usr/lib/chromium/chromium — the real
// binary; /usr/bin/chromium is a shell wrapper that prints a harmless error).
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    user: { type: 'string', default: 'alice' },
    password: { type: 'string', default: 'password' },
    screenshot: { type: 'string' },
    'page-text': { type: 'string' },
    timeout: { type: 'string', default: '60' },
  },
});
const url = positionals[0];
if (!url || positionals.length !== 1) {
  console.error('usage: lanyard-chromium-browser.mjs URL [--screenshot FILE] [--page-text FILE]');
  process.exit(64);
}
const timeout = Number(o.timeout) * 1000;
const t0 = Date.now();
const say = (line) => console.log(`${line} (${Date.now() - t0} ms)`);
const withoutQuery = (u) => { const x = new URL(u); return `${x.origin}${x.pathname}`; };

// Quiet and self-contained: no sandbox (containers), no GPU, nothing fetched from the network
// that the test did not ask for.
const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
  '--disable-features=Translate,MediaRouter,OptimizationHints', '--metrics-recording-only',
  '--password-store=basic', '--use-mock-keychain'];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/lib/chromium/chromium',
  headless: true,
  args,
  timeout,
});
let rc = 1;
try {
  say(`chromium ${browser.version()} started`);
  const context = await browser.newContext({ viewport: { width: 800, height: 500 } });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  // Every request and navigation on stderr (the wrapper keeps it in <log>.debug), without queries.
  page.on('request', (r) => console.error(`request ${r.method()} ${withoutQuery(r.url())}`));
  page.on('requestfailed', (r) => console.error(`failed ${r.method()} ${withoutQuery(r.url())}: ${r.failure()?.errorText}`));
  page.on('response', (r) => console.error(`response ${r.status()} ${withoutQuery(r.url())}`));
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) console.error(`navigated ${withoutQuery(f.url())}`); });

  if (new URL(url).pathname.endsWith('/session/end')) {
    // The provider asks (#logout-yes) when this browser has a session there; without one it
    // submits the logout form by itself.
    const done = (u) => u.pathname.endsWith('/session/end/success') || !u.pathname.startsWith('/session/end');
    await page.goto(url);
    const what = await Promise.race([
      page.locator('#logout-yes').waitFor().then(() => 'ask', () => null),
      page.waitForURL(done).then(() => 'done', () => null),
    ]);
    if (what === 'ask') await Promise.all([page.waitForURL(done), page.locator('#logout-yes').click()]);
    else if (what === null) throw new Error(`the logout did not finish (at ${withoutQuery(page.url())})`);
    await page.waitForURL(done);
    say(`LOGGED_OUT ${withoutQuery(page.url())}`);
    rc = 0;
  } else {
    const redirectUri = new URL(url).searchParams.get('redirect_uri');
    if (!redirectUri) throw new Error('no redirect_uri in the URL');
    const landed = (u) => u.href.startsWith(redirectUri);
    // The loopback page is the answer to a form_post POST or a GET: keep its status either way.
    let landedStatus = 0;
    page.on('response', (r) => { if (landed(new URL(r.url())) && r.request().isNavigationRequest()) landedStatus = r.status(); });

    await page.goto(url);
    // Whichever comes first: the login page, the consent page, or the loopback page (reached by
    // a redirect or by the provider's auto-submitting form_post page).
    const settle = (what) => (err) => { console.error(`${what}: ${err.message.split('\n')[0]}`); return null; };
    const next = () => Promise.race([
      page.locator('#password').waitFor().then(() => 'login', settle('login')),
      page.locator('#approve').waitFor().then(() => 'consent', settle('consent')),
      page.waitForURL(landed).then(() => 'landed', settle('landed')),
    ]);
    for (let step = 0; ; step++) {
      const what = await next();
      if (what === 'landed') break;
      if (what === null || step >= 4) throw new Error(`did not reach ${redirectUri} (at ${withoutQuery(page.url())})`);
      if (what === 'login') {
        await page.locator('#username').fill(o.user);
        await page.locator('#password').fill(o.password);
        await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/login')), page.locator('#sign-in').click()]);
        say(`signed in on the provider's page as ${o.user}`);
      } else {
        await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/confirm')), page.locator('#approve').click()]);
        say('approved the consent page');
      }
    }
    await page.waitForURL(landed, { waitUntil: 'load' });
    const text = await page.locator('body').innerText();
    if (o['page-text']) writeFileSync(o['page-text'], text);
    if (o.screenshot) await page.screenshot({ path: o.screenshot });
    say(`LANDED ${landedStatus} ${withoutQuery(page.url())}`);
    rc = 0;
  }
} catch (err) {
  console.log(`ERROR ${err.message.split('\n')[0]}`);
  console.error(err);
} finally {
  await browser.close();
}
process.exit(rc);
