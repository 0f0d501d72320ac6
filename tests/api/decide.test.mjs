// POST /api/v1/decide: the policy decision point for agency systems (docs/api/decide.md,
// docs/policy.md). Decisions for the caller, for another user (admin/auditor only), for an
// anonymous caller; the rules of the default policy seen through HTTP; validation errors named by
// path; the audit event.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertFieldError, assertJson, assertProblem, assertUnauthorized, startServer } from './harness.mjs';

const VERSION_RE = /^default\.1\+sha256:[0-9a-f]{16}$/;

describe('decide', { timeout: 90_000 }, () => {
  let s;
  let demo;
  let nso;
  const tokens = {};
  const users = {};

  const decide = (input, o = {}) => s.api('POST', '/api/v1/decide', { body: { input }, ...o });
  // The result of a 200 decision, with its shape checked.
  const result = async (input, o = {}) => {
    const r = await decide(input, o);
    const j = assertJson(r, 200);
    assert.deepEqual(Object.keys(j), ['result'], r.text);
    const d = j.result;
    assert.deepEqual(Object.keys(d).sort(), ['allow', 'policy_version', 'reasons', 'rule'], r.text);
    assert.equal(typeof d.allow, 'boolean');
    assert.match(d.policy_version, VERSION_RE);
    assert.ok(Array.isArray(d.reasons) && d.reasons.length >= 1, r.text);
    for (const x of d.reasons) {
      assert.equal(typeof x.rule, 'string');
      assert.ok(x.message.length > 0 && x.message_th.length > 0, r.text);
    }
    assert.equal(d.reasons[0].rule, d.rule);
    return d;
  };
  const dataset = (extra) => ({ kind: 'dataset', id: 'hh-survey-2566', owner_agency: 'demo', ...extra });

  before(async () => {
    s = await startServer();
    demo = assertJson(await s.api('GET', '/api/v1/agencies/demo'), 200);
    nso = assertJson(await s.api('POST', '/api/v1/agencies', {
      body: { slug: 'nso', name_th: 'สำนักงานสถิติแห่งชาติ' },
    }), 201);
    const mk = [
      ['somchai', 'demo', 'analyst', 'internal'],
      ['malee', 'demo', 'analyst', 'secret'],
      ['udom', 'demo', 'auditor', 'internal'],
      ['nid', 'demo', 'dpo', 'internal'],
      ['korn', 'nso', 'analyst', 'top_secret'],
      ['gone', 'demo', 'owner', 'top_secret'],
    ];
    for (const [name, agency, role, clearance] of mk) {
      users[name] = assertJson(await s.api('POST', '/api/v1/users', { body: { name, agency, role, clearance } }), 201);
      tokens[name] = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: name } }), 201).token;
    }
    assertJson(await s.api('POST', `/api/v1/users/${users.gone.id}/disable`), 200);
  }, { timeout: 30_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('public data: anyone may read it (rule public-data-read); the caller is the default', async () => {
    const d = await result({ action: 'read-data', resource: dataset({ level: 'public' }) });
    assert.equal(d.allow, true);
    assert.equal(d.rule, 'public-data-read');
    assert.equal(d.reasons.length, 1);
    assert.equal(d.reasons[0].message_th, 'ข้อมูลระดับเปิดเผย: ทุกคนอ่านได้');
    const anon = await result({ action: 'read-data', anonymous: true, resource: dataset({ level: 'เปิดเผย' }) });
    assert.equal(anon.allow, true);
    assert.equal(anon.policy_version, d.policy_version);
  });

  it('internal data: staff of the owner agency, not another agency, not the public', async () => {
    const internal = dataset({ level: 'internal' });
    assert.equal((await result({ action: 'read-data', user: 'somchai', resource: internal })).rule, 'internal-staff-read');
    const other = await result({ action: 'read-data', user: 'korn', resource: internal });
    assert.equal(other.allow, false);
    assert.equal(other.rule, 'default-deny');
    assert.equal(other.reasons[1].rule, 'cross-agency-agreement');
    assert.equal(other.reasons[1].condition, 'agreement'); // no sharing agreement exists yet
    const anon = await result({ action: 'read-data', anonymous: true, resource: internal });
    assert.equal(anon.allow, false);
  });

  it('classified data needs clearance >= level and a data role (rule classified-read)', async () => {
    const con = dataset({ level: 'ลับ' });
    const low = await result({ action: 'read-data', user: 'somchai', resource: con });
    assert.equal(low.allow, false);
    assert.deepEqual([low.reasons[1].rule, low.reasons[1].condition], ['classified-read', 'clearance_at_least_level']);
    const ok = await result({ action: 'read-data', user: 'malee', resource: con });
    assert.equal(ok.allow, true);
    assert.equal(ok.rule, 'classified-read');
    assert.equal((await result({ action: 'read-data', user: 'malee', resource: dataset({ level: 'top_secret' }) })).allow, false);
    // an auditor with clearance may still not read data
    assert.equal((await result({ action: 'read-data', user: 'udom', resource: con })).allow, false);
    // an unknown level denies
    assert.equal((await result({ action: 'read-data', user: 'malee', resource: dataset({}) })).allow, false);
  });

  it('personal data needs a purpose with a lawful basis; sensitive data an s.26 exception (PDPA)', async () => {
    const pers = dataset({ level: 'internal', category: 'personal' });
    const none = await result({ action: 'read-data', user: 'somchai', resource: pers });
    assert.equal(none.allow, false);
    assert.equal(none.rule, 'personal-data-needs-basis');
    const basis = await result({ action: 'read-data', user: 'somchai', resource: pers, purpose: { code: 'tax', basis: 's24(4)' } });
    assert.equal(basis.allow, true);
    assert.equal(basis.rule, 'internal-staff-read');
    const sens = { ...pers, sensitive: true };
    assert.equal((await result({ action: 'read-data', user: 'somchai', resource: sens, purpose: { basis: 'public_task' } })).allow, false);
    assert.equal((await result({
      action: 'read-data', user: 'somchai', resource: sens, purpose: { basis: 'public_task', s26_exception: 's26(5)' },
    })).allow, true);
    // metadata of personal data: the agency's DPO
    const meta = await result({ action: 'read-metadata', user: 'nid', resource: { ...pers, level: 'confidential' } });
    assert.equal(meta.rule, 'dpo-personal-metadata');
  });

  it('owner_agency by slug or id decides the same; an unknown agency is a 400', async () => {
    const bySlug = await result({ action: 'read-data', user: 'korn', resource: dataset({ owner_agency: 'nso', level: 'internal' }) });
    const byId = await result({ action: 'read-data', user: 'korn', resource: dataset({ owner_agency: nso.id, level: 'internal' }) });
    assert.equal(bySlug.allow, true);
    assert.deepEqual(bySlug, byId);
    const own = await result({ action: 'read-data', user: 'somchai', resource: dataset({ owner_agency: demo.id, level: 'internal' }) });
    assert.equal(own.allow, true);
    const r = await decide({ action: 'read-data', resource: dataset({ owner_agency: 'nope' }) });
    assertFieldError(r, 'input.resource.owner_agency');
  });

  it('admin-only actions, audit reads and self reads', async () => {
    const adm = await result({ action: 'administer', resource: { kind: 'user' } });
    assert.equal(adm.rule, 'admin-administer');
    assert.equal((await result({ action: 'administer', user: 'somchai', resource: { kind: 'user' } })).allow, false);
    assert.equal((await result({ action: 'audit-read', user: 'udom', resource: { kind: 'audit' } })).rule, 'audit-read');
    assert.equal((await result({ action: 'audit-read', user: 'somchai', resource: { kind: 'audit' } })).allow, false);
    const self = await result({ action: 'read-metadata', user: 'somchai', resource: { kind: 'user', id: users.somchai.id } });
    assert.equal(self.rule, 'self-read');
    const notSelf = await result({ action: 'read-metadata', user: 'somchai', resource: { kind: 'user', id: users.malee.id } });
    assert.equal(notSelf.allow, false);
  });

  it('a non-admin caller decides for itself; naming another user is 403, unless admin or auditor', async () => {
    const mine = await result({ action: 'read-data', resource: dataset({ level: 'internal' }) }, { token: tokens.somchai });
    assert.equal(mine.allow, true);
    const byName = await result({ action: 'read-data', user: 'somchai', resource: dataset({ level: 'internal' }) }, { token: tokens.somchai });
    assert.deepEqual(byName, mine);
    const r = await decide({ action: 'read-data', user: 'malee', resource: dataset({ level: 'ลับ' }) }, { token: tokens.somchai });
    const p = assertProblem(r, 403);
    assert.match(p.detail, /another user/);
    const aud = await result({ action: 'read-data', user: 'malee', resource: dataset({ level: 'ลับ' }) }, { token: tokens.udom });
    assert.equal(aud.allow, true);
  });

  it('a disabled user decides nothing; an unknown user is a 400 on input.user', async () => {
    const d = await result({ action: 'read-data', user: 'gone', resource: dataset({ level: 'public' }) });
    assert.equal(d.allow, false);
    assert.equal(d.rule, 'user-disabled');
    assertFieldError(await decide({ action: 'read-data', user: 'nobody', resource: { kind: 'dataset' } }), 'input.user');
  });

  it('validation errors name the field by its path, in English and Thai', async () => {
    const cases = [
      [{}, 'input', null],
      [{ input: { resource: { kind: 'dataset' } } }, 'input.action', null],
      [{ input: { action: 'read', resource: { kind: 'dataset' } } }, 'input.action', /unknown action 'read'/],
      [{ input: { action: 'read-data' } }, 'input.resource', null],
      [{ input: { action: 'read-data', resource: { kind: 'table' } } }, 'input.resource.kind', /unknown resource kind/],
      [{ input: { action: 'read-data', resource: { kind: 'dataset', level: 'ultra' } } }, 'input.resource.level', /unknown level/],
      [{ input: { action: 'read-data', resource: { kind: 'dataset', colour: 'red' } } }, 'input.resource.colour', /unknown field/],
      [{ input: { action: 'read-data', resource: { kind: 'dataset' }, purpose: { basis: 'whim' } } }, 'input.purpose.basis', /lawful basis/],
      [{ input: { action: 'read-data', resource: { kind: 'dataset' }, user: 'admin', anonymous: true } }, 'input.anonymous', /excludes/],
      [{ input: { action: 'read-data', resource: { kind: 'dataset' } }, extra: 1 }, 'body.extra', /unknown field/],
    ];
    for (const [body, field, re] of cases) {
      const r = await s.api('POST', '/api/v1/decide', { body });
      const e = assertFieldError(r, field);
      if (re) assert.match(e.message, re, r.text);
    }
  });

  it('401 without a token, 415 without JSON, 405 on GET', async () => {
    assertUnauthorized(await decide({ action: 'read-data', resource: { kind: 'dataset' } }, { token: null }), 'missing bearer token');
    const r = await s.api('POST', '/api/v1/decide', { rawBody: '{}', headers: { 'content-type': 'text/plain' } });
    assertProblem(r, 415);
    const g = await s.api('GET', '/api/v1/decide');
    assertProblem(g, 405);
    assert.match(g.headers.get('allow') || '', /POST/);
  });

  it('each decision is audited as decision.evaluate with its target and outcome', async () => {
    const d = await result({ action: 'classify', resource: { kind: 'dataset', id: 'audited-1', level: 'secret' } });
    assert.equal(d.rule, 'classify-by-admin');
    let ev;
    for (let i = 0; i < 50 && !ev; i++) {
      const j = assertJson(await s.api('GET', '/api/v1/audit?action=decision.evaluate&limit=50'), 200);
      ev = j.items.find((x) => x.target === 'decide/classify/dataset/audited-1');
      if (!ev) await new Promise((res) => setTimeout(res, 50));
    }
    assert.ok(ev, 'no audit event for the decision');
    assert.equal(ev.action, 'decision.evaluate');
    assert.match(ev.reasons, /^allow by classify-by-admin for .* \(policy default\.1\+sha256:[0-9a-f]{16}\)$/);
  });
});
