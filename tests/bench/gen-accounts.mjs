#!/usr/bin/env node
// gen-accounts.mjs FROM TO < account.json — prints accounts FROM..TO-1 (so with the real account
// as number 0, "1 N" makes N accounts in all) (one JSON per line, the
// format of lanyard_account_to_json) made from a real stored account: another `sub`, username and
// name, the id Lanyard derives from them (src/core/lanyard-account.c: "sha256:" + the first 32
// hex digits of SHA-256(iss "\n" sub)), and an older signed_in_at so the real account stays the
// newest, i.e. the default account. Tokens are copied, so every account has a valid access token.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [from, to] = process.argv.slice(2).map(Number);
const real = JSON.parse(readFileSync(0, 'utf8'));
const out = [];
for (let i = from; i < to; i++) {
  const a = structuredClone(real);
  const sub = `bench-user-${i}`;
  a.claims.sub = sub;
  a.claims.preferred_username = sub;
  a.claims.name = `Bench User ${i}`;
  if (a.claims.login_hint) a.claims.login_hint = `lh:${sub}`;
  a.id = `sha256:${createHash('sha256').update(`${a.claims.iss}\n${sub}`).digest('hex').slice(0, 32)}`;
  a.signed_in_at = real.signed_in_at - 3600 - i;
  out.push(JSON.stringify(a));
}
process.stdout.write(out.length ? `${out.join('\n')}\n` : '');
