// /api/v1/users: create, list (with ?agency=), get, disable/enable, validation, pagination.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  ROLES, UUID7_RE, assertFieldError, assertJson, assertProblem, assertTimeNear, listAll, paginate,
  startServer,
} from './harness.mjs';

const USER_KEYS = [
  'agency_id', 'clearance', 'created_at', 'disabled', 'display_name', 'email', 'id', 'name', 'role',
];

describe('users', { timeout: 90_000 }, () => {
  let s;
  let nso;
  let demo;
  let somchai;
  before(async () => {
    s = await startServer();
    const r = await s.api('POST', '/api/v1/agencies', { body: { slug: 'nso', name_th: 'สำนักงานสถิติแห่งชาติ' } });
    nso = assertJson(r, 201);
    demo = assertJson(await s.api('GET', '/api/v1/agencies/demo'), 200);
  }, { timeout: 20_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  const count = async () => (await listAll(s, '/api/v1/users')).length;

  it('a fresh store lists the init admin user', async () => {
    const items = await listAll(s, '/api/v1/users');
    assert.equal(items.length, 1);
    assert.deepEqual(Object.keys(items[0]).sort(), USER_KEYS);
    assert.equal(items[0].name, 'admin');
    assert.equal(items[0].role, 'admin');
    assert.equal(items[0].agency_id, demo.id);
    assert.equal(items[0].disabled, false);
  });

  it('POST creates a user with Thai display name → 201, record, Location', async () => {
    const t0 = Date.now();
    const r = await s.api('POST', '/api/v1/users', {
      body: {
        name: 'somchai', agency: 'nso', role: 'steward', display_name: 'สมชาย ใจดี',
        email: 'somchai@example.go.th', clearance: 'confidential',
      },
    });
    const j = assertJson(r, 201);
    assert.deepEqual(Object.keys(j).sort(), USER_KEYS);
    assert.match(j.id, UUID7_RE);
    assert.equal(j.name, 'somchai');
    assert.equal(j.display_name, 'สมชาย ใจดี');
    assert.equal(j.email, 'somchai@example.go.th');
    assert.equal(j.agency_id, nso.id);
    assert.equal(j.role, 'steward');
    assert.equal(j.clearance, 'confidential');
    assert.equal(j.disabled, false);
    assertTimeNear(j.created_at, t0, 5_000, 'created_at');
    assert.equal(r.headers.get('location'), `/api/v1/users/${j.id}`);
    somchai = j;
  });

  it('defaults: clearance internal, optional fields null; agency by id works', async () => {
    const r = await s.api('POST', '/api/v1/users', { body: { name: 'minimal', agency: nso.id, role: 'auditor' } });
    const j = assertJson(r, 201);
    assert.equal(j.clearance, 'internal');
    assert.equal(j.display_name, null);
    assert.equal(j.email, null);
    assert.equal(j.disabled, false);
    assert.equal(j.agency_id, nso.id);
  });

  it('every role and every clearance is accepted', async () => {
    const cl = ['public', 'internal', 'confidential', 'secret', 'top_secret'];
    for (const [i, role] of ROLES.entries()) {
      const r = await s.api('POST', '/api/v1/users', {
        body: { name: `role-${role}`, agency: 'demo', role, clearance: cl[i % cl.length] },
      });
      const j = assertJson(r, 201);
      assert.equal(j.role, role);
      assert.equal(j.clearance, cl[i % cl.length]);
    }
  });

  it('GET by id and by name return the same record', async () => {
    assert.deepEqual(assertJson(await s.api('GET', `/api/v1/users/${somchai.id}`), 200), somchai);
    assert.deepEqual(assertJson(await s.api('GET', '/api/v1/users/somchai'), 200), somchai);
  });

  it('GET unknown user → 404 problem', async () => {
    assertProblem(await s.api('GET', '/api/v1/users/0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7e'), 404);
    assertProblem(await s.api('GET', '/api/v1/users/nobody'), 404);
  });

  it('POST a duplicate name → 409, nothing changes', async () => {
    const before = await listAll(s, '/api/v1/users');
    const r = await s.api('POST', '/api/v1/users', { body: { name: 'somchai', agency: 'demo', role: 'analyst' } });
    assertProblem(r, 409);
    assert.deepEqual(await listAll(s, '/api/v1/users'), before);
    assert.deepEqual(assertJson(await s.api('GET', '/api/v1/users/somchai'), 200), somchai);
  });

  it('unknown agency → 400 on field agency', async () => {
    const n = await count();
    for (const agency of ['no-such-agency', '0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7e']) {
      const r = await s.api('POST', '/api/v1/users', { body: { name: 'orphan', agency, role: 'analyst' } });
      assertFieldError(r, 'agency');
    }
    assert.equal(await count(), n);
  });

  it('bad role → 400 on field role, message listing the allowed roles', async () => {
    const n = await count();
    for (const role of ['superuser', 'Admin', '', 'admin ']) {
      const r = await s.api('POST', '/api/v1/users', { body: { name: 'badrole', agency: 'demo', role } });
      const e = assertFieldError(r, 'role');
      for (const allowed of ROLES) assert.ok(e.message.includes(allowed), `"${e.message}" lacks ${allowed}`);
    }
    assert.equal(await count(), n);
  });

  it('bad clearance → 400 on field clearance', async () => {
    const n = await count();
    for (const clearance of ['ultra', 'TOP_SECRET', 'top-secret', '']) {
      const r = await s.api('POST', '/api/v1/users', { body: { name: 'badcl', agency: 'demo', role: 'analyst', clearance } });
      assertFieldError(r, 'clearance');
    }
    assert.equal(await count(), n);
  });

  it('other bad fields → 400 on that field', async () => {
    const n = await count();
    const cases = [
      [{ name: 'Somchai', agency: 'demo', role: 'analyst' }, 'name'],
      [{ name: 's', agency: 'demo', role: 'analyst' }, 'name'],
      [{ name: '.dot', agency: 'demo', role: 'analyst' }, 'name'],
      [{ name: 'x'.repeat(64), agency: 'demo', role: 'analyst' }, 'name'],
      [{ name: 'สมชาย', agency: 'demo', role: 'analyst' }, 'name'],
      [{ agency: 'demo', role: 'analyst' }, 'name'],
      [{ name: 'noagency', role: 'analyst' }, 'agency'],
      [{ name: 'norole', agency: 'demo' }, 'role'],
      [{ name: 'bademail1', agency: 'demo', role: 'analyst', email: 'no-at-sign' }, 'email'],
      [{ name: 'bademail2', agency: 'demo', role: 'analyst', email: 'a@b@c.th' }, 'email'],
      [{ name: 'bademail3', agency: 'demo', role: 'analyst', email: `${'a'.repeat(250)}@b.th` }, 'email'],
      [{ name: 'baddisp', agency: 'demo', role: 'analyst', display_name: 'ก'.repeat(201) }, 'display_name'],
      [{ name: 'badtype', agency: 'demo', role: 7 }, 'role'],
    ];
    for (const [body, field] of cases) {
      assertFieldError(await s.api('POST', '/api/v1/users', { body }), field);
    }
    assert.equal(await count(), n);
    // boundaries that are valid
    const ok = await s.api('POST', '/api/v1/users', {
      body: { name: 'a'.repeat(63), agency: 'demo', role: 'analyst', display_name: 'ก'.repeat(200),
        email: `${'a'.repeat(249)}@b.th` },
    });
    assertJson(ok, 201);
  });

  it('?agency= filters by agency id or slug', async () => {
    for (const q of ['nso', nso.id]) {
      const items = await listAll(s, `/api/v1/users?agency=${q}`);
      assert.ok(items.length >= 2, `?agency=${q}`);
      assert.ok(items.every((u) => u.agency_id === nso.id));
      assert.ok(items.some((u) => u.id === somchai.id));
    }
    const d = await listAll(s, '/api/v1/users?agency=demo');
    assert.ok(d.every((u) => u.agency_id === demo.id));
    assert.ok(d.some((u) => u.name === 'admin'));
    assert.ok(!d.some((u) => u.id === somchai.id));
  });

  it('disable → disabled true (persisted); enable → false; unknown → 404', async () => {
    const d = await s.api('POST', `/api/v1/users/${somchai.id}/disable`);
    const dj = assertJson(d, 200);
    assert.equal(dj.disabled, true);
    assert.equal(dj.id, somchai.id);
    assert.equal(assertJson(await s.api('GET', '/api/v1/users/somchai'), 200).disabled, true);
    const e = await s.api('POST', '/api/v1/users/somchai/enable');
    assert.deepEqual(assertJson(e, 200), somchai);
    assert.deepEqual(assertJson(await s.api('GET', `/api/v1/users/${somchai.id}`), 200), somchai);
    assertProblem(await s.api('POST', '/api/v1/users/nobody/disable'), 404);
    assertProblem(await s.api('POST', '/api/v1/users/0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7e/enable'), 404);
  });

  it('pagination: limit=1 walks every user once, in creation order', async () => {
    const all = await listAll(s, '/api/v1/users');
    const { items } = await paginate(s, '/api/v1/users', 1);
    assert.deepEqual(items.map((u) => u.id), all.map((u) => u.id));
    assert.equal(items[0].name, 'admin');
    const i1 = items.findIndex((u) => u.name === 'somchai');
    const i2 = items.findIndex((u) => u.name === 'minimal');
    assert.ok(i1 >= 0 && i2 > i1, 'not in creation order');
    assertFieldError(await s.api('GET', '/api/v1/users?limit=0'), 'limit');
    assertFieldError(await s.api('GET', '/api/v1/users?limit=501'), 'limit');
    assertFieldError(await s.api('GET', '/api/v1/users?cursor=zzzz'), 'cursor');
  });
});
