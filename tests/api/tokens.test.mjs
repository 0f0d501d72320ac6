// /api/v1/tokens: create (secret shown once), list (?user=), get, revoke, validation, pagination.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  TOKEN_RE, UUID7_RE, assertFieldError, assertJson, assertProblem, assertTimeNear,
  assertUnauthorized, listAll, paginate, startServer,
} from './harness.mjs';

const TOKEN_KEYS = ['created_at', 'expires_at', 'id', 'name', 'revoked_at', 'user_id'];

function withoutSecret(t) {
  const { token, ...rest } = t;
  return rest;
}

describe('tokens', { timeout: 90_000 }, () => {
  let s;
  let admin;
  let ci;
  let other;
  before(async () => {
    s = await startServer();
    admin = assertJson(await s.api('GET', '/api/v1/users/admin'), 200);
    const u = await s.api('POST', '/api/v1/users', {
      body: { name: 'somsri', agency: 'demo', role: 'custodian', display_name: 'สมศรี มีสุข' },
    });
    other = assertJson(u, 201);
  }, { timeout: 20_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  const count = async () => (await listAll(s, '/api/v1/tokens')).length;

  it('POST creates a token → 201, record plus the secret once, Location', async () => {
    const t0 = Date.now();
    const r = await s.api('POST', '/api/v1/tokens', { body: { user: 'admin', name: 'ci' } });
    const j = assertJson(r, 201);
    assert.deepEqual(Object.keys(j).sort(), [...TOKEN_KEYS, 'token'].sort());
    assert.match(j.id, UUID7_RE);
    assert.match(j.token, TOKEN_RE);
    assert.equal(j.user_id, admin.id);
    assert.equal(j.name, 'ci');
    assert.equal(j.expires_at, null);
    assert.equal(j.revoked_at, null);
    assertTimeNear(j.created_at, t0, 5_000, 'created_at');
    assert.equal(r.headers.get('location'), `/api/v1/tokens/${j.id}`);
    ci = j;
    const w = await s.api('GET', '/api/v1/whoami', { token: j.token });
    const wj = assertJson(w, 200);
    assert.equal(wj.user.id, admin.id);
    assert.deepEqual(wj.token, { id: j.id, name: 'ci', expires_at: null });
  });

  it('name defaults to "api"; user by id; two tokens never share a secret', async () => {
    const a = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: other.id } }), 201);
    assert.equal(a.name, 'api');
    assert.equal(a.user_id, other.id);
    const b = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: 'somsri' } }), 201);
    assert.notEqual(a.token, b.token);
    assert.notEqual(a.id, b.id);
    const w = await s.api('GET', '/api/v1/whoami', { token: a.token });
    assert.equal(assertJson(w, 200).user.name, 'somsri');
    assert.deepEqual(w.json.scopes, ['self']);
  });

  it('GET by id returns the record without the secret', async () => {
    const g = await s.api('GET', `/api/v1/tokens/${ci.id}`);
    assert.deepEqual(assertJson(g, 200), withoutSecret(ci));
    assert.ok(!g.text.includes('khm_'));
  });

  it('GET / DELETE unknown token → 404 problem', async () => {
    const id = '0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7e';
    assertProblem(await s.api('GET', `/api/v1/tokens/${id}`), 404);
    assertProblem(await s.api('DELETE', `/api/v1/tokens/${id}`), 404);
    assertProblem(await s.api('GET', '/api/v1/tokens/not-an-id'), 404);
  });

  it('list has records without secrets; ?user= filters by name or id', async () => {
    const items = await listAll(s, '/api/v1/tokens');
    assert.ok(items.length >= 4, `only ${items.length} tokens`); // init token, ci, two for somsri
    for (const t of items) assert.deepEqual(Object.keys(t).sort(), TOKEN_KEYS);
    assert.deepEqual(items.find((t) => t.id === ci.id), withoutSecret(ci));
    const raw = await s.api('GET', '/api/v1/tokens?limit=500');
    assert.ok(!raw.text.includes('khm_'), 'a secret appears in the list');
    for (const q of ['somsri', other.id]) {
      const mine = await listAll(s, `/api/v1/tokens?user=${q}`);
      assert.equal(mine.length, 2, `?user=${q}`);
      assert.ok(mine.every((t) => t.user_id === other.id));
    }
    const adm = await listAll(s, '/api/v1/tokens?user=admin');
    assert.ok(adm.every((t) => t.user_id === admin.id));
    assert.ok(adm.some((t) => t.id === ci.id));
  });

  it('expires_in: 60 → expires_at = created_at + 60 s; range 60..315360000', async () => {
    const r = await s.api('POST', '/api/v1/tokens', { body: { user: 'admin', name: 'short', expires_in: 60 } });
    const j = assertJson(r, 201);
    assertTimeNear(j.expires_at, Date.now() + 60_000, 5_000, 'expires_at');
    const span = Date.parse(j.expires_at) - Date.parse(j.created_at);
    assert.ok(Math.abs(span - 60_000) <= 1_000, `span ${span}`);
    const maxr = await s.api('POST', '/api/v1/tokens', { body: { user: 'admin', expires_in: 315360000 } });
    assertTimeNear(assertJson(maxr, 201).expires_at, Date.now() + 315360000 * 1000, 5_000, 'expires_at');
    const n = await count();
    for (const v of [59, 0, -60, 315360001, 60.5, '60', true]) {
      const b = await s.api('POST', '/api/v1/tokens', { body: { user: 'admin', expires_in: v } });
      assertFieldError(b, 'expires_in');
    }
    assert.equal(await count(), n);
  });

  it('expires_at in the future is stored as given; past or garbage → 400', async () => {
    const at = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, '.250Z');
    const r = await s.api('POST', '/api/v1/tokens', { body: { user: 'admin', name: 'dated', expires_at: at } });
    assert.equal(assertJson(r, 201).expires_at, at);
    const n = await count();
    const past = new Date(Date.now() - 60_000).toISOString();
    for (const v of [past, '2020-01-01T00:00:00Z', 'tomorrow', '2030-13-01T00:00:00Z', 12345, '']) {
      const b = await s.api('POST', '/api/v1/tokens', { body: { user: 'admin', expires_at: v } });
      assertFieldError(b, 'expires_at');
    }
    assert.equal(await count(), n);
  });

  it('expires_in and expires_at together → 400, nothing created', async () => {
    const n = await count();
    const at = new Date(Date.now() + 86_400_000).toISOString();
    const r = await s.api('POST', '/api/v1/tokens', { body: { user: 'admin', expires_in: 3600, expires_at: at } });
    const p = assertProblem(r, 400);
    assert.ok(Array.isArray(p.errors) && p.errors.length > 0, r.text);
    assert.ok(p.errors.some((e) => e.field === 'expires_in' || e.field === 'expires_at'), r.text);
    assert.equal(await count(), n);
  });

  it('unknown user → 400 on field user; bad name → 400 on field name', async () => {
    const n = await count();
    for (const user of ['nobody', '0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7e']) {
      assertFieldError(await s.api('POST', '/api/v1/tokens', { body: { user } }), 'user');
    }
    assertFieldError(await s.api('POST', '/api/v1/tokens', { body: {} }), 'user');
    assertFieldError(await s.api('POST', '/api/v1/tokens', { body: { user: 'admin', name: 'n'.repeat(101) } }), 'name');
    assertFieldError(await s.api('POST', '/api/v1/tokens', { body: { user: 'admin', name: 5 } }), 'name');
    assert.equal(await count(), n);
    const ok = await s.api('POST', '/api/v1/tokens', { body: { user: 'admin', name: 'ท'.repeat(100) } });
    assert.equal(assertJson(ok, 201).name, 'ท'.repeat(100));
  });

  it('revoke → 200 with revoked_at; twice → 200, revoked_at unchanged; token stops working', async () => {
    const t = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: 'admin', name: 'rev' } }), 201);
    const t0 = Date.now();
    const d1 = await s.api('DELETE', `/api/v1/tokens/${t.id}`);
    const j1 = assertJson(d1, 200);
    assert.deepEqual(Object.keys(j1).sort(), TOKEN_KEYS);
    assertTimeNear(j1.revoked_at, t0, 5_000, 'revoked_at');
    assert.deepEqual({ ...j1, revoked_at: null }, withoutSecret(t));
    await new Promise((r) => setTimeout(r, 20));
    const d2 = await s.api('DELETE', `/api/v1/tokens/${t.id}`);
    assert.deepEqual(assertJson(d2, 200), j1);
    assert.deepEqual(assertJson(await s.api('GET', `/api/v1/tokens/${t.id}`), 200), j1);
    assertUnauthorized(await s.api('GET', '/api/v1/whoami', { token: t.token }), 'token revoked');
  });

  it('pagination: limit=2 walks every token once, in creation order', async () => {
    const all = await listAll(s, '/api/v1/tokens');
    const { items } = await paginate(s, '/api/v1/tokens', 2);
    assert.deepEqual(items.map((t) => t.id), all.map((t) => t.id));
    assert.equal(new Set(items.map((t) => t.id)).size, items.length);
    const created = items.map((t) => Date.parse(t.created_at));
    for (let i = 1; i < created.length; i++) assert.ok(created[i] >= created[i - 1], 'not in creation order');
    assertFieldError(await s.api('GET', '/api/v1/tokens?limit=0'), 'limit');
    assertFieldError(await s.api('GET', '/api/v1/tokens?limit=abc'), 'limit');
    assertFieldError(await s.api('GET', '/api/v1/tokens?cursor=zzzz'), 'cursor');
  });
});
