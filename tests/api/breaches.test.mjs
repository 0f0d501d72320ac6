// The breach register over HTTP (PDPA s.37(4); thai-rules.md §1.7, §1.14(4)): report, the
// 72-hour Office clock computed at read time, ETag/If-Match on PUT, notifications (late needs
// its reason: PDPC Notification B.E. 2565), closure, staff who may report but not manage
// (docs/policy.md), bad input named field by field with nothing changed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertFieldError, assertJson, assertProblem, gdcMetadata, startServer } from './harness.mjs';

const H = 3600_000;
const ago = (ms) => new Date(Date.now() - ms).toISOString();

describe('breach register (s.37(4))', { timeout: 60_000 }, () => {
  let s;
  let staff;
  let ds;
  before(async () => {
    s = await startServer();
    const u = assertJson(await s.api('POST', '/api/v1/users', { body: { name: 'b-steward', agency: 'demo', role: 'steward' } }), 201);
    staff = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: u.id, name: 'b' } }), 201).token;
    ds = assertJson(await s.api('POST', '/api/v1/datasets', {
      token: staff, body: { name: 'welfare-register', metadata: gdcMetadata() },
    }), 201);
  });
  after(async () => { await s?.stop(); });

  const report = (body, opts = {}) => s.api('POST', '/api/v1/breaches', {
    ...opts,
    body: { aware_at: ago(20 * H), cia: ['confidentiality'], description: 'อีเมลส่งผิดผู้รับ', risk: 'high', ...body },
  });

  it('a high-risk breach 20 hours old has 52 hours left; the Office and the subjects are owed', async () => {
    const r = await report({ datasets: ['welfare-register'], subject_count: 350 });
    const b = assertJson(r, 201);
    assert.equal(r.headers.get('etag'), '"1"');
    assert.equal(r.headers.get('location'), `/api/v1/breaches/${b.id}`);
    assert.deepEqual(b.datasets, [ds.id]);
    assert.equal(Date.parse(b.office.due_at) - Date.parse(b.aware_at), 72 * H);
    assert.ok(Math.abs(b.office.remaining_ms - 52 * H) < 60_000, String(b.office.remaining_ms));
    assert.equal(b.office.pending, true);
    assert.equal(b.subjects.status, 'pending');
    const open = assertJson(await s.api('GET', '/api/v1/breaches?open=1'), 200).items;
    assert.ok(open.some((x) => x.id === b.id));
  });

  it('past 72 hours the remaining time is negative, and the Office notification needs its late reason', async () => {
    const b = assertJson(await report({ aware_at: ago(80 * H), risk: 'risk' }), 201);
    assert.ok(b.office.remaining_ms < -7 * H && b.office.overdue);
    const n = (body) => s.api('POST', `/api/v1/breaches/${b.id}/notify-office`, { body });
    assertFieldError(await n({}), 'late_reason');
    assertFieldError(await n({ notified_at: ago(90 * H), late_reason: 'x' }), 'notified_at');
    const ok = assertJson(await n({ late_reason: 'รอผลการตรวจสอบ' }), 200);
    assert.equal(ok.office.pending, false);
    assert.equal(ok.office.remaining_ms, null);
    assertFieldError(await n({ late_reason: 'again' }), 'notified_at');
  });

  it('PUT needs If-Match (428), a stale one is 412; became-aware-at after notified-at is refused', async () => {
    const b = assertJson(await report({ risk: 'risk' }), 201);
    const body = { aware_at: ago(30 * H), cia: ['integrity'], description: 'แก้ไข', risk: 'risk' };
    assertProblem(await s.api('PUT', `/api/v1/breaches/${b.id}`, { body }), 428);
    const up = await s.api('PUT', `/api/v1/breaches/${b.id}`, { body, headers: { 'if-match': '"1"' } });
    assert.equal(assertJson(up, 200).version, 2);
    assert.equal(up.headers.get('etag'), '"2"');
    assertProblem(await s.api('PUT', `/api/v1/breaches/${b.id}`, { body, headers: { 'if-match': '"1"' } }), 412);
    assertJson(await s.api('POST', `/api/v1/breaches/${b.id}/notify-office`, { body: { notified_at: ago(10 * H) } }), 200);
    const late = await s.api('PUT', `/api/v1/breaches/${b.id}`, {
      body: { ...body, aware_at: ago(5 * H) }, headers: { 'if-match': '"3"' },
    });
    assertFieldError(late, 'aware_at');
  });

  it('bad input: future awareness, unknown dataset, negative count, bad risk and type — all named, nothing stored', async () => {
    const n0 = assertJson(await s.api('GET', '/api/v1/breaches?limit=500'), 200).items.length;
    const r = await report({
      aware_at: new Date(Date.now() + H).toISOString(), datasets: ['welfare-register', 'no-such'],
      subject_count: -1, risk: 'severe', cia: ['c', 'x'],
    });
    for (const f of ['aware_at', 'datasets[1]', 'subject_count', 'risk', 'cia']) assertFieldError(r, f);
    assert.equal(assertJson(await s.api('GET', '/api/v1/breaches?limit=500'), 200).items.length, n0);
  });

  it('closing with a notification owed needs a reason; a closed breach no longer changes', async () => {
    const b = assertJson(await report({}), 201);
    const close = (body) => s.api('POST', `/api/v1/breaches/${b.id}/close`, { body });
    assertFieldError(await close({}), 'reason');
    const c = assertJson(await close({ reason: 'ประเมินใหม่: ข้อมูลเข้ารหัสไว้' }), 200);
    assert.notEqual(c.closed_at, null);
    assertFieldError(await s.api('POST', `/api/v1/breaches/${b.id}/actions`, { body: { text: 'x' } }), 'closed_at');
    assert.ok(!assertJson(await s.api('GET', '/api/v1/breaches?open=1&limit=500'), 200).items.some((x) => x.id === b.id));
    const got = assertJson(await s.api('GET', `/api/v1/breaches/${b.id}`), 200);
    assert.deepEqual(got.actions.map((x) => x.kind), ['report', 'close']);
  });

  it('staff report a breach and add actions; managing it is the DPO\'s (403 naming the rule)', async () => {
    const b = assertJson(await report({ risk: 'risk' }, { token: staff }), 201);
    assertJson(await s.api('POST', `/api/v1/breaches/${b.id}/actions`, { token: staff, body: { text: 'ตัดการเชื่อมต่อเครื่องแล้ว' } }), 201);
    for (const [m, p, body] of [
      ['POST', 'notify-office', {}], ['POST', 'notify-subjects', { method: 'SMS' }], ['POST', 'close', { reason: 'x' }],
    ]) {
      const r = await s.api(m, `/api/v1/breaches/${b.id}/${p}`, { token: staff, body });
      assertProblem(r, 403, { detailMatch: /breach-report-by-staff/ });
    }
    // staff cannot read the register (pdpa-dpo-manage / pdpa-auditor-read only)
    assertProblem(await s.api('GET', '/api/v1/breaches', { token: staff }), 403);
    const got = assertJson(await s.api('GET', `/api/v1/breaches/${b.id}`), 200);
    assert.equal(got.version, 2);
    assert.equal(got.office.notified_at, null);
  });
});
