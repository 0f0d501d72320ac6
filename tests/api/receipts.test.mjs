// POST /api/v1/consents/receipts/verify (docs/api/consents-receipts-verify.md): public, no token;
// an invalid receipt is a 200 answer naming every problem with its path; a body that is not a
// receipt document, or a bad key, is a 400 naming the member. The receipts are the signed test
// fixtures (tests/fixtures/receipts, made by the real library with a published TEST key).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';

import { REPO, assertFieldError, assertJson, assertProblem, startServer } from './harness.mjs';

const PATH = '/api/v1/consents/receipts/verify';
const load = (f) => JSON.parse(readFileSync(`${REPO}/tests/fixtures/receipts/${f}`, 'utf8'));
const TEST_KEY = readFileSync(`${REPO}/tests/fixtures/receipts/test-key.pub`, 'utf8').trim();
const OTHER_KEY = '11'.repeat(32);

describe('consent receipt verification over HTTP', { timeout: 60_000 }, () => {
  let s;
  before(async () => { s = await startServer(); }, { timeout: 20_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  const verify = (body, opts = {}) => s.api('POST', PATH, { token: null, body, ...opts });
  const codes = (j) => j.problems.map((p) => `${p.code} ${p.path}`);

  it('a valid receipt, without a token: 200 valid, the key in the receipt, and the note says so', async () => {
    for (const f of ['given-th.json', 'withdrawn-en.json']) {
      const doc = load(f);
      const j = assertJson(await verify(doc), 200);
      assert.equal(j.valid, true, JSON.stringify(j.problems));
      assert.equal(j.signature_ok, true);
      assert.equal(j.key_pinned, false);
      assert.equal(j.public_key, TEST_KEY);
      assert.equal(j.receipt_id, doc.receipt.consentReceiptID);
      assert.equal(j.consent_id, doc.receipt.consentId);
      assert.equal(j.agency_id, doc.receipt.piiControllers[0].piiControllerId);
      assert.equal(j.event, doc.receipt.consentEvent);
      assert.equal(j.consent_timestamp, doc.receipt.consentTimestamp);
      assert.equal(j.note, 'signature valid for the key in the receipt; pin a key with --key to trust it');
      assert.deepEqual(j.problems, []);
      assert.equal(j.problems_total, 0);
    }
  });

  it('with the agency key pinned: valid; with another key: key-mismatch and a bad signature', async () => {
    let j = assertJson(await verify({ ...load('given-th.json'), key: TEST_KEY }), 200);
    assert.equal(j.valid, true);
    assert.equal(j.key_pinned, true);
    j = assertJson(await verify({ ...load('given-th.json'), key: OTHER_KEY }), 200);
    assert.equal(j.valid, false);
    assert.deepEqual(codes(j), ['key-mismatch receipt.publicKey', 'bad-signature jws.signature']);
  });

  it('tampered receipts: 200 valid:false with the exact reason (English and Thai)', async () => {
    const cases = [
      [(d) => { d.receipt.piiControllers[0].piiController = 'กรมอื่น'; }, ['bad-signature jws.signature']],
      [(d) => { d.receipt.consentEvent = 'withdrawn'; }, ['bad-signature jws.signature']],
      [(d) => { d.receipt.consentTimestamp += 1; }, ['bad-signature jws.signature']],
      [(d) => { d.receipt.services[0].purposes[0].consentType = 'EXPRESSED'; }, ['bad-signature jws.signature']],
      [(d) => { d.receipt.sensitive = false; }, ['bad-signature jws.signature']],
      [(d) => { delete d.receipt.policyUrl; }, ['missing-field receipt.policyUrl', 'bad-signature jws.signature']],
      [(d) => { d.receipt.version = 'KI-CR-v1.0.0'; }, ['wrong-version receipt.version', 'bad-signature jws.signature']],
      [(d) => { d.jws = `*${d.jws.slice(1)}`; }, ['bad-base64url jws.header']],
      [(d) => { d.jws = d.jws.replace('..', '.cGF5bG9hZA.'); }, ['bad-jws jws']],
    ];
    for (const [change, want] of cases) {
      const d = load('given-th.json');
      change(d);
      const j = assertJson(await verify(d), 200);
      assert.equal(j.valid, false, change.toString());
      assert.deepEqual(codes(j), want, change.toString());
      for (const p of j.problems) {
        assert.ok(p.message.length > 0 && p.message_th.length > 0);
      }
    }
  });

  it('a re-ordered, re-indented receipt still verifies (JCS)', async () => {
    const sortDeep = (v) => (Array.isArray(v) ? v.map(sortDeep)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v).sort().reverse().map((k) => [k, sortDeep(v[k])])) : v);
    const r = await s.api('POST', PATH, {
      token: null, rawBody: JSON.stringify(sortDeep(load('given-th.json')), null, 7),
    });
    assert.equal(assertJson(r, 200).valid, true, r.text);
  });

  it('not a receipt document: 400 naming the member', async () => {
    assertFieldError(await verify([1, 2]), 'body');
    assertFieldError(await verify({}), 'receipt');
    assertFieldError(await verify({}), 'jws');
    assertFieldError(await verify({ receipt: 'x', jws: 'a..b' }), 'receipt');
    assertFieldError(await verify({ ...load('given-th.json'), key: 'abc' }), 'key');
    assertFieldError(await verify({ ...load('given-th.json'), extra: 1 }), 'extra');
    const r = await s.api('POST', PATH, { token: null, rawBody: '{"receipt":', headers: { 'content-type': 'application/json' } });
    assertProblem(r, 400);
  });

  it('a token is not needed and a bad one is ignored (public route)', async () => {
    const j = assertJson(await verify(load('given-th.json'), { token: 'khm_garbage' }), 200);
    assert.equal(j.valid, true);
  });
});
