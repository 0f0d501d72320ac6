// Data-subject discovery (issue 5, PDPA s.30 right of access): POST /api/v1/requests/{id}/discover
// scans every registered file of the agency for the subject's identifier, in any written form,
// and keeps the result as the request's access package. The demo (serve --demo) attaches a CSV of
// synthetic people to the chronic-patient register of the Ministry of Public Health (moph); the
// planted subject is its first row, national ID 1101000000009.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertFieldError, assertJson, assertProblem, startServer } from './harness.mjs';

const PLANTED = '1101000000009';
const ABSENT = '1101000000017'; // a valid ID that is in no file

describe('discovery of a subject in the agency files (s.30)', { timeout: 60_000 }, () => {
  let s, dpo, other;
  before(async () => {
    s = await startServer({ args: ['--demo'] });
    for (const [name, agency] of [['moph.dpo', 'moph'], ['mdes.dpo2', 'mdes']])
      assertJson(await s.api('POST', '/api/v1/users', { body: { name, agency, role: 'dpo' } }), 201);
    dpo = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: 'moph.dpo' } }), 201).token;
    other = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: 'mdes.dpo2' } }), 201).token;
  }, { timeout: 30_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  const request = async (subject) => assertJson(await s.api('POST', '/api/v1/requests', {
    token: dpo, body: { type: 'access', channel: 'email', subject },
  }), 201);

  it('finds the planted national ID in the register file, in whatever form the request gave it', async () => {
    const r = await request('1-1010-00000-00-9');
    const pkg = assertJson(await s.api('POST', `/api/v1/requests/${r.id}/discover`, {
      token: dpo, body: { subject: '1 1010 00000 00 9' },
    }), 200);
    assert.equal(pkg.request_id, r.id);
    const d = pkg.discovery;
    assert.ok(d.files_scanned >= 1);
    assert.equal(d.resources.length, 1, JSON.stringify(d));
    const hit = d.resources[0];
    assert.equal(hit.matches, 1);
    assert.equal(hit.first_row, 0);
    assert.equal(hit.fields, 'เลขประจำตัวประชาชน');
    const ds = assertJson(await s.api('GET', '/api/v1/datasets/chronic-patient-register', { token: dpo }), 200);
    assert.equal(hit.dataset_id, ds.id);
    // kept as the request's access package; the identifier itself is nowhere in it
    const got = assertJson(await s.api('GET', `/api/v1/requests/${r.id}`, { token: dpo }), 200);
    assert.deepEqual(got.package.discovery.resources, d.resources);
    assert.ok(!JSON.stringify(got).includes(PLANTED));
    console.log(`discovery: ${d.files_scanned} files, ${d.bytes} bytes in ${d.elapsed_ms} ms`);
  });

  it('a subject in no file: an empty package', async () => {
    const r = await request(ABSENT);
    const pkg = assertJson(await s.api('POST', `/api/v1/requests/${r.id}/discover`, {
      token: dpo, body: { subject: ABSENT },
    }), 200);
    assert.deepEqual(pkg.discovery.resources, []);
  });

  it('bad input: another person than the request names, a bad identifier, no subject; nothing changes', async () => {
    const r = await request(PLANTED);
    assertFieldError(await s.api('POST', `/api/v1/requests/${r.id}/discover`, { token: dpo, body: { subject: ABSENT } }), 'subject');
    assertFieldError(await s.api('POST', `/api/v1/requests/${r.id}/discover`, { token: dpo, body: { subject: '1101000000008' } }), 'subject');
    assertFieldError(await s.api('POST', `/api/v1/requests/${r.id}/discover`, { token: dpo, body: {} }), 'subject');
    assertFieldError(await s.api('POST', `/api/v1/requests/${r.id}/discover`, { token: dpo, body: { subject: PLANTED, subject_kind: 'passport' } }), 'subject_kind');
    const got = assertJson(await s.api('GET', `/api/v1/requests/${r.id}`, { token: dpo }), 200);
    assert.equal(got.package, null);
  });

  it("another agency's DPO may not run it (and sees only its own files)", async () => {
    const r = await request(PLANTED);
    assertProblem(await s.api('POST', `/api/v1/requests/${r.id}/discover`, { token: other, body: { subject: PLANTED } }), 403);
  });
});
