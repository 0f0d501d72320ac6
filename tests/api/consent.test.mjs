// Purposes and consents (issue 5): the PDPA rules of a purpose (thai-rules.md §1.3 s.24, §1.4
// s.26), grant → check → withdraw → check (§1.5 s.19), minors (s.20), versioned consent texts,
// bad input (each a 400 naming the field, nothing changed), and pseudonymous subjects: the clear
// national ID never appears in the audit trail. Signed receipts (§6): none while the agency
// record lacks its e-mail/DPO and privacy notice; once it has them, a Kantara v1.1 receipt that
// validates against the schemas (ajv) and verifies (the route and `khomun consent verify`).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import Ajv from 'ajv';

import { REPO, assertFieldError, assertJson, assertProblem, runCli, sleep, startServer } from './harness.mjs';

const SCHEMAS = join(REPO, 'docs', 'schemas');

const ID = '1-1017-00230-70-8'; // a synthetic national ID with a valid check digit
const ID_PLAIN = '1101700230708';
const BAD_CHECK = '1101700230704';

describe('purposes and consents', { timeout: 60_000 }, () => {
  let s;
  const post = (p, body, opts = {}) => s.api('POST', p, { body, ...opts });
  const check = (purpose, subject = ID_PLAIN) => s.api('GET',
    `/api/v1/consents/check?purpose=${encodeURIComponent(purpose)}&subject=${subject}&subject_type=tnin`);
  before(async () => {
    s = await startServer();
    assertJson(await post('/api/v1/purposes', {
      code: 'e-newsletter', name_th: 'จดหมายข่าวอิเล็กทรอนิกส์', name_en: 'e-newsletter', basis: 'consent',
      retention_days: 730, consent_text_th: 'ข้าพเจ้ายินยอมรับจดหมายข่าว', consent_text_en: 'I agree',
      categories: ['email'],
    }), 201);
    assertJson(await post('/api/v1/purposes', {
      code: 'tax-refund', name_th: 'คืนภาษีเงินได้', basis: 's24(4)', retention_days: 3650,
    }), 201);
    assertJson(await post('/api/v1/purposes', {
      code: 'health-screening', name_th: 'ตรวจคัดกรองสุขภาพ', basis: 'consent', sensitive: ['HEALTH'],
      retention_days: 365, consent_text_th: 'ยินยอมโดยชัดแจ้งให้ใช้ข้อมูลสุขภาพ',
    }), 201);
  }, { timeout: 30_000 });
  after(async () => { await s?.stop(); });

  it('§1.4 (PDPA s.26): sensitive data on legitimate interest s24(5) without an s.26 exception is refused', async () => {
    const r = await post('/api/v1/purposes', { code: 'li-health', name_th: 'x', basis: 's24(5)', sensitive: ['HEALTH'], retention_days: 30 });
    assertFieldError(r, 's26_exception');
    assertJson(await post('/api/v1/purposes', { code: 'li-health', name_th: 'x', basis: 's24(6)', sensitive: ['HEALTH'], s26_exception: 's26(5)', retention_days: 30 }), 201);
  });

  it('§1.5 (PDPA s.19): a consent-basis purpose needs a Thai consent text; s.24: a basis is required', async () => {
    assertFieldError(await post('/api/v1/purposes', { code: 'no-text', name_th: 'x', basis: 'consent', retention_days: 30 }), 'consent_text_th');
    assertFieldError(await post('/api/v1/purposes', { code: 'no-basis', name_th: 'x', basis: 'none', retention_days: 30 }), 'basis');
    assertFieldError(await post('/api/v1/purposes', { code: 'x-ds', name_th: 'x', basis: 's24(4)', retention_days: 30, datasets: ['nope'] }), 'datasets');
    assertProblem(await post('/api/v1/purposes', { code: 'tax-refund', name_th: 'x', basis: 's24(4)', retention_days: 30 }), 409);
  });

  it('§1.5 (PDPA s.19): grant → check allows → withdraw (same shape) → check denies at once', async () => {
    let c = assertJson(await check('e-newsletter'), 200);
    assert.equal(c.allow, false);
    assert.equal(c.reason_code, 'no_consent');
    const g = assertJson(await post('/api/v1/consents', { subject: ID, subject_type: 'tnin', purpose: 'e-newsletter', method: 'electronic' }), 201);
    assert.equal(g.consent.action, 'grant');
    assert.match(g.consent.subject_token, /^[0-9a-f]{64}$/);
    // §6 (Kantara v1.1): a signed receipt needs the controller's e-mail (or its DPO's) and its
    // privacy notice; this agency has neither yet (an s.41 gap): the consent counts, and the
    // response says why there is no receipt
    assert.equal(g.receipt, null);
    const missing = g.receipt_error.map((e) => e.field);
    assert.ok(missing.includes('email') && missing.includes('policy_url'), JSON.stringify(g.receipt_error));
    assert.ok(!JSON.stringify(g).includes(ID_PLAIN));
    c = assertJson(await check('e-newsletter'), 200);
    assert.equal(c.allow, true);
    assert.equal(c.basis, 'consent');
    assert.equal(c.consent_id, g.consent.id);
    const w = assertJson(await post('/api/v1/consents/withdraw', { subject: ID_PLAIN, subject_type: 'tnin', purpose: 'e-newsletter' }), 200);
    assert.equal(w.consent.action, 'withdraw');
    assert.equal(w.receipt, null);
    c = assertJson(await check('e-newsletter'), 200);
    assert.equal(c.allow, false);
    assert.equal(c.reason_code, 'withdrawn');
    assert.ok(c.reason_th.length > 0);
    // withdrawing again: nothing to withdraw, nothing changed
    assertProblem(await post('/api/v1/consents/withdraw', { subject: ID_PLAIN, subject_type: 'tnin', purpose: 'e-newsletter' }), 404);
    const h = assertJson(await s.api('GET', `/api/v1/consents?subject=${ID_PLAIN}&subject_type=tnin`), 200);
    assert.deepEqual(h.items.map((x) => x.action), ['grant', 'withdraw']);
  });

  it('s.24: a purpose on a non-consent basis is allowed without a record, naming the basis', async () => {
    const c = assertJson(await check('tax-refund', '3100600000005'), 200);
    assert.equal(c.allow, true);
    assert.equal(c.basis, 's24(4)');
    assert.equal(c.reason_code, 'basis');
    assert.equal(c.consent_id, null);
  });

  it('bad input: each a 400 naming the field, nothing changed', async () => {
    const base = { subject: '3100601234565', subject_type: 'tnin', purpose: 'e-newsletter', method: 'written' };
    assertFieldError(await post('/api/v1/consents', { ...base, purpose: 'nope' }), 'purpose');
    assertFieldError(await post('/api/v1/consents', { ...base, subject: BAD_CHECK }), 'subject');
    assertFieldError(await post('/api/v1/consents', { ...base, subject_type: 'passport' }), 'subject_type');
    assertFieldError(await post('/api/v1/consents', { ...base, method: 'telepathy' }), 'method');
    assertFieldError(await post('/api/v1/consents', { ...base, given_at: '2999-01-01T00:00:00Z' }), 'given_at');
    assertFieldError(await post('/api/v1/consents', { ...base, birth_date: '2999-01-01' }), 'birth_date');
    assertFieldError(await post('/api/v1/consents', { ...base, expires_at: '2000-01-01T00:00:00Z' }), 'expires_at');
    assertFieldError(await post('/api/v1/consents', { ...base, purpose: 'tax-refund' }), 'purpose');
    assertFieldError(await check('nope'), 'purpose');
    const h = assertJson(await s.api('GET', '/api/v1/consents?subject=3100601234565&subject_type=tnin'), 200);
    assert.equal(h.items.length, 0, 'nothing written');
  });

  it('why the data is read (PDPA s.24): a header wins over its query parameter; a bad one is a 400 naming it', async () => {
    const q = (extra, headers) => s.api('GET',
      `/api/v1/consents/check?purpose=tax-refund&subject=${ID_PLAIN}&subject_type=tnin${extra}`, { headers });
    assert.equal(assertJson(await q('&purpose_basis=bogus', { 'x-khomun-purpose-basis': 's24(4)' }), 200).allow, true);
    assertFieldError(await q('&purpose_basis=s24(4)', { 'X-KHOMUN-PURPOSE-BASIS': 'bogus' }), 'basis');
    assertFieldError(await q('&s26_exception=s26(9)'), 's26_exception');
    assertFieldError(await q('', { 'x-khomun-explicit-consent': 'maybe' }), 'explicit_consent');
    assertFieldError(await q('', { 'x-khomun-purpose': 'x'.repeat(101) }), 'purpose');
    assert.equal(assertJson(await q('&explicit_consent=true&s26_exception=s26(5)'), 200).basis, 's24(4)');
  });

  it('§1.4 (PDPA s.26 para 1): a sensitive purpose needs explicit consent', async () => {
    const base = { subject: ID, subject_type: 'tnin', purpose: 'health-screening', method: 'written' };
    assertFieldError(await post('/api/v1/consents', base), 'explicit');
    assertJson(await post('/api/v1/consents', { ...base, explicit: true }), 201);
    assert.equal(assertJson(await check('health-screening'), 200).allow, true);
  });

  it('§1.5 (PDPA s.20): a minor not over 10 only through the guardian; 10-19 with the guardian too', async () => {
    const base = { subject_type: 'tnin', purpose: 'e-newsletter', method: 'written' };
    const guardian = { subject: ID, subject_type: 'tnin', relation: 'mother' };
    assertFieldError(await post('/api/v1/consents', { ...base, subject: '1100600000009', age: 8 }), 'guardian');
    assertFieldError(await post('/api/v1/consents', { ...base, subject: '1100600000009', age: 8, guardian }), 'guardian');
    assertJson(await post('/api/v1/consents', { ...base, subject: '1100600000009', age: 8, given_by: 'guardian', guardian }), 201);
    assertFieldError(await post('/api/v1/consents', { ...base, subject: '1100600000017', age: 15 }), 'guardian');
    assertJson(await post('/api/v1/consents', { ...base, subject: '1100600000017', age: 15, given_by: 'subject+guardian', guardian }), 201);
    assertJson(await post('/api/v1/consents', { ...base, subject: '1100600000025', age: 17, minor_may_act_alone: true }), 201);
    assertJson(await post('/api/v1/consents', { ...base, subject: '1100600000033', age: 20 }), 201);
  });

  it('a new consent text version does not extend old consents (reconsent_required by default)', async () => {
    const subject = '1100600000041';
    assertJson(await post('/api/v1/consents', { subject, subject_type: 'tnin', purpose: 'e-newsletter', method: 'written' }), 201);
    assert.equal(assertJson(await check('e-newsletter', subject), 200).allow, true);
    const p = await s.api('GET', '/api/v1/purposes/e-newsletter');
    const cur = assertJson(p, 200);
    const body = { name_th: cur.name_th, basis: 'consent', retention_days: 730, consent_text_th: 'ข้อความใหม่', categories: ['email'] };
    assertProblem(await s.api('PUT', '/api/v1/purposes/e-newsletter', { body }), 428);
    const u = assertJson(await s.api('PUT', '/api/v1/purposes/e-newsletter', { body, headers: { 'if-match': p.headers.get('etag') } }), 200);
    assert.equal(u.consent_text.version, 2);
    assert.equal(u.consent_text.min_version, 2);
    const c = assertJson(await check('e-newsletter', subject), 200);
    assert.equal(c.allow, false);
    assert.equal(c.reason_code, 'reconsent_required');
    assertJson(await post('/api/v1/consents', { subject, subject_type: 'tnin', purpose: 'e-newsletter', method: 'written' }), 201);
    assert.equal(assertJson(await check('e-newsletter', subject), 200).allow, true);
  });

  it('batch check answers in order; a bad item names itself', async () => {
    const r = assertJson(await post('/api/v1/consents/check', { checks: [
      { subject: ID_PLAIN, subject_type: 'tnin', purpose: 'tax-refund' },
      { subject: ID_PLAIN, subject_type: 'tnin', purpose: 'e-newsletter' },
    ] }), 200);
    assert.deepEqual(r.results.map((x) => x.reason_code), ['basis', 'withdrawn']);
    assertFieldError(await post('/api/v1/consents/check', { checks: [{ subject: BAD_CHECK, subject_type: 'tnin', purpose: 'tax-refund' }] }), 'checks[0].subject');
    // an unknown purpose in the third item: that item is named, nothing is answered
    assertFieldError(await post('/api/v1/consents/check', { checks: [
      { subject: ID_PLAIN, subject_type: 'tnin', purpose: 'tax-refund' },
      { subject: ID_PLAIN, subject_type: 'tnin', purpose: 'e-newsletter' },
      { subject: ID_PLAIN, subject_type: 'tnin', purpose: 'no-such-purpose' },
    ] }), 'checks[2].purpose');
    assertFieldError(await post('/api/v1/consents/check', { checks: [
      { subject: ID_PLAIN, subject_type: 'tnin' },
    ] }), 'checks[0].purpose');
  });

  it('the clear national ID never appears in the audit trail (pseudonymous subjects)', async () => {
    const j = await s.api('GET', '/api/v1/audit?limit=500');
    const text = assertJson(j, 200) && j.text;
    for (const v of [ID, ID_PLAIN, '1100600000009']) assert.ok(!text.includes(v), `audit contains ${v}`);
    assert.ok(text.includes('consent.grant'));
  });

  it('§6 (Kantara v1.1): once the agency names its e-mail, DPO and privacy notice, a grant returns a signed receipt that validates and verifies', async () => {
    const ag = await s.api('GET', '/api/v1/agencies/demo');
    const cur = assertJson(ag, 200);
    const notice = 'https://demo.example.go.th/privacy-notice';
    // a privacy notice must be an http(s) URL (named, nothing changed)
    assertFieldError(await s.api('PUT', '/api/v1/agencies/demo', {
      body: { name_th: cur.name_th, privacy_notice_url: 'ประกาศ.pdf' }, headers: { 'if-match': ag.headers.get('etag') },
    }), 'privacy_notice_url');
    const upd = assertJson(await s.api('PUT', '/api/v1/agencies/demo', {
      body: {
        name_th: cur.name_th, name_en: cur.name_en, email: 'saraban@demo.example.go.th', phone: '0 2141 6747',
        address: '120 ถนนแจ้งวัฒนะ กรุงเทพฯ 10210', dpo_name: 'สมชาย ใจดี', dpo_email: 'dpo@demo.example.go.th',
        privacy_notice_url: notice,
      },
      headers: { 'if-match': ag.headers.get('etag') },
    }), 200);
    assert.equal(upd.privacy_notice_url, notice);
    assertJson(await post('/api/v1/purposes', {
      code: 'e-news', name_th: 'จดหมายข่าวทางอีเมล', name_en: 'E-mail newsletter', basis: 'consent', retention_days: 730,
      consent_text_th: 'ข้าพเจ้ายินยอมรับจดหมายข่าวทางอีเมล', categories: ['PERSON', 'EMAIL_ADDRESS'],
    }), 201);
    // a purpose may name its own notice (it overrides the agency's); a bad one is refused
    assertFieldError(await post('/api/v1/purposes', {
      code: 'sms-alerts', name_th: 'แจ้งเตือนทาง SMS', basis: 'consent', retention_days: 365,
      consent_text_th: 'ยินยอมรับ SMS', categories: ['PHONE_NUMBER'], privacy_notice_url: 'ftp://demo.example.go.th/sms',
    }), 'privacy_notice_url');
    const sms = assertJson(await post('/api/v1/purposes', {
      code: 'sms-alerts', name_th: 'แจ้งเตือนทาง SMS', basis: 'consent', retention_days: 365,
      consent_text_th: 'ยินยอมรับ SMS', categories: ['PHONE_NUMBER'], privacy_notice_url: 'https://demo.example.go.th/sms-notice',
    }), 201);
    assert.equal(sms.privacy_notice_url, 'https://demo.example.go.th/sms-notice');

    const g = assertJson(await post('/api/v1/consents', { subject: '3-1006-01234-56-5', subject_type: 'tnin', purpose: 'e-news', method: 'electronic' }), 201);
    assert.equal(g.receipt_error, undefined, JSON.stringify(g.receipt_error));
    const doc = g.receipt;
    assert.ok(doc && doc.jws, 'a signed receipt');
    const r = doc.receipt;
    assert.equal(r.policyUrl, notice);
    assert.equal(r.piiControllers[0].email, 'saraban@demo.example.go.th');
    assert.equal(r.piiControllers[0].phone, '0 2141 6747');
    assert.equal(r.piiControllers[0].address.streetAddress, '120 ถนนแจ้งวัฒนะ กรุงเทพฯ 10210');
    assert.deepEqual(r.dpo, { name: 'สมชาย ใจดี', email: 'dpo@demo.example.go.th', phone: null });
    assert.equal(r.piiPrincipalId, g.consent.subject_token);
    assert.ok(!JSON.stringify(doc).includes('3100601234565'));

    // the schemas: Kantara v1.1 (required members) and Khomun's document
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    const kschema = JSON.parse(readFileSync(join(SCHEMAS, 'kantara-consent-receipt-v1.1.schema.json'), 'utf8'));
    ajv.addSchema(kschema);
    const kantara = ajv.getSchema(kschema.$id);
    const khomun = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'khomun-consent-receipt.schema.json'), 'utf8')));
    assert.ok(kantara(r), JSON.stringify(kantara.errors));
    assert.ok(khomun(doc), JSON.stringify(khomun.errors));

    // it verifies over HTTP and offline; a changed e-mail does not
    let v = assertJson(await s.api('POST', '/api/v1/consents/receipts/verify', { token: null, body: doc }), 200);
    assert.equal(v.valid, true, JSON.stringify(v.problems));
    assert.equal(v.consent_id, g.consent.id);
    const dir = mkdtempSync(join(tmpdir(), 'khomun-consent-'));
    try {
      writeFileSync(join(dir, 'r.json'), JSON.stringify(doc));
      const c = runCli(['consent', 'verify', join(dir, 'r.json'), '--key', r.publicKey, '--format', 'json']);
      assert.equal(c.status, 0, c.stdout + c.stderr);
      assert.equal(JSON.parse(c.stdout).key_pinned, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const tampered = structuredClone(doc);
    tampered.receipt.piiControllers[0].email = 'attacker@example.com';
    v = assertJson(await s.api('POST', '/api/v1/consents/receipts/verify', { token: null, body: tampered }), 200);
    assert.equal(v.valid, false);
    assert.deepEqual(v.problems.map((p) => p.code), ['bad-signature']);

    // the purpose's own notice; the withdrawal's receipt too (s.19 para 5)
    const sg = assertJson(await post('/api/v1/consents', { subject: '+66 81 234 5678', subject_type: 'phone', purpose: 'sms-alerts', method: 'electronic' }), 201);
    assert.equal(sg.receipt.receipt.policyUrl, 'https://demo.example.go.th/sms-notice');
    const w = assertJson(await post('/api/v1/consents/withdraw', { subject: '081-234-5678', subject_type: 'phone', purpose: 'sms-alerts' }), 200);
    assert.equal(w.receipt.receipt.consentEvent, 'withdrawn');
    v = assertJson(await s.api('POST', '/api/v1/consents/receipts/verify', { token: null, body: w.receipt }), 200);
    assert.equal(v.valid, true, JSON.stringify(v.problems));
    assert.ok(kantara(w.receipt.receipt), JSON.stringify(kantara.errors));
  });
  it('§1.5 (PDPA s.19): a retired purpose is on record, checks deny purpose_retired, no new consent, withdrawal still recorded', async () => {
    const SUBJ = '1-1017-00230-70-8';
    const p = assertJson(await post('/api/v1/purposes', {
      code: 'old-survey', name_th: 'แบบสำรวจความพึงพอใจ (เลิกใช้)', basis: 'consent', retention_days: 90,
      consent_text_th: 'ยินยอมตอบแบบสำรวจ',
    }), 201);
    assertJson(await post('/api/v1/consents', { subject: SUBJ, subject_type: 'tnin', purpose: 'old-survey', method: 'electronic' }), 201);
    assert.equal(assertJson(await check('old-survey'), 200).allow, true);
    // If-Match is required and must be current; nothing changes otherwise
    assertProblem(await s.api('DELETE', `/api/v1/purposes/${p.id}`), 428);
    assertProblem(await s.api('DELETE', `/api/v1/purposes/${p.id}`, { headers: { 'if-match': '"9"' } }), 412);
    assert.equal(assertJson(await check('old-survey'), 200).allow, true);
    const r = assertJson(await s.api('DELETE', `/api/v1/purposes/${p.id}`, { headers: { 'if-match': `"${p.version}"` } }), 200);
    assert.ok(r.retired_at, JSON.stringify(r));
    assertProblem(await s.api('DELETE', `/api/v1/purposes/${p.id}`, { headers: { 'if-match': `"${r.version}"` } }), 409);
    const c = assertJson(await check('old-survey'), 200);
    assert.equal(c.allow, false);
    assert.equal(c.reason_code, 'purpose_retired');
    assertFieldError(await post('/api/v1/consents', { subject: SUBJ, subject_type: 'tnin', purpose: 'old-survey', method: 'electronic' }), 'purpose');
    const w = assertJson(await post('/api/v1/consents/withdraw', { subject: SUBJ, subject_type: 'tnin', purpose: 'old-survey' }), 200);
    assert.equal(w.consent.action, 'withdraw');
    assert.equal(assertJson(await s.api('GET', `/api/v1/purposes/${p.id}`), 200).retired_at, r.retired_at);
  });
});

// The consent check is the agency systems' high-volume read: its successes are audited as
// aggregated events (docs/audit.md, Aggregated events; PDPA s.37 security measures, §1.12 — and
// s.39's record says who processes for which purpose): per caller, purpose, answer and client
// each second, with the count; refusals and bad requests stay events of their own, durable
// before the reply; the chain verifies.
describe('consent checks: aggregated audit events', { timeout: 60_000 }, () => {
  const AGG_RE = /^aggregate: (\d+) events from (\S+) to (\S+); allowed by rule consent-record-by-systems \(policy [^)]+\); answer: (allow|deny) \((\w+)\)$/;
  let s;
  let sys; // a custodian: an agency system with its own token
  const GRANTED = '1100700000019';
  const UNKNOWN = '1100700000027';
  const check = (subject, token = sys.token) => s.api('GET',
    `/api/v1/consents/check?purpose=e-newsletter&subject=${subject}&subject_type=tnin`, { token });
  // The aggregated consent.check events of `user`, polled until their counts add up to `want`.
  async function aggregates(user, want) {
    let rows = [];
    for (let i = 0; i < 100; i++) {
      const j = assertJson(await s.api('GET', `/api/v1/audit?action=consent.check&actor=${user}&limit=500`), 200);
      rows = j.items.filter((e) => e.request_id === null);
      if (rows.reduce((n, e) => n + Number(AGG_RE.exec(e.reasons)?.[1] ?? 0), 0) >= want) break;
      await sleep(50);
    }
    return rows;
  }
  before(async () => {
    s = await startServer();
    assertJson(await s.api('POST', '/api/v1/purposes', {
      body: { code: 'e-newsletter', name_th: 'จดหมายข่าวอิเล็กทรอนิกส์', basis: 'consent', retention_days: 730,
        consent_text_th: 'ข้าพเจ้ายินยอมรับจดหมายข่าว' },
    }), 201);
    const u = assertJson(await s.api('POST', '/api/v1/users', { body: { name: 'newsletter-system', agency: 'demo', role: 'custodian' } }), 201);
    const t = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: u.id, name: 'ระบบจดหมายข่าว' } }), 201);
    sys = { user: u, token: t.token, tokenId: t.id };
    assertJson(await s.api('POST', '/api/v1/consents', {
      body: { subject: GRANTED, subject_type: 'tnin', purpose: 'e-newsletter', method: 'electronic' }, token: sys.token,
    }), 201);
  }, { timeout: 30_000 });
  after(async () => { await s?.stop(); });

  it('N checks become aggregated events counting N, one per answer; the subject is not named', async () => {
    const t0 = Date.now();
    const rids = [];
    for (let i = 0; i < 15; i++) {
      const r = await check(GRANTED);
      assert.equal(assertJson(r, 200).allow, true);
      rids.push(r.headers.get('x-request-id'));
    }
    for (let i = 0; i < 10; i++) assert.equal(assertJson(await check(UNKNOWN), 200).reason_code, 'no_consent');
    const rows = await aggregates(sys.user.id, 25);
    const counts = {};
    for (const e of rows) {
      const m = AGG_RE.exec(e.reasons);
      assert.ok(m, `not an aggregate: ${e.reasons}`);
      counts[`${m[4]} ${m[5]}`] = (counts[`${m[4]} ${m[5]}`] ?? 0) + Number(m[1]);
      assert.ok(Date.parse(m[2]) >= t0 - 1000 && Date.parse(m[2]) <= Date.parse(m[3]), e.reasons);
      assert.equal(e.ts, m[2], 'the event is dated by its first check');
      assert.equal(e.action, 'consent.check');
      assert.equal(e.target, '/api/v1/consents/check');
      assert.equal(e.purpose, 'e-newsletter');
      assert.equal(e.outcome, 'success');
      assert.equal(e.status, 200);
      assert.equal(e.client, '127.0.0.1');
      assert.deepEqual(e.actor, { user: sys.user.id, agency: sys.user.agency_id, token: sys.tokenId });
    }
    assert.deepEqual(counts, { 'allow consent': 15, 'deny no_consent': 10 });
    // no event of its own per check, and neither the ID nor its token is in the trail
    const all = assertJson(await s.api('GET', `/api/v1/audit?actor=${sys.user.id}&limit=500`), 200).items;
    assert.ok(!all.some((e) => rids.includes(e.request_id)));
    const text = JSON.stringify(all);
    assert.ok(!text.includes(GRANTED) && !text.includes('consent-subject/'), text.slice(0, 500));
  });

  it('a bad check and a refused one are events of their own, durable before the reply', async () => {
    const bad = await check('1100700000018'); // wrong check digit
    assertFieldError(bad, 'subject');
    const analyst = assertJson(await s.api('POST', '/api/v1/users', { body: { name: 'newsletter-auditor', agency: 'demo', role: 'auditor' } }), 201);
    const at = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: analyst.id } }), 201);
    const refused = await check(GRANTED, at.token);
    assertProblem(refused, 403);
    const items = assertJson(await s.api('GET', '/api/v1/audit?action=consent.check&limit=500'), 200).items;
    const byRid = (r) => items.find((e) => e.request_id === r.headers.get('x-request-id'));
    assert.equal(byRid(bad)?.outcome, 'failure');
    assert.equal(byRid(bad)?.status, 400);
    assert.equal(byRid(refused)?.outcome, 'denied');
    assert.equal(byRid(refused)?.actor.user, analyst.id);
  });

  it('checks still counted when the server stops are written at stop; the chain verifies', async () => {
    const s2 = await startServer({ args: ['--audit-window', '3600000'] }); // an hour: only the stop writes
    try {
      assertJson(await s2.api('POST', '/api/v1/purposes', {
        body: { code: 'survey', name_th: 'สำรวจความพึงพอใจ', basis: 'consent', retention_days: 90, consent_text_th: 'ยินยอมตอบแบบสำรวจ' },
      }), 201);
      for (let i = 0; i < 7; i++) {
        assertJson(await s2.api('GET', `/api/v1/consents/check?purpose=survey&subject=${UNKNOWN}&subject_type=tnin`), 200);
      }
      await sleep(300);
      const before = assertJson(await s2.api('GET', '/api/v1/audit?action=consent.check'), 200);
      assert.equal(before.items.length, 0, 'counted in memory until the window ends');
    } finally {
      await s2.stop({ keepDataDir: true });
    }
    const v = runCli(['audit', 'verify', '--format', 'json'], { dataDir: s2.dataDir });
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.equal(JSON.parse(v.stdout).ok, true);
    const e = runCli(['audit', 'export'], { dataDir: s2.dataDir });
    assert.equal(e.status, 0, e.stderr);
    const agg = e.stdout.split('\n').filter((l) => l.includes('"consent.check"')).map((l) => JSON.parse(l).event);
    assert.equal(agg.length, 1, e.stdout);
    assert.match(agg[0].reasons, /^aggregate: 7 events from .*; answer: deny \(no_consent\)$/);
    assert.equal(agg[0].purpose, 'survey');
  });
});

// The server serves while its consent index is built from the store (khm_consent_index_start):
// until then each check is answered from the pair's own records, with the same answers
// (§1.5 s.19: a withdrawal is the next check's answer either way). The build is held back
// (KHOMUN_CONSENT_INDEX_DELAY_MS, a test aid) so that every check below comes before it; the
// server then stops at once, the build stopped with it.
describe('consent checks while the index is being built', { timeout: 60_000 }, () => {
  let s;
  const post = (p, body) => s.api('POST', p, { body });
  const check = (purpose, subject = ID_PLAIN) => s.api('GET',
    `/api/v1/consents/check?purpose=${encodeURIComponent(purpose)}&subject=${subject}&subject_type=tnin`);
  before(async () => {
    s = await startServer({ env: { KHOMUN_CONSENT_INDEX_DELAY_MS: '600000' } });
    assertJson(await post('/api/v1/purposes', {
      code: 'e-newsletter', name_th: 'จดหมายข่าวอิเล็กทรอนิกส์', basis: 'consent', retention_days: 730,
      consent_text_th: 'ข้าพเจ้ายินยอมรับจดหมายข่าว',
    }), 201);
    assertJson(await post('/api/v1/purposes', {
      code: 'tax-refund', name_th: 'คืนภาษีเงินได้', basis: 's24(4)', retention_days: 3650,
    }), 201);
  }, { timeout: 30_000 });
  after(async () => { await s?.stop(); });

  it('grant → allow with its record, withdraw → deny at once, another basis allows; batch in order', async () => {
    assert.deepEqual(assertJson(await s.api('GET', '/readyz', { token: null }), 200).consent_index,
      { state: 'building', pairs: 0 });
    let c = assertJson(await check('e-newsletter'), 200);
    assert.equal(c.allow, false);
    assert.equal(c.reason_code, 'no_consent');
    const g = assertJson(await post('/api/v1/consents', { subject: ID, subject_type: 'tnin', purpose: 'e-newsletter', method: 'electronic' }), 201);
    c = assertJson(await check('e-newsletter'), 200);
    assert.equal(c.allow, true);
    assert.equal(c.reason_code, 'consent');
    assert.equal(c.consent_id, g.consent.id);
    const w = assertJson(await post('/api/v1/consents/withdraw', { subject: ID_PLAIN, subject_type: 'tnin', purpose: 'e-newsletter' }), 200);
    c = assertJson(await check('e-newsletter'), 200);
    assert.equal(c.allow, false);
    assert.equal(c.reason_code, 'withdrawn');
    assert.equal(c.consent_id, w.consent.id);
    c = assertJson(await check('tax-refund'), 200);
    assert.equal(c.allow, true);
    assert.equal(c.reason_code, 'basis');
    const r = assertJson(await post('/api/v1/consents/check', { checks: [
      { subject: ID_PLAIN, subject_type: 'tnin', purpose: 'tax-refund' },
      { subject: ID_PLAIN, subject_type: 'tnin', purpose: 'e-newsletter' },
      { subject: '1100700000019', subject_type: 'tnin', purpose: 'e-newsletter' },
    ] }), 200);
    assert.deepEqual(r.results.map((x) => x.reason_code), ['basis', 'withdrawn', 'no_consent']);
  });

  it('an unknown purpose names itself, as with the index', async () => {
    assertFieldError(await check('no-such-purpose'), 'purpose');
    assertFieldError(await post('/api/v1/consents/check', { checks: [
      { subject: ID_PLAIN, subject_type: 'tnin', purpose: 'tax-refund' },
      { subject: ID_PLAIN, subject_type: 'tnin', purpose: 'no-such-purpose' },
    ] }), 'checks[1].purpose');
  });

  it('the server stops at once, the build stopped with it', async () => {
    const t0 = Date.now();
    await s.stop();
    s = null;
    assert.ok(Date.now() - t0 < 5000, `stop took ${Date.now() - t0} ms`);
  });
});
