// The audit trail over HTTP: every audited request is an event (and probes are not), the
// listing's filters and cursor paging, its validation, /audit/verify, who may read the trail,
// and the chain verified by the CLI after the server stops — on the store, and on an export
// offline with only the public key.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  TIME_RE, UUID7_RE, assertFieldError, assertJson, assertProblem, paginate, runCli, sleep,
  startServer,
} from './harness.mjs';

const EVENT_KEYS = [
  'action', 'actor', 'client', 'hash', 'id', 'outcome', 'prev_hash', 'purpose', 'reasons',
  'request_id', 'seq', 'status', 'target', 'ts',
];
const HEX64 = /^[0-9a-f]{64}$/;

// The event of the request whose reply carried X-Request-Id `rid` (written before the reply).
async function eventOf(s, rid, query = '') {
  const r = await s.api('GET', `/api/v1/audit?limit=500${query}`);
  const j = assertJson(r, 200);
  return j.items.find((e) => e.request_id === rid);
}

// Polls for an event that was queued, not awaited (early 404/405/413).
async function eventually(s, rid, query = '') {
  for (let i = 0; i < 100; i++) {
    const e = await eventOf(s, rid, query);
    if (e) return e;
    await sleep(20);
  }
  return undefined;
}

describe('audit trail API', { timeout: 90_000 }, () => {
  let s;
  let admin; // whoami of the init token
  const tokens = {}; // role → { user, token }
  before(async () => {
    s = await startServer();
    admin = assertJson(await s.api('GET', '/api/v1/whoami'), 200);
    for (const role of ['auditor', 'dpo', 'analyst', 'steward']) {
      const u = assertJson(await s.api('POST', '/api/v1/users', {
        body: { name: `audit-${role}`, agency: 'demo', role },
      }), 201);
      const t = assertJson(await s.api('POST', '/api/v1/tokens', {
        body: { user: u.id, name: `${role} token` },
      }), 201);
      tokens[role] = { user: u, token: t.token, tokenId: t.id };
    }
  }, { timeout: 20_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('whoami is an event with every field, durable before the reply', async () => {
    const t0 = Date.now();
    const r = await s.api('GET', '/api/v1/whoami');
    assertJson(r, 200);
    const rid = r.headers.get('x-request-id');
    const e = await eventOf(s, rid, '&action=auth.whoami');
    assert.ok(e, `no auth.whoami event for request ${rid}`);
    assert.deepEqual(Object.keys(e).sort(), EVENT_KEYS);
    assert.deepEqual(Object.keys(e.actor).sort(), ['agency', 'token', 'user']);
    assert.equal(e.actor.user, admin.user.id);
    assert.equal(e.actor.agency, admin.agency.id);
    assert.equal(e.actor.token, admin.token.id);
    assert.equal(e.action, 'auth.whoami');
    assert.equal(e.target, '/api/v1/whoami');
    assert.equal(e.outcome, 'success');
    assert.equal(e.status, 200);
    assert.equal(e.client, '127.0.0.1');
    assert.equal(e.purpose, null);
    assert.match(e.id, UUID7_RE);
    assert.match(e.ts, TIME_RE);
    assert.ok(Math.abs(Date.parse(e.ts) - t0) < 5_000, e.ts);
    assert.match(e.hash, HEX64);
    assert.match(e.prev_hash, HEX64);
    assert.ok(Number.isInteger(e.seq) && e.seq > 1, `seq ${e.seq}`);
  });

  it('a 401 is an event with no actor, outcome denied and the reason', async () => {
    const r = await s.api('GET', '/api/v1/whoami', { token: null });
    assertProblem(r, 401);
    const e = await eventOf(s, r.headers.get('x-request-id'));
    assert.ok(e, 'no event for the 401');
    assert.equal(e.status, 401);
    assert.equal(e.outcome, 'denied');
    assert.equal(e.actor.user, null);
    assert.equal(e.actor.token, null);
    assert.equal(e.action, 'auth.whoami');
    assert.match(e.reasons, /missing bearer token/);
  });

  it('a 403 is an event naming the actor, outcome denied', async () => {
    const { token, user } = tokens.analyst;
    const r = await s.api('GET', '/api/v1/audit', { token });
    assertProblem(r, 403);
    const e = await eventOf(s, r.headers.get('x-request-id'), '&action=audit.list');
    assert.ok(e, 'no event for the 403');
    assert.equal(e.status, 403);
    assert.equal(e.outcome, 'denied');
    assert.equal(e.actor.user, user.id);
    assert.equal(e.actor.token, tokens.analyst.tokenId);
    assert.ok(typeof e.reasons === 'string' && e.reasons.length > 0, 'a denial names its reason');
  });

  it('an agency create is an event with target agency/<id>, in its transaction', async () => {
    const r = await s.api('POST', '/api/v1/agencies', { body: { slug: 'audit-moph', name_th: 'กระทรวงสาธารณสุข' } });
    const ag = assertJson(r, 201);
    const e = await eventOf(s, r.headers.get('x-request-id'), '&action=agency.create');
    assert.ok(e, 'no agency.create event');
    assert.equal(e.target, `agency/${ag.id}`);
    assert.equal(e.status, 201);
    assert.equal(e.outcome, 'success');
    assert.equal(e.actor.user, admin.user.id);
  });

  it('a validation failure (400) is an event with the reasons', async () => {
    const r = await s.api('POST', '/api/v1/agencies', { body: { slug: 'Bad Slug!', name_th: 'x' } });
    assertFieldError(r, 'slug');
    const e = await eventOf(s, r.headers.get('x-request-id'), '&action=agency.create');
    assert.ok(e, 'no event for the 400');
    assert.equal(e.status, 400);
    assert.equal(e.outcome, 'failure');
    assert.ok(typeof e.reasons === 'string' && e.reasons.length > 0, JSON.stringify(e));
  });

  it('an unknown path (404, answered early) is an event too', async () => {
    const r = await s.api('GET', '/api/v1/no-such-thing');
    assertProblem(r, 404);
    const e = await eventually(s, r.headers.get('x-request-id'));
    assert.ok(e, 'no event for the early 404');
    assert.equal(e.status, 404);
    assert.equal(e.target, '/api/v1/no-such-thing');
  });

  it('a path with bytes that are not UTF-8 is stored as valid text and still verifies', async () => {
    const r = await s.raw('GET', '/api/v1/agencies/%FF%FEx', { headers: { authorization: `Bearer ${s.token}` } });
    // 404 on SQLite; PostgreSQL refuses the bytes as a lookup key (400). Either way: an event
    assert.ok(r.status === 404 || r.status === 400, `${r.status} ${r.text}`);
    const e = await eventOf(s, r.headers.get('x-request-id'));
    assert.ok(e, 'no event');
    assert.equal(e.target, '/api/v1/agencies/\uFFFD\uFFFDx');
    const v = assertJson(await s.api('GET', '/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true, v.message);
  });

  it('probes are not audited: /healthz, /readyz, /api/v1/version', async () => {
    const ids = [];
    for (const p of ['/healthz', '/readyz', '/api/v1/version']) {
      const r = await s.api('GET', p, { token: null });
      assert.equal(r.status, 200, p);
      ids.push(r.headers.get('x-request-id'));
    }
    await sleep(100);
    const j = assertJson(await s.api('GET', '/api/v1/audit?limit=500'), 200);
    for (const id of ids) assert.ok(!j.items.some((e) => e.request_id === id), `probe ${id} was audited`);
    for (const a of ['health.check', 'health.ready', 'system.version']) {
      assert.equal(assertJson(await s.api('GET', `/api/v1/audit?action=${a}`), 200).items.length, 0, a);
    }
  });

  it('filters: actor, target, action, since, until', async () => {
    const { token, user } = tokens.dpo;
    const t0 = new Date(Date.now() - 1).toISOString();
    for (let i = 0; i < 3; i++) assertJson(await s.api('GET', '/api/v1/whoami', { token }), 200);
    await sleep(5);
    const t1 = new Date().toISOString();
    await sleep(5);
    assertJson(await s.api('GET', '/api/v1/audit/verify', { token }), 200);

    const byActor = assertJson(await s.api('GET', `/api/v1/audit?actor=${user.id}`), 200).items;
    assert.ok(byActor.length >= 4, `${byActor.length} events of the dpo`);
    assert.ok(byActor.every((e) => e.actor.user === user.id));

    const both = assertJson(await s.api('GET', `/api/v1/audit?actor=${user.id}&action=auth.whoami`), 200).items;
    assert.equal(both.length, 3);
    assert.ok(both.every((e) => e.action === 'auth.whoami'));

    const byTarget = assertJson(await s.api('GET', `/api/v1/audit?target=${encodeURIComponent('/api/v1/audit/verify')}&actor=${user.id}`), 200).items;
    assert.equal(byTarget.length, 1);
    assert.equal(byTarget[0].action, 'audit.verify');

    const since = assertJson(await s.api('GET', `/api/v1/audit?actor=${user.id}&since=${encodeURIComponent(t0)}`), 200).items;
    assert.ok(since.length >= 4);
    assert.ok(since.every((e) => e.ts >= t0));
    const window = assertJson(await s.api('GET', `/api/v1/audit?actor=${user.id}&since=${encodeURIComponent(t0)}&until=${encodeURIComponent(t1)}`), 200).items;
    assert.equal(window.length, 3, JSON.stringify(window.map((e) => [e.ts, e.action])));
    assert.ok(window.every((e) => e.action === 'auth.whoami' && e.ts < t1));
    const after = assertJson(await s.api('GET', `/api/v1/audit?actor=${user.id}&since=${encodeURIComponent(t1)}`), 200).items;
    assert.ok(after.some((e) => e.action === 'audit.verify'));
    assert.ok(!after.some((e) => e.action === 'auth.whoami'));
    const none = assertJson(await s.api('GET', '/api/v1/audit?actor=nobody'), 200);
    assert.deepEqual(none, { items: [], next_cursor: null });
  });

  it('paging: newest first, cursor continues without gaps or repeats', async () => {
    const { token } = tokens.auditor;
    for (let i = 0; i < 7; i++) assertJson(await s.api('GET', '/api/v1/whoami', { token }), 200);
    const q = `/api/v1/audit?actor=${tokens.auditor.user.id}&action=auth.whoami`;
    const { items, pages } = await paginate(s, q, 3);
    assert.equal(items.length, 7);
    assert.deepEqual(pages, [3, 3, 1]);
    for (let i = 1; i < items.length; i++) assert.ok(items[i].seq < items[i - 1].seq, 'not newest first');
    assert.equal(new Set(items.map((e) => e.seq)).size, 7);
    const all = assertJson(await s.api('GET', `${q}&limit=500`), 200).items;
    assert.deepEqual(items.map((e) => e.seq), all.map((e) => e.seq));
    // the unfiltered trail is one chain: consecutive events link
    const page = assertJson(await s.api('GET', '/api/v1/audit?limit=50'), 200).items;
    for (let i = 1; i < page.length; i++) {
      if (page[i - 1].seq === page[i].seq + 1) assert.equal(page[i - 1].prev_hash, page[i].hash);
    }
  });

  it('bad limit, cursor, since, until → 400 naming the field', async () => {
    for (const [q, field] of [
      ['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=x', 'limit'], ['limit=-1', 'limit'],
      ['cursor=nope', 'cursor'], ['cursor=', 'cursor'], ['since=yesterday', 'since'],
      ['since=2026-13-01T00:00:00Z', 'since'], ['until=12', 'until'],
    ]) {
      const r = await s.api('GET', `/api/v1/audit?${q}`);
      assertFieldError(r, field);
    }
  });

  it('/audit/verify: ok with the counts', async () => {
    const j = assertJson(await s.api('GET', '/api/v1/audit/verify'), 200);
    assert.deepEqual(Object.keys(j).sort(), [
      'bad_seq', 'checkpoints', 'events', 'head_hash', 'head_seq', 'kind', 'last_checkpoint', 'message', 'ok',
    ]);
    assert.equal(j.ok, true, j.message);
    assert.equal(j.kind, null);
    assert.equal(j.bad_seq, 0);
    assert.ok(j.events > 20, `${j.events} events`);
    assert.equal(j.events, j.head_seq);
    assert.ok(j.checkpoints >= 1, 'init signs the first event');
    assert.ok(j.last_checkpoint >= 1 && j.last_checkpoint <= j.head_seq);
    assert.match(j.head_hash, HEX64);
    assert.match(j.message, /events and \d+ checkpoints verified/);
  });

  it('admin, auditor and dpo may read the trail; analyst and steward get 403', async () => {
    const who = { admin: s.token, auditor: tokens.auditor.token, dpo: tokens.dpo.token };
    for (const [role, token] of Object.entries(who)) {
      assert.equal((await s.api('GET', '/api/v1/audit?limit=1', { token })).status, 200, role);
      assert.equal((await s.api('GET', '/api/v1/audit/verify', { token })).status, 200, role);
    }
    for (const role of ['analyst', 'steward']) {
      const { token } = tokens[role];
      assertProblem(await s.api('GET', '/api/v1/audit?limit=1', { token }), 403);
      assertProblem(await s.api('GET', '/api/v1/audit/verify', { token }), 403);
    }
  });
});

describe('audit trail after the server stops', { timeout: 60_000 }, () => {
  it('khomun audit verify on the data dir; an export verifies offline with only the public key', async () => {
    const s = await startServer();
    for (let i = 0; i < 5; i++) assert.equal((await s.api('GET', '/api/v1/whoami')).status, 200);
    assertJson(await s.api('POST', '/api/v1/agencies', { body: { slug: 'after-stop', name_th: 'ทดสอบ' } }), 201);
    await s.stop({ keepDataDir: true });

    const v = runCli(['audit', 'verify', '--format', 'json'], { dataDir: s.dataDir });
    assert.equal(v.status, 0, v.stdout + v.stderr);
    const rep = JSON.parse(v.stdout);
    assert.equal(rep.ok, true);
    assert.ok(rep.events >= 7, `${rep.events} events`);
    assert.equal(rep.last_checkpoint, rep.head_seq, 'the server signs the head when it stops');
    const t = runCli(['audit', 'verify'], { dataDir: s.dataDir });
    assert.equal(t.status, 0);
    assert.match(t.stdout, /^audit: OK/);

    // export, then verify on "another machine": a directory with the file and signing.pub only
    const exp = path.join(s.root, 'audit.jsonl');
    const e = runCli(['audit', 'export', '--output', exp], { dataDir: s.dataDir });
    assert.equal(e.status, 0, e.stderr);
    const away = fs.mkdtempSync(path.join(os.tmpdir(), 'khomun-offline-'));
    try {
      fs.copyFileSync(exp, path.join(away, 'audit.jsonl'));
      fs.copyFileSync(path.join(s.dataDir, 'keys', 'signing.pub'), path.join(away, 'signing.pub'));
      const env = { KHOMUN_DATA: path.join(away, 'no-such-dir') };
      const off = runCli(['audit', 'verify', '--export', path.join(away, 'audit.jsonl'), '--public-key',
        path.join(away, 'signing.pub'), '--format', 'json'], { env });
      assert.equal(off.status, 0, off.stdout + off.stderr);
      const orep = JSON.parse(off.stdout);
      assert.equal(orep.ok, true);
      assert.equal(orep.events, rep.events);
      assert.equal(orep.head_hash, rep.head_hash);
      assert.equal(orep.checkpoints, rep.checkpoints);

      // one edited byte in the export is named
      const lines = fs.readFileSync(path.join(away, 'audit.jsonl'), 'utf8').split('\n');
      const i = lines.findIndex((l) => l.includes('"action":"agency.create"'));
      assert.ok(i > 0);
      lines[i] = lines[i].replace('"status":201', '"status":200');
      fs.writeFileSync(path.join(away, 'tampered.jsonl'), lines.join('\n'));
      const bad = runCli(['audit', 'verify', '--export', path.join(away, 'tampered.jsonl'),
        '--public-key', path.join(away, 'signing.pub')], { env });
      assert.equal(bad.status, 10, bad.stdout + bad.stderr);
      assert.match(bad.stdout, /TAMPERED — modified/);
    } finally {
      fs.rmSync(away, { recursive: true, force: true });
      fs.rmSync(s.root, { recursive: true, force: true });
    }
  });
});

describe('audit retention: khomun audit archive while the server runs', { timeout: 60_000 }, () => {
  it('archives up to a checkpoint; the server goes on appending after the anchor; all verifies', async () => {
    const s = await startServer();
    try {
      for (let i = 0; i < 5; i++) assert.equal((await s.api('GET', '/api/v1/whoami')).status, 200);
      // a CLI change signs the head with a checkpoint
      const add = runCli(['agency', 'add', '--slug', 'retention', '--name-th', 'เก็บถาวร'], { dataDir: s.dataDir });
      assert.equal(add.status, 0, add.stderr);
      const v0 = runCli(['audit', 'verify', '--format', 'json'], { dataDir: s.dataDir });
      assert.equal(v0.status, 0, v0.stdout + v0.stderr);
      const cp = JSON.parse(v0.stdout).last_checkpoint;
      assert.ok(cp >= 7, `checkpoint at ${cp}`);

      const file = path.join(s.root, 'archive-1.jsonl');
      const past = runCli(['audit', 'archive', '--before', String(cp + 1000), '--output', file],
        { dataDir: s.dataDir });
      assert.equal(past.status, 5, past.stderr);
      assert.match(past.stderr, /before: must be at or before the newest signed checkpoint/);
      assert.equal(fs.existsSync(file), false);

      const a = runCli(['audit', 'archive', '--before', String(cp), '--output', file, '--format', 'json'],
        { dataDir: s.dataDir });
      assert.equal(a.status, 0, a.stdout + a.stderr);
      const res = JSON.parse(a.stdout);
      assert.equal(res.first_seq, 1);
      assert.equal(res.last_seq, cp);
      assert.equal(res.events, cp);
      assert.equal(res.event_seq, cp + 1);

      // the server goes on: its events link after the archive's own
      for (let i = 0; i < 3; i++) assert.equal((await s.api('GET', '/api/v1/whoami')).status, 200);
      const ver = assertJson(await s.api('GET', '/api/v1/audit/verify'), 200);
      assert.equal(ver.ok, true, ver.message);
      assert.match(ver.message, new RegExp(`after archive anchor ${cp};`));
      const list = assertJson(await s.api('GET', '/api/v1/audit?limit=500'), 200);
      const seqs = list.items.map((e) => e.seq);
      assert.equal(Math.min(...seqs), cp + 1, 'archived events are gone from the store');
      const arch = list.items.find((e) => e.action === 'audit.archive');
      assert.equal(arch.target, `audit/1..${cp}`);
      assert.match(arch.actor.user, /^cli:/);
      assert.ok(arch.reasons.includes(res.anchor.hash));
      await s.stop({ keepDataDir: true });

      const v = runCli(['audit', 'verify', '--format', 'json'], { dataDir: s.dataDir });
      assert.equal(v.status, 0, v.stdout + v.stderr);
      const rep = JSON.parse(v.stdout);
      assert.equal(rep.anchor_seq, cp);
      assert.equal(rep.last_checkpoint, rep.head_seq);
      const off = runCli(['audit', 'verify', '--export', file, '--public-key',
        path.join(s.dataDir, 'keys', 'signing.pub'), '--format', 'json'],
      { env: { KHOMUN_DATA: path.join(s.root, 'no-such-dir') } });
      assert.equal(off.status, 0, off.stdout + off.stderr);
      const orep = JSON.parse(off.stdout);
      assert.equal(orep.events, cp);
      assert.equal(orep.head_hash, res.anchor.hash);
    } finally {
      await s.stop({ keepDataDir: true }).catch(() => {});
      fs.rmSync(s.root, { recursive: true, force: true });
    }
  });
});
