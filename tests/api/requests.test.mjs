// Data-subject requests over HTTP (PDPA s.30-36, s.19; thai-rules.md §1.6, §1.14(3)): register
// with the pseudonymous subject, the due date on Bangkok days (docs/pdpa/requests.md), the
// workflow and its refusals, notes, the overdue and due-soon lists, and the audit trail. One
// server (the installation's admin is the agency's administrator: rule pdpa-dpo-manage).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertFieldError, assertJson, assertProblem, startServer } from './harness.mjs';

const ID = '1-1037-02071-81-1'; // synthetic, valid mod-11 check digit

describe('data-subject requests (s.30-36)', { timeout: 60_000 }, () => {
  let s;
  before(async () => { s = await startServer(); });
  after(async () => { await s?.stop(); });

  const post = (p, body) => s.api('POST', p, { body });
  const create = async (body) => assertJson(await post('/api/v1/requests', {
    type: 'access', channel: 'email', subject: ID, ...body,
  }), 201);

  it('s.30: registers an access request due at the end of the Bangkok day 30 days later; only the token is kept', async () => {
    const r = await post('/api/v1/requests', {
      type: 'access', channel: 'counter', subject: ID, received_at: '2026-01-31T23:30:00+07:00',
      contact: 'ตอบทางไปรษณีย์',
    });
    const j = assertJson(r, 201);
    assert.equal(r.headers.get('location'), `/api/v1/requests/${j.id}`);
    assert.equal(j.due_at, '2026-03-02T16:59:59.999Z'); // 23:59:59.999 +07:00 on 2 Mar
    assert.equal(j.due_at_th, '2 มีนาคม 2569');
    assert.equal(j.section, 's.30');
    assert.equal(j.deadline.days, 30);
    assert.equal(j.deadline.extendable, false);
    assert.match(j.subject.token, /^[0-9a-f]{64}$/);
    assert.ok(!r.text.includes('1103702071811') && !r.text.includes(ID), 'identifier echoed');
    assert.equal(j.status, 'received');
    assert.equal(j.overdue, true);
    assert.equal(j.package, null);
    assert.equal(j.history.length, 1);
    // the same person with another notation: the same token
    const k = await create({ subject: '1103702071811' });
    assert.equal(k.subject.token, j.subject.token);
  });

  it('s.33: erasure is due 90 days later (PDPC Notification B.E. 2567), across a February', async () => {
    // received 30 Nov 18:00 UTC = 1 Dec in Bangkok; 1 Dec 2025 + 90 days = 1 Mar 2026 (28-day
    // February; the leap year 2028 is in tests/unit/pdpa/request.c, a time the server refuses)
    const j = await create({ type: 'erasure', received_at: '2025-11-30T18:00:00Z' });
    assert.equal(j.due_at, '2026-03-01T16:59:59.999Z');
    assert.equal(j.deadline.days, 90);
  });

  it('bad input: each field named in English and Thai, the identifier never echoed; nothing stored', async () => {
    const before0 = assertJson(await s.api('GET', '/api/v1/requests?limit=500'), 200).items.length;
    const future = new Date(Date.now() + 3600_000).toISOString();
    const r = await post('/api/v1/requests', {
      type: 'deletion', channel: 'fax', subject: '1103702071812', received_at: future,
    });
    for (const f of ['type', 'channel', 'subject', 'received_at']) assertFieldError(r, f);
    assert.ok(!r.text.includes('1103702071812'));
    assertFieldError(await post('/api/v1/requests', {
      type: 'access', channel: 'email', subject: 'a@b', subject_kind: 'email',
    }), 'subject');
    assertFieldError(await post('/api/v1/requests', {
      type: 'access', channel: 'email', subject: ID, assignee: 'nobody',
    }), 'assignee');
    const n = assertJson(await s.api('GET', '/api/v1/requests?limit=500'), 200).items.length;
    assert.equal(n, before0);
  });

  it('§1.14(3) workflow: received → verified → in_progress → fulfilled; fulfilled → received is refused, nothing changed', async () => {
    const j = await create({});
    const t = (body) => post(`/api/v1/requests/${j.id}/transition`, body);
    assertFieldError(await t({ to: 'verified' }), 'method');
    assertFieldError(await t({ to: 'fulfilled' }), 'to');
    assertJson(await t({ to: 'verified', method: 'บัตรประชาชนตัวจริง' }), 200);
    assertJson(await t({ to: 'in_progress', assignee: 'admin' }), 200);
    const done = assertJson(await t({ to: 'fulfilled', note: 'ส่งสำเนาแล้ว' }), 200);
    assert.equal(done.status, 'fulfilled');
    assert.notEqual(done.closed_at, null);
    assert.equal(done.remaining_ms, null);
    const e = assertFieldError(await t({ to: 'received' }), 'to');
    assert.match(e.message, /'fulfilled' to 'received'/);
    const now = assertJson(await s.api('GET', `/api/v1/requests/${j.id}`), 200);
    assert.equal(now.version, done.version);
    assert.deepEqual(now.history.map((h) => h.kind), ['create', 'transition', 'transition', 'assign', 'transition']);
  });

  it('s.30 para 2 / s.39(7): a refusal needs its reason and a legal ground naming a section', async () => {
    const j = await create({ type: 'erasure' });
    const t = (body) => post(`/api/v1/requests/${j.id}/transition`, body);
    const r = await t({ to: 'refused' });
    assertFieldError(r, 'reason');
    assertFieldError(r, 'legal_ground');
    assertFieldError(await t({ to: 'refused', reason: 'x', legal_ground: 'policy' }), 'legal_ground');
    const ok = assertJson(await t({ to: 'refused', reason: 'ต้องเก็บไว้ตามกฎหมาย', legal_ground: 's.33 para 1 (legal obligation)', verification: 'failed' }), 200);
    assert.deepEqual(ok.refusal, { reason: 'ต้องเก็บไว้ตามกฎหมาย', legal_ground: 's.33 para 1 (legal obligation)' });
    assert.equal(ok.verification.state, 'failed');
  });

  it('notes are appended to the history', async () => {
    const j = await create({});
    const r = await post(`/api/v1/requests/${j.id}/notes`, { text: 'โทรแจ้งผู้ขอแล้ว' });
    const k = assertJson(r, 201);
    assert.equal(k.history.at(-1).kind, 'note');
    assert.equal(k.history.at(-1).text, 'โทรแจ้งผู้ขอแล้ว');
    assertFieldError(await post(`/api/v1/requests/${j.id}/notes`, { text: '' }), 'text');
  });

  it('overdue and due-soon lists; bad filters are named', async () => {
    const day = 86400_000;
    const soon = await create({ received_at: new Date(Date.now() - 26 * day).toISOString() });
    const late = await create({ received_at: new Date(Date.now() - 40 * day).toISOString() });
    const ids = async (q) => assertJson(await s.api('GET', `/api/v1/requests?${q}&limit=500`), 200).items.map((x) => x.id);
    const overdue = await ids('overdue=1');
    assert.ok(overdue.includes(late.id));
    assert.ok(!overdue.includes(soon.id));
    const dueSoon = await ids('due_soon=1');
    assert.ok(dueSoon.includes(soon.id));
    assert.ok(!dueSoon.includes(late.id));
    assert.ok(!(await ids('due_within=2d')).includes(soon.id));
    assert.ok((await ids('status=received')).includes(soon.id));
    assertFieldError(await s.api('GET', '/api/v1/requests?due_within=soon'), 'due_within');
    assertFieldError(await s.api('GET', '/api/v1/requests?status=done'), 'status');
    assertFieldError(await s.api('GET', '/api/v1/requests?overdue=1&due_soon=1'), 'overdue');
  });

  it('unknown request: 404 for the agency\'s DPO; every change is audited', async () => {
    assertProblem(await s.api('GET', '/api/v1/requests/01900000-0000-7000-8000-000000000000'), 403);
    const j = await create({});
    const a = assertJson(await s.api('GET', `/api/v1/audit?target=request/${j.id}`), 200);
    assert.equal(a.items[0].action, 'request.create');
    assert.equal(a.items[0].outcome, 'success');
  });
});
