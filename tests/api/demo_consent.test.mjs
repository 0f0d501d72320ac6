// The demo's purposes and consents (serve --demo, issue 5): the Ministry of Digital Economy and
// Society (mdes) has its contact, DPO and privacy notice, four purposes (PDPA s.19 consent with
// Thai and English texts, s.24(4) public task, s.26 health data on explicit consent) and the
// consents of 20 synthetic subjects with signed receipts that verify; the check answers allow
// and deny (a withdrawal, s.19 para 5; an expired consent; a child through the parent, s.20);
// the demo's data-subject request subjects are among them; the CLI answers as the API does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertJson, listAll, runCli, startServer } from './harness.mjs';

// synthetic national IDs of the demo (valid check digits, not real people)
const PLANTED = '1101000000009'; // the planted subject of the demo resources
const REQUESTER = '1103702071811'; // the subject of the demo access request
const WITHDREW = '1102000168385';
const EXPIRED = '1102000564337';
const MINOR = '1102001514619';

// the mod-11 check digit of a Thai national ID (the demo's IDs must be valid ones)
const tninOk = (id) => {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(id[i]) * (13 - i);
  return (11 - (sum % 11)) % 10 === Number(id[12]);
};

describe('demo purposes and consents (serve --demo)', { timeout: 60_000 }, () => {
  let s, dpo;
  const check = (subject, purpose) => s.api('GET',
    `/api/v1/consents/check?subject=${subject}&subject_type=tnin&purpose=${purpose}`, { token: dpo });
  const history = async (subject) => assertJson(await s.api('GET',
    `/api/v1/consents?subject=${subject}&subject_type=tnin`, { token: dpo }), 200);
  before(async () => {
    s = await startServer({ args: ['--demo'] });
    dpo = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: 'somchai.dpo' } }), 201).token;
  }, { timeout: 30_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('the demo subjects have valid national IDs', () => {
    for (const id of [PLANTED, REQUESTER, WITHDREW, EXPIRED, MINOR]) assert.ok(tninOk(id), id);
  });

  it('mdes has its contact, DPO and privacy notice, and four purposes on their lawful bases', async () => {
    const ag = assertJson(await s.api('GET', '/api/v1/agencies/mdes'), 200);
    assert.equal(ag.privacy_notice_url, 'https://www.mdes.example.go.th/privacy-notice');
    assert.equal(ag.dpo_email, 'dpo@mdes.example.go.th');
    assert.deepEqual(ag.gaps, []);
    const ps = await listAll({ api: (m, p) => s.api(m, p, { token: dpo }) }, '/api/v1/purposes');
    const byCode = Object.fromEntries(ps.map((p) => [p.code, p]));
    assert.deepEqual(Object.keys(byCode).sort(),
      ['complaint-handling', 'e-newsletter', 'e-service-sms', 'training-health-screening']);
    assert.equal(byCode['e-newsletter'].basis, 'consent');
    assert.ok(byCode['e-newsletter'].consent_text.th.includes('ยินยอม'));
    assert.ok(byCode['e-newsletter'].consent_text.en.includes('consent'));
    assert.equal(byCode['complaint-handling'].basis, 's24(4)');
    assert.deepEqual(byCode['training-health-screening'].sensitive, ['HEALTH']);
    assert.equal(byCode['e-service-sms'].privacy_notice_url, 'https://www.mdes.example.go.th/e-service/privacy-notice');
  });

  it('PDPA s.19: the check allows the consented and denies the withdrawn (s.19 para 5) and the expired', async () => {
    const want = [
      [PLANTED, 'e-newsletter', true, 'consent'],
      [PLANTED, 'training-health-screening', true, 'consent'],
      [PLANTED, 'e-service-sms', false, 'no_consent'],
      [REQUESTER, 'e-service-sms', true, 'consent'],
      [WITHDREW, 'e-newsletter', false, 'withdrawn'],
      [EXPIRED, 'e-service-sms', false, 'expired'],
      [MINOR, 'e-newsletter', true, 'consent'],
      [MINOR, 'complaint-handling', true, 'basis'],
    ];
    for (const [subject, purpose, allow, reason] of want) {
      const c = assertJson(await check(subject, purpose), 200);
      assert.equal(c.allow, allow, `${subject} ${purpose}: ${JSON.stringify(c)}`);
      assert.equal(c.reason_code, reason, `${subject} ${purpose}`);
    }
  });

  it('every demo consent has a signed receipt that verifies; the DSR subjects are among the subjects', async () => {
    let n = 0;
    for (const subject of [PLANTED, REQUESTER, WITHDREW, EXPIRED, MINOR]) {
      const h = await history(subject);
      assert.ok(h.items.length >= 1, `${subject} has consent records`);
      for (const ev of h.items) {
        assert.ok(ev.receipt, `${subject}: ${ev.id} has a receipt`);
        const v = assertJson(await s.api('POST', '/api/v1/consents/receipts/verify', { token: null, body: ev.receipt }), 200);
        assert.equal(v.valid, true, JSON.stringify(v.problems));
        assert.equal(v.consent_id, ev.id);
        assert.equal(ev.receipt.receipt.piiControllers[0].email, 'saraban@mdes.example.go.th');
        assert.equal(ev.receipt.receipt.dpo.email, 'dpo@mdes.example.go.th');
        n++;
      }
    }
    assert.ok(n >= 8);
    const planted = await history(PLANTED);
    assert.deepEqual(planted.items.map((e) => [e.action, e.explicit]), [['grant', false], ['grant', true]]);
    const w = await history(WITHDREW);
    assert.deepEqual(w.items.map((e) => e.action), ['grant', 'withdraw']);
    assert.equal(w.items[1].receipt.receipt.consentEvent, 'withdrawn');
  });

  it('PDPA s.20: the nine-year-old consented through the mother', async () => {
    const h = await history(MINOR);
    assert.equal(h.items.length, 1);
    assert.equal(h.items[0].age, 9);
    assert.equal(h.items[0].given_by, 'guardian');
    assert.match(h.items[0].guardian_token, /^[0-9a-f]{64}$/);
    assert.equal(h.items[0].guardian_relation, 'มารดา');
    assert.deepEqual(h.items[0].receipt.receipt.guardianConsent, { given: true, relation: 'มารดา' });
  });

  it('the CLI answers from the same store as the API (khomun consent check)', () => {
    let r = runCli(['consent', 'check', '--agency', 'mdes', '--subject', PLANTED, '--purpose', 'e-newsletter',
      '--format', 'json'], { dataDir: s.dataDir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).reason_code, 'consent');
    r = runCli(['consent', 'check', '--agency', 'mdes', '--subject', WITHDREW, '--purpose', 'e-newsletter'],
      { dataDir: s.dataDir });
    assert.equal(r.status, 1, r.stderr);
    assert.ok(r.stdout.startsWith('deny: e-newsletter'), r.stdout);
  });
});
