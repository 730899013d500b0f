#!/usr/bin/env node
// report.mjs OUT_DIR — turns the raw measurements of bench-session.sh into the benchmark report:
// a Markdown report on stdout (median and min–max of every metric, requests per sign-in, the
// goals as met/missed) and OUT_DIR/results.json (machine, versions, load, statistics, goals and
// every raw run). A report, never a test: it exits 0 whatever the numbers say.
import { execFileSync } from 'node:child_process';
import { cpus, release } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
if (!out) { console.error('usage: report.mjs OUT_DIR'); process.exit(2); }
const readJson = (f, d = {}) => (existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : d);
const config = readJson(join(out, 'config.json'));
const runs = readFileSync(join(out, 'raw.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const sh = (cmd, args) => { try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return null; } };
const pkgVersion = (dir) => readJson(join(dir, 'package.json'), {}).version ?? null;

// ---------------------------------------------------------------- statistics
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n === 0 ? null : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const stats = (xs) => { const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)); return v.length ? { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length } : null; };
const fmt = (s, scale = 1, digits = 0) => (s ? `${(s.median * scale).toFixed(digits)} (${(s.min * scale).toFixed(digits)}–${(s.max * scale).toFixed(digits)})` : 'n/a');
const ms = (s) => fmt(s, 1000, 0);
const mib = (s) => fmt(s, 1 / 1024, 1);
const ratio = (a, b) => (a && b && b.median > 0 ? a.median / b.median : null);
const rx = (r) => (r == null ? 'n/a' : `${r.toFixed(2)}×`);
const pick = (section, contender, extra = () => true) => runs.filter((r) => r.section === section && r.contender === contender && extra(r));

// ---------------------------------------------------------------- 1. sign-in + forced refresh
const FRONT = new Set(['authorization', 'resume', 'interaction', 'end_session', 'end_session_confirm', 'end_session_success']);
const SIGNIN = [
  ['lanyard-cold', 'Lanyard, cold cache (`sign-in` + `token --force-refresh`)'],
  ['lanyard-warm', 'Lanyard, warm cache (`sign-in` + `token --force-refresh`)'],
  ['msal', 'MSAL Node 7 (`acquireTokenInteractive` + `acquireTokenSilent({forceRefresh})`)'],
  ['curl', 'curl floor (no JWKS, no validation, no keyring)'],
];
const signin = {};
for (const [c, label] of SIGNIN) {
  const rs = pick('signin', c);
  if (!rs.length) continue;
  const browserWalk = (r) => (r.redirect != null && r.opened != null ? r.redirect - r.opened : null);
  const reqs = rs.map((r) => {
    const back = r.requests.filter((q) => !FRONT.has(q.route));
    const front = r.requests.filter((q) => FRONT.has(q.route));
    const isRefresh = (q) => q.route === 'token' && q.grant_type === 'refresh_token';
    const byRoute = {};
    for (const q of back) { const k = q.route === 'token' ? `token(${q.grant_type ?? '?'})` : q.route; byRoute[k] = (byRoute[k] ?? 0) + 1; }
    return { back: back.length, front: front.length, signinBack: back.filter((q) => !isRefresh(q)).length, refresh: back.filter(isRefresh).length, byRoute };
  });
  signin[c] = {
    label,
    runs: rs.length,
    wall_s: stats(rs.map((r) => r.wall_s)),
    wall_excl_browser_s: stats(rs.map((r) => (browserWalk(r) != null ? r.wall_s - browserWalk(r) : null))),
    cpu_s: stats(rs.map((r) => r.cpu_s)),
    maxrss_kb: stats(rs.map((r) => r.maxrss_kb)),
    open_to_tokens_s: stats(rs.map((r) => (r.tokens != null && r.opened != null ? r.tokens - r.opened : null))),
    redirect_to_tokens_s: stats(rs.map((r) => (r.tokens != null && r.redirect != null ? r.tokens - r.redirect : null))),
    browser_walk_s: stats(rs.map(browserWalk)),
    requests: {
      signin_back_channel: stats(reqs.map((q) => q.signinBack)),
      refresh_back_channel: stats(reqs.map((q) => q.refresh)),
      back_channel: stats(reqs.map((q) => q.back)),
      front_channel: stats(reqs.map((q) => q.front)),
      back_channel_routes_first_run: reqs[0].byRoute,
      constant: reqs.every((q) => JSON.stringify(q.byRoute) === JSON.stringify(reqs[0].byRoute) && q.front === reqs[0].front),
    },
  };
}

// ---------------------------------------------------------------- 3. silent token
const silentNs = [...new Set(runs.filter((r) => r.section === 'silent').map((r) => r.accounts))].sort((a, b) => a - b);
const silent = {};
for (const n of silentNs) {
  silent[n] = {};
  for (const c of ['lanyard-token', 'secret-tool', 'lanyard-token-account']) {
    const rs = pick('silent', c, (r) => r.accounts === n);
    if (!rs.length) continue;
    silent[n][c] = {
      runs: rs.length,
      wall_s: stats(rs.map((r) => r.wall_s)),
      cpu_s: stats(rs.map((r) => r.cpu_s)),
      maxrss_kb: stats(rs.map((r) => r.maxrss_kb)),
      provider_requests: stats(rs.map((r) => r.requests.length)),
    };
  }
}

// ---------------------------------------------------------------- 4. window
const window = {};
for (const c of ['bare', 'lanyard-app']) {
  const rs = pick('window', c);
  if (!rs.length) continue;
  window[c] = {
    runs: rs.length,
    exec_to_map_s: stats(rs.map((r) => (r.map > 0 ? r.map - r.exec : null))),
    exec_to_first_frame_s: stats(rs.map((r) => (r.first_frame > 0 ? r.first_frame - r.exec : null))),
    exec_to_settled_s: stats(rs.map((r) => (r.settled > 0 ? r.settled - r.exec : null))),
    gtk_after_paint_minus_x11_first_frame_s: stats(rs.map((r) => (r.gtk_after_paint ? r.gtk_after_paint - r.first_frame : null))),
    maxrss_kb: stats(rs.map((r) => r.maxrss_kb)),
    cpu_s: stats(rs.map((r) => r.cpu_s)),
    provider_requests: stats(rs.map((r) => r.provider_requests)),
  };
}

// ---------------------------------------------------------------- goals
const goals = [];
const goal = (name, value, limit, shown, met) => goals.push({ goal: name, value, limit, shown, met: value == null ? null : met });
const L = signin['lanyard-cold'], W = signin['lanyard-warm'], M = signin.msal, C = signin.curl;
for (const [tag, X] of [['cold', L], ['warm', W]]) {
  if (!X) continue;
  let r = ratio(X.wall_s, M?.wall_s); goal(`sign-in+refresh wall ≤ 0.35× MSAL (Lanyard ${tag} cache)`, r, 0.35, rx(r), r <= 0.35);
  r = ratio(X.cpu_s, M?.cpu_s); goal(`sign-in+refresh CPU ≤ 0.25× MSAL (Lanyard ${tag} cache)`, r, 0.25, rx(r), r <= 0.25);
  r = ratio(X.maxrss_kb, M?.maxrss_kb); goal(`sign-in+refresh peak RSS ≤ 0.25× MSAL (Lanyard ${tag} cache)`, r, 0.25, rx(r), r <= 0.25);
  r = ratio(X.wall_s, C?.wall_s); goal(`sign-in+refresh wall ≤ 1.3× curl (Lanyard ${tag} cache)`, r, 1.3, rx(r), r <= 1.3);
}
if (W) { const v = W.requests.signin_back_channel?.max; goal('warm cache: exactly 1 back-channel request per interactive sign-in', v, 1, `${v}${W.requests.constant ? '' : ' (varies)'}`, v === 1 && W.requests.signin_back_channel.min === 1); }
if (L) { const v = L.requests.signin_back_channel?.max; goal('cold cache: exactly 3 back-channel requests per interactive sign-in', v, 3, `${v}${L.requests.constant ? '' : ' (varies)'}`, v === 3 && L.requests.signin_back_channel.min === 3); }
if (silentNs.length) {
  for (const n of silentNs) {
    const r = ratio(silent[n]['lanyard-token']?.wall_s, silent[n]['secret-tool']?.wall_s);
    goal(`silent token ≤ 2× one keyring lookup (${n} account${n === 1 ? '' : 's'})`, r, 2, rx(r), r <= 2);
  }
  const lo = silentNs[0], hi = silentNs[silentNs.length - 1];
  if (hi > lo) {
    const r = ratio(silent[hi]['lanyard-token']?.wall_s, silent[lo]['lanyard-token']?.wall_s);
    goal(`silent token flat: ${hi} vs ${lo} account(s) ≤ 1.5×`, r, 1.5, rx(r), r <= 1.5);
  }
}
if (window.bare) {
  if (window['lanyard-app']) {
    let r = ratio(window['lanyard-app'].exec_to_first_frame_s, window.bare.exec_to_first_frame_s);
    goal('window: exec → first frame ≤ 1.25× bare window', r, 1.25, rx(r), r <= 1.25);
    r = ratio(window['lanyard-app'].maxrss_kb, window.bare.maxrss_kb);
    goal('window: peak RSS ≤ 1.25× bare window', r, 1.25, rx(r), r <= 1.25);
  } else {
    goal('window: exec → first frame ≤ 1.25× bare window', null, 1.25, 'app not built', null);
    goal('window: peak RSS ≤ 1.25× bare window', null, 1.25, 'app not built', null);
  }
}

// ---------------------------------------------------------------- machine, versions
const metaStart = readJson(join(out, 'meta-start.json'));
const metaEnd = readJson(join(out, 'meta-end.json'));
const dpkg = (p) => sh('dpkg-query', ['-W', '-f=${Version}', p]);
const machine = {
  nproc: cpus().length,
  cpu_model: cpus()[0]?.model ?? null,
  kernel: release(),
  load_average_before: metaStart.load_before ?? null,
  load_average_after: metaEnd.load_after ?? null,
  started: metaStart.started ?? null,
  finished: metaEnd.finished ?? null,
};
const versions = {
  lanyard: config.cli ? (sh(config.cli, ['--version']) ?? '').replace(/^lanyard-cli\s*/, '') || null : null,
  node: process.version,
  'msal-node': pkgVersion(join(config.root ?? '.', 'tests/bench/node_modules/@azure/msal-node')),
  'oidc-provider': pkgVersion(join(config.root ?? '.', 'tests/idp/node_modules/oidc-provider')),
  curl: (sh('curl', ['--version']) ?? '').split('\n')[0] || null,
  gtk: sh('pkg-config', ['--modversion', 'gtk4']),
  libadwaita: sh('pkg-config', ['--modversion', 'libadwaita-1']),
  glib: sh('pkg-config', ['--modversion', 'glib-2.0']),
  libsoup: sh('pkg-config', ['--modversion', 'libsoup-3.0']),
  libsecret: sh('pkg-config', ['--modversion', 'libsecret-1']),
  'gnome-keyring': dpkg('gnome-keyring'),
  xvfb: dpkg('xvfb'),
};

// ---------------------------------------------------------------- Markdown
const lines = [];
const p = (s = '') => lines.push(s);
p(`## Benchmark results${config.smoke ? ' (smoke run: 1 iteration, no warm-up — not for quoting)' : ''}`);
p();
p(`${machine.nproc} × ${machine.cpu_model}, Linux ${machine.kernel}; load average ${machine.load_average_before} before, ${machine.load_average_after} after. ` +
  `Lanyard ${versions.lanyard}, Node ${versions.node}, @azure/msal-node ${versions['msal-node']}, oidc-provider ${versions['oidc-provider']}, ` +
  `GTK ${versions.gtk}, libadwaita ${versions.libadwaita}, ${versions.curl?.split(' ').slice(0, 2).join(' ')}. ` +
  `${config.iterations} measured iteration(s) per contender, interleaved, after ${config.warmup} warm-up round(s). ` +
  'Cells: median (min–max).');
p();
p('### 1. Interactive sign-in + one forced refresh (oidc-provider over HTTPS on loopback, scripted browser)');
p();
p('| contender | wall ms | wall excl. browser ms | CPU ms (user+sys) | peak RSS MiB | browser open → tokens ms | browser delivers → tokens ms |');
p('|---|---|---|---|---|---|---|');
for (const [c] of SIGNIN) {
  const s = signin[c]; if (!s) continue;
  p(`| ${s.label} | ${ms(s.wall_s)} | ${ms(s.wall_excl_browser_s)} | ${ms(s.cpu_s)} | ${mib(s.maxrss_kb)} | ${ms(s.open_to_tokens_s)} | ${ms(s.redirect_to_tokens_s)} |`);
}
if (M && L && W && C) {
  p(`\nFor reference, without the browser's walk (wall excl. browser), Lanyard takes ${rx(ratio(L.wall_excl_browser_s, M.wall_excl_browser_s))} (cold) and ` +
    `${rx(ratio(W.wall_excl_browser_s, M.wall_excl_browser_s))} (warm) of MSAL's time, and ${rx(ratio(L.wall_excl_browser_s, C.wall_excl_browser_s))} (cold) and ` +
    `${rx(ratio(W.wall_excl_browser_s, C.wall_excl_browser_s))} (warm) of curl's.`);
}
if (M) p(`\nThe scripted browser's own walk through the provider's pages (open → it starts delivering the authorization response) took ${ms(M.browser_walk_s)} ms in the MSAL runs and ${ms(L?.browser_walk_s)} ms in the Lanyard cold runs; it is part of every contender's wall time.`);
p();
p('### 2. Provider requests per sign-in (from the provider\'s request log)');
p();
p('| contender | back-channel, sign-in | back-channel, refresh | front-channel (browser) | back-channel requests of one run |');
p('|---|---|---|---|---|');
for (const [c] of SIGNIN) {
  const s = signin[c]; if (!s) continue;
  const q = s.requests;
  const routes = Object.entries(q.back_channel_routes_first_run).map(([k, v]) => `${k} ${v}`).join(', ');
  p(`| ${c} | ${q.signin_back_channel?.median ?? 'n/a'} | ${q.refresh_back_channel?.median ?? 'n/a'} | ${q.front_channel?.median ?? 'n/a'} | ${routes}${q.constant ? '' : ' (varied between runs)'} |`);
}
p();
if (silentNs.length) {
  p('### 3. Silent token in a new process (valid cached access token) vs one keyring lookup');
  p();
  p('| accounts | `lanyard-cli token` wall ms | CPU ms | peak RSS MiB | `secret-tool lookup` wall ms | CPU ms | peak RSS MiB | ratio (wall) | `token --account ID` wall ms | provider requests |');
  p('|---|---|---|---|---|---|---|---|---|---|');
  for (const n of silentNs) {
    const t = silent[n]['lanyard-token'], s = silent[n]['secret-tool'], a = silent[n]['lanyard-token-account'];
    p(`| ${n} | ${ms(t?.wall_s)} | ${ms(t?.cpu_s)} | ${mib(t?.maxrss_kb)} | ${ms(s?.wall_s)} | ${ms(s?.cpu_s)} | ${mib(s?.maxrss_kb)} | ${rx(ratio(t?.wall_s, s?.wall_s))} | ${ms(a?.wall_s)} | ${t?.provider_requests?.max ?? 'n/a'} |`);
  }
  p();
}
p('### 4. The window under Xvfb (GSK_RENDERER=cairo): exec → first frame, peak RSS');
p();
p('| program | exec → mapped ms | exec → first frame ms | exec → settled ms | peak RSS MiB | CPU ms | provider requests |');
p('|---|---|---|---|---|---|---|');
for (const c of ['bare', 'lanyard-app']) {
  const w = window[c];
  const label = c === 'bare' ? 'bare AdwApplicationWindow (tests/bench/bare-window.c)' : 'Lanyard (signed-in page, 1 stored account)';
  if (!w) { if (c === 'lanyard-app') p(`| ${label} | not built | | | | | |`); continue; }
  p(`| ${label} | ${ms(w.exec_to_map_s)} | ${ms(w.exec_to_first_frame_s)} | ${ms(w.exec_to_settled_s)} | ${mib(w.maxrss_kb)} | ${ms(w.cpu_s)} | ${w.provider_requests?.max ?? 'n/a'} |`);
}
if (window.bare?.gtk_after_paint_minus_x11_first_frame_s) p(`\nCheck of the method: the bare window's own first GdkFrameClock after-paint came ${ms(window.bare.gtk_after_paint_minus_x11_first_frame_s)} ms after the X server reported its first drawing.`);
p();
// ---------------------------------------------------------------- --baseline
const baseline = [];
if (config.baseline_cli) {
  const pair = (label, section, c, metric, extra = () => true) => {
    const now = stats(pick(section, c, extra).map(metric));
    const base = stats(pick(section, `${c}-base`, extra).map(metric));
    baseline.push({ label, now, base, ratio: ratio(now, base) });
  };
  const ff = (r) => (r.first_frame > 0 ? r.first_frame - r.exec : null);
  pair('sign-in + refresh, cold cache: wall', 'signin', 'lanyard-cold', (r) => r.wall_s);
  pair('sign-in + refresh, cold cache: peak RSS', 'signin', 'lanyard-cold', (r) => r.maxrss_kb);
  pair('sign-in + refresh, warm cache: wall', 'signin', 'lanyard-warm', (r) => r.wall_s);
  pair('sign-in + refresh, warm cache: peak RSS', 'signin', 'lanyard-warm', (r) => r.maxrss_kb);
  for (const n of silentNs) {
    pair(`\`token\`, ${n} account(s): wall`, 'silent', 'lanyard-token', (r) => r.wall_s, (r) => r.accounts === n);
    pair(`\`token\`, ${n} account(s): peak RSS`, 'silent', 'lanyard-token', (r) => r.maxrss_kb, (r) => r.accounts === n);
  }
  if (config.baseline_app) {
    pair('app: exec → first frame', 'window', 'lanyard-app', ff);
    pair('app: peak RSS', 'window', 'lanyard-app', (r) => r.maxrss_kb);
  }
  p(`### Against the baseline build (${config.baseline_cli.replace(/\/src\/cli\/lanyard-cli$/, '')})`);
  p();
  p('| measure | this build | baseline | ratio |');
  p('|---|---|---|---|');
  for (const b of baseline) {
    const f = /RSS/.test(b.label) ? mib : ms;
    p(`| ${b.label} | ${f(b.now)} | ${f(b.base)} | ${rx(b.ratio)} |`);
  }
  p();
}
p('### Goals (ratios of medians, same run)');
p();
p('| goal | value | result |');
p('|---|---|---|');
for (const g of goals) p(`| ${g.goal} | ${g.shown} | ${g.met == null ? 'not measured' : g.met ? 'met' : '**missed**'} |`);
p();
p(`Raw runs: ${join(out, 'raw.jsonl')}; per-run files: ${join(out, 'runs')}; JSON: ${join(out, 'results.json')}.`);

const report = lines.join('\n');
writeFileSync(join(out, 'report.md'), `${report}\n`);
writeFileSync(join(out, 'results.json'), `${JSON.stringify({ config, machine, versions, signin, silent, window, baseline, goals, runs }, null, 2)}\n`);
console.log(report);
