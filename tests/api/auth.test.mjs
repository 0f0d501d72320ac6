// Authentication (every 401 case of the conventions), scopes (403) and whoami.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  ADMIN_SCOPES, TIME_RE, TOKEN_RE, UUID7_RE, assertJson, assertProblem, assertTimeNear,
  assertUnauthorized, listAll, randomToken, runCli, startServer,
} from './harness.mjs';

async function createToken(s, body) {
  const r = await s.api('POST', '/api/v1/tokens', { body });
  const j = assertJson(r, 201);
  assert.match(j.token, TOKEN_RE);
  return j;
}

async function createUser(s, body) {
  const r = await s.api('POST', '/api/v1/users', { body });
  return assertJson(r, 201);
}

describe('authentication and authorisation', { timeout: 90_000 }, () => {
  let s;
  before(async () => { s = await startServer(); }, { timeout: 20_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('whoami with the admin token: user, agency, token and scopes', async () => {
    const r = await s.api('GET', '/api/v1/whoami');
    const j = assertJson(r, 200);
    assert.deepEqual(Object.keys(j).sort(), ['agency', 'scopes', 'token', 'user']);
    assert.equal(j.user.role, 'admin');
    assert.equal(j.user.name, 'admin');
    assert.equal(j.user.disabled, false);
    assert.match(j.user.id, UUID7_RE);
    assert.equal(j.user.agency_id, j.agency.id);
    assert.equal(j.agency.slug, 'demo');
    assert.equal(j.agency.name_th, 'หน่วยงานสาธิต');
    assert.match(j.agency.id, UUID7_RE);
    if (s.init.user?.id) assert.equal(j.user.id, s.init.user.id);
    if (s.init.agency?.id) assert.equal(j.agency.id, s.init.agency.id);
    assert.match(j.token.id, UUID7_RE);
    assert.equal(typeof j.token.name, 'string');
    assert.ok('expires_at' in j.token);
    assert.ok(j.token.expires_at === null || TIME_RE.test(j.token.expires_at));
    assert.ok(!('token' in j.token), 'whoami must not return the secret');
    assert.ok(!r.text.includes(s.token), 'whoami body contains the secret');
    assert.ok(Array.isArray(j.scopes));
    assert.ok(j.scopes.includes('self'));
    assert.ok(j.scopes.includes('agency:write'));
    assert.deepEqual([...j.scopes].sort(), [...ADMIN_SCOPES].sort());
  });

  it('401 missing bearer token', async () => {
    assertUnauthorized(await s.api('GET', '/api/v1/whoami', { token: null }), 'missing bearer token');
    // a protected route other than whoami, without a token, is 401 (not 403)
    assertUnauthorized(await s.api('GET', '/api/v1/agencies', { token: null }), 'missing bearer token');
  });

  it('401 malformed bearer token, in several shapes', async () => {
    const valid43 = randomToken().slice(4);
    const shapes = [
      'Basic x',
      'Basic YWRtaW46YWRtaW4=',
      'Bearer',
      'Bearer khm_short',
      `Token khm_${valid43}`,
      `khm_${valid43}`,
      `Bearer khx_${valid43}`,
      `Bearer KHM_${valid43}`,
      `Bearer ${valid43}`,
      `Bearer khm_${valid43.slice(0, 42)}`,
      `Bearer khm_${valid43}A`,
      `Bearer khm_${valid43.slice(0, 42)}+`,
      `Bearer khm_${valid43.slice(0, 42)}=`,
      `Bearer khm_${valid43.slice(0, 42)}/`,
      `Bearer khm_${valid43} extra`,
      `Bearer ${s.token}x`,
    ];
    for (const auth of shapes) {
      const r = await s.api('GET', '/api/v1/whoami', { headers: { authorization: auth } });
      assert.equal(r.status, 401, `Authorization: ${auth} → ${r.status} ${r.text}`);
      assertUnauthorized(r, 'malformed bearer token');
    }
  });

  it('the auth scheme is case-insensitive (RFC 7235): "bearer" and "BEARER" work', async () => {
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      const r = await s.api('GET', '/api/v1/whoami', { headers: { authorization: `${scheme} ${s.token}` } });
      assert.equal(r.status, 200, `${scheme}: ${r.text}`);
      assert.equal(r.json.user.name, 'admin');
    }
  });

  it('401 unknown token (well-formed, never issued, or one character changed)', async () => {
    assertUnauthorized(await s.api('GET', '/api/v1/whoami', { token: randomToken() }), 'unknown token');
    // change a middle character, so the token stays canonical base64url
    const i = 20;
    const flipped = s.token.slice(0, i) + (s.token[i] === 'A' ? 'B' : 'A') + s.token.slice(i + 1);
    assertUnauthorized(await s.api('GET', '/api/v1/whoami', { token: flipped }), 'unknown token');
  });

  it('expires_in: 60 gives expires_at ≈ now + 60 s', async () => {
    const t = await createToken(s, { user: 'admin', name: 'short', expires_in: 60 });
    assertTimeNear(t.expires_at, Date.now() + 60_000, 5_000, 'expires_at');
    const span = Date.parse(t.expires_at) - Date.parse(t.created_at);
    assert.ok(Math.abs(span - 60_000) <= 1_000, `expires_at - created_at = ${span} ms`);
    const w = await s.api('GET', '/api/v1/whoami', { token: t.token });
    assert.equal(w.status, 200, w.text);
    assert.equal(w.json.token.id, t.id);
    assert.equal(w.json.token.expires_at, t.expires_at);
  });

  it('401 token revoked, on the next request after DELETE', async () => {
    const t = await createToken(s, { user: 'admin', name: 'to-revoke' });
    assert.equal((await s.api('GET', '/api/v1/whoami', { token: t.token })).status, 200);
    const d = await s.api('DELETE', `/api/v1/tokens/${t.id}`);
    assertJson(d, 200);
    assertUnauthorized(await s.api('GET', '/api/v1/whoami', { token: t.token }), 'token revoked');
    assertUnauthorized(await s.api('GET', '/api/v1/agencies', { token: t.token }), 'token revoked');
    // the admin token is unaffected
    assert.equal((await s.api('GET', '/api/v1/whoami')).status, 200);
  });

  it('401 on the next request after `khomun token revoke` in another process (cached token)', async () => {
    const t = await createToken(s, { user: 'admin', name: 'cli-revoke' });
    // warm the server's principal cache: several hits on the same token
    for (let i = 0; i < 5; i++) {
      assert.equal((await s.api('GET', '/api/v1/whoami', { token: t.token })).status, 200);
    }
    const cli = runCli(['token', 'revoke', t.id], { dataDir: s.dataDir });
    assert.equal(cli.status, 0, cli.stderr);
    assertUnauthorized(await s.api('GET', '/api/v1/whoami', { token: t.token }), 'token revoked');
    assert.equal((await s.api('GET', '/api/v1/whoami')).status, 200);
  });

  it('401 user disabled; enabling the user restores the token', async () => {
    const u = await createUser(s, { name: 'disable-me', agency: 'demo', role: 'steward' });
    const t = await createToken(s, { user: u.id });
    assert.equal((await s.api('GET', '/api/v1/whoami', { token: t.token })).status, 200);
    const d = await s.api('POST', `/api/v1/users/${u.id}/disable`);
    assert.equal(assertJson(d, 200).disabled, true);
    assertUnauthorized(await s.api('GET', '/api/v1/whoami', { token: t.token }), 'user disabled');
    const e = await s.api('POST', `/api/v1/users/${u.id}/enable`);
    assert.equal(assertJson(e, 200).disabled, false);
    const w = await s.api('GET', '/api/v1/whoami', { token: t.token });
    assert.equal(w.status, 200, w.text);
    assert.equal(w.json.user.id, u.id);
    assert.equal(w.json.user.disabled, false);
  });

  it('403 from the policy decision point, naming the action, the rule and the policy; nothing is written', async () => {
    const u = await createUser(s, { name: 'analyst1', agency: 'demo', role: 'analyst' });
    const t = await createToken(s, { user: 'analyst1', name: 'analyst' });
    const w = await s.api('GET', '/api/v1/whoami', { token: t.token });
    const wj = assertJson(w, 200);
    assert.equal(wj.user.id, u.id);
    assert.equal(wj.user.role, 'analyst');
    assert.deepEqual(wj.scopes, ['self']);

    const r = await s.api('GET', '/api/v1/agencies', { token: t.token });
    const p = assertProblem(r, 403, { type: 'urn:khomun:problem:forbidden' });
    assert.ok(p.detail.includes('read-metadata agency'), p.detail);
    assert.match(p.detail, /rule [a-z-]+, policy default\.1\+sha256:[0-9a-f]{16}/);

    const before = (await listAll(s, '/api/v1/agencies')).length;
    const c = await s.api('POST', '/api/v1/agencies', {
      token: t.token, body: { slug: 'by-analyst', name_th: 'ไม่ควรถูกสร้าง' },
    });
    const cp = assertProblem(c, 403);
    assert.ok(cp.detail.includes('administer agency'), cp.detail);
    assert.equal((await listAll(s, '/api/v1/agencies')).length, before);

    const other = await createUser(s, { name: 'other1', agency: 'demo', role: 'steward' });
    for (const [m, p2, what] of [
      ['GET', '/api/v1/users', 'read-metadata user'],
      ['GET', `/api/v1/users/${other.id}`, 'read-metadata user'],
      ['POST', `/api/v1/users/${u.id}/disable`, 'administer user'],
      ['GET', '/api/v1/tokens', 'read-metadata token'],
      ['DELETE', `/api/v1/tokens/${t.id}`, 'administer token'],
      ['GET', '/api/v1/audit', 'audit-read audit'],
    ]) {
      const x = await s.api(m, p2, { token: t.token });
      const xp = assertProblem(x, 403);
      assert.ok(xp.detail.includes(what), `${m} ${p2}: ${xp.detail}`);
    }
    // the policy's self-read: one's own user (by id or name), own token and own agency
    assert.equal(assertJson(await s.api('GET', `/api/v1/users/${u.id}`, { token: t.token }), 200).id, u.id);
    assert.equal(assertJson(await s.api('GET', '/api/v1/users/analyst1', { token: t.token }), 200).id, u.id);
    assert.equal(assertJson(await s.api('GET', `/api/v1/tokens/${t.id}`, { token: t.token }), 200).id, t.id);
    assert.equal(assertJson(await s.api('GET', '/api/v1/agencies/demo', { token: t.token }), 200).slug, 'demo');
    // the analyst's own token survived the forbidden DELETE and the user is still enabled
    assert.equal((await s.api('GET', '/api/v1/whoami', { token: t.token })).status, 200);
  });


  it('the secret is never returned by GET /tokens or GET /tokens/{id}', async () => {
    const t = await createToken(s, { user: 'admin', name: 'secret-check' });
    const list = await s.api('GET', '/api/v1/tokens?limit=500');
    assertJson(list, 200);
    assert.ok(list.json.items.some((x) => x.id === t.id));
    assert.ok(!list.text.includes(t.token), 'list contains a token secret');
    assert.ok(!list.text.includes(s.token), 'list contains the admin secret');
    assert.ok(!list.text.includes('khm_'), 'list contains something that looks like a secret');
    for (const it2 of list.json.items) assert.ok(!('token' in it2), JSON.stringify(it2));
    const one = await s.api('GET', `/api/v1/tokens/${t.id}`);
    const oj = assertJson(one, 200);
    assert.ok(!('token' in oj));
    assert.ok(!one.text.includes('khm_'));
  });
});

describe('token expiry (second server process with KHOMUN_FAKE_NOW_OFFSET)', { timeout: 60_000 }, () => {
  it('401 token expired once the server clock is past expires_at', async () => {
    const s1 = await startServer();
    let tok;
    try {
      const r = await s1.api('POST', '/api/v1/tokens', { body: { user: 'admin', name: 'expiring', expires_in: 60 } });
      tok = assertJson(r, 201);
      assert.equal((await s1.api('GET', '/api/v1/whoami', { token: tok.token })).status, 200);
    } finally {
      await s1.stop({ keepDataDir: true });
    }
    const s2 = await startServer({ reuse: s1, env: { KHOMUN_FAKE_NOW_OFFSET: '120' } });
    try {
      assertUnauthorized(await s2.api('GET', '/api/v1/whoami', { token: tok.token }), 'token expired');
      // a token without expiry still works under the shifted clock
      const w = await s2.api('GET', '/api/v1/whoami');
      assert.equal(w.status, 200, w.text);
      // the record still reads back with its expires_at
      const g = await s2.api('GET', `/api/v1/tokens/${tok.id}`);
      assert.equal(assertJson(g, 200).expires_at, tok.expires_at);
    } finally {
      await s2.stop();
    }
  });
});
