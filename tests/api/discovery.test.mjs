// Data-subject discovery (issue 5, PDPA s.30 right of access): POST /api/v1/requests/{id}/discover
// scans every registered file of the agency for the subject's identifier, in any written form,
// and keeps the result as the request's access package. The demo (serve --demo) attaches a CSV of
// synthetic people to the chronic-patient register of the Ministry of Public Health (moph); the
// planted subject is its first row, national ID 1101000000009. The package also lists the subject's
// consent records, found by the request's subject token alone (one token for requests and consent).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertFieldError, assertJson, assertProblem, runCli, startServer } from './harness.mjs';

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
    assert.equal(pkg.request.id, r.id);
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

  it("the package lists the subject's consent grants and withdrawals, found by the token alone; JSON and CSV", async () => {
    assertJson(await s.api('POST', '/api/v1/purposes', { token: dpo, body: {
      code: 'clinic-sms', name_th: 'แจ้งเตือนนัดหมายทาง SMS', name_en: 'Appointment reminders', basis: 'consent',
      retention_days: 365, consent_text_th: 'ข้าพเจ้ายินยอมให้ส่ง SMS แจ้งเตือนนัดหมาย', categories: ['PHONE_NUMBER'],
    } }), 201);
    // given under one written form of the ID, withdrawn under another: one subject
    assertJson(await s.api('POST', '/api/v1/consents', { token: dpo, body: { subject: '1-1010-00000-00-9', subject_type: 'tnin', purpose: 'clinic-sms', method: 'written' } }), 201);
    assertJson(await s.api('POST', '/api/v1/consents/withdraw', { token: dpo, body: { subject: PLANTED, subject_type: 'national_id', purpose: 'clinic-sms' } }), 200);
    // someone else's consent is not in the package
    assertJson(await s.api('POST', '/api/v1/consents', { token: dpo, body: { subject: ABSENT, subject_type: 'tnin', purpose: 'clinic-sms', method: 'written' } }), 201);
    const r = await request(PLANTED);
    assertProblem(await s.api('GET', `/api/v1/requests/${r.id}/package`, { token: dpo }), 404);
    const pkg = assertJson(await s.api('POST', `/api/v1/requests/${r.id}/discover`, { token: dpo, body: { subject: PLANTED } }), 200);
    assert.equal(pkg.format, 'khomun.access-package/1');
    assert.equal(pkg.request.id, r.id);
    assert.equal(pkg.request.subject_kind, 'national_id');
    assert.equal(pkg.controller.slug, 'moph');
    assert.deepEqual(pkg.consents.map((c) => [c.purpose.code, c.event.action]), [['clinic-sms', 'grant'], ['clinic-sms', 'withdraw']]);
    assert.ok(pkg.consents.every((c) => c.event.subject_token === pkg.request.subject_token));
    assert.equal(pkg.consents_more, false);
    assert.equal(pkg.discovery.resources.length, 1);
    assert.ok(!JSON.stringify(pkg).includes(PLANTED));
    // kept: JSON as discovery returned it, and CSV for a spreadsheet (BOM, Thai headers)
    const kept = assertJson(await s.api('GET', `/api/v1/requests/${r.id}/package`, { token: dpo }), 200);
    assert.deepEqual(kept, pkg);
    const csv = await s.api('GET', `/api/v1/requests/${r.id}/package?format=csv`, { token: dpo });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.match(csv.headers.get('content-disposition'), new RegExp(`access-package-${r.id}\\.csv`));
    const text = csv.text;
    assert.ok(text.startsWith('\ufeff') || text.startsWith('ประเภท'), text.slice(0, 20));
    const lines = text.replace(/^\ufeff/, '').trim().split('\r\n');
    assert.equal(lines.length, 1 + 1 + 1 + 2, text); // header, request, one file, two consent events
    assert.match(lines[0], /^ประเภท \(kind\),/);
    assert.match(lines[2], /^ไฟล์ \(resource\),/);
    assert.match(lines[3], /clinic-sms — แจ้งเตือนนัดหมายทาง SMS/);
    assert.match(lines[4], /ถอนความยินยอม \(withdraw\)/);
    assertFieldError(await s.api('GET', `/api/v1/requests/${r.id}/package?format=xml`, { token: dpo }), 'format');
    assertProblem(await s.api('GET', `/api/v1/requests/${r.id}/package`, { token: other }), 403);
  });

  it('the CLI runs the same discovery (khomun requests discover / package), audited, and refuses another subject', async () => {
    const r = await request(PLANTED);
    const bad = runCli(['requests', 'discover', r.id, '--subject', ABSENT], { dataDir: s.dataDir });
    assert.equal(bad.status, 5, bad.stderr); // invalid input (docs/cli)
    assert.match(bad.stderr, /subject: is not the identifier of this request's subject/);
    assert.ok(!bad.stderr.includes(ABSENT));
    const none = runCli(['requests', 'package', r.id], { dataDir: s.dataDir });
    assert.notEqual(none.status, 0);
    assert.match(none.stderr, /no access package yet/);
    const ok = runCli(['requests', 'discover', r.id, '--subject', '1-1010-00000-00-9', '--package-format', 'csv'], { dataDir: s.dataDir });
    assert.equal(ok.status, 0, ok.stderr);
    assert.ok(ok.stdout.startsWith('\ufeffประเภท (kind),'), ok.stdout.slice(0, 40));
    assert.match(ok.stdout, /ไฟล์ \(resource\),[^\r]*,1,/);
    const kept = runCli(['requests', 'package', r.id], { dataDir: s.dataDir });
    assert.equal(kept.status, 0, kept.stderr);
    const pkg = JSON.parse(kept.stdout);
    assert.equal(pkg.request.id, r.id);
    assert.equal(pkg.discovery.resources.length, 1);
    const ev = assertJson(await s.api('GET', `/api/v1/audit?action=request.discover&limit=500`), 200).items;
    assert.ok(ev.some((e) => e.target === `request/${r.id}` && e.client === 'cli'), JSON.stringify(ev.slice(-2)));
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

  it('many files: scanned by a worker per core, each hit in the order the files were registered', async () => {
    // nine more files of the register (the demo's chronic-patient register is moph's): the subject in
    // the 2nd (twice, the 2nd data row first), the 5th (another written form, a JSON Lines field) and
    // the 9th; the others hold other people only
    const ds = assertJson(await s.api('GET', '/api/v1/datasets/chronic-patient-register', { token: dpo }), 200);
    const other = (i) => `ชื่อ,เลขประจำตัวประชาชน\nคนที่ ${i},1101000000017\n`;
    const files = [
      ['a.csv', other(1), 'text/csv'],
      ['b.csv', 'ชื่อ,เลขประจำตัวประชาชน\nสมหญิง,1101000000017\nสมชาย,1101000000009\nสมชาย อีกครั้ง,1-1010-00000-00-9\n', 'text/csv'],
      ['c.csv', other(3), 'text/csv'], ['d.csv', other(4), 'text/csv'],
      ['e.jsonl', '{"name":"x"}\n{"patient":{"citizen_id":"1 1010 00000 00 9"}}\n', 'application/x-ndjson'],
      ['f.csv', other(6), 'text/csv'], ['g.csv', other(7), 'text/csv'], ['h.csv', other(8), 'text/csv'],
      ['i.txt', 'ผู้ป่วยเลขประจำตัวประชาชน 1101000000009 มาตามนัด\n', 'text/plain'],
    ];
    const owner = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: 'wanpen.moph' } }), 201).token;
    for (const [name, body, type] of files) {
      assertJson(await s.api('POST', `/api/v1/datasets/${ds.id}/resources?name=${name}`, {
        token: owner, rawBody: body, headers: { 'content-type': type },
      }), 201);
    }
    const r = await request(PLANTED);
    const d = assertJson(await s.api('POST', `/api/v1/requests/${r.id}/discover`, {
      token: dpo, body: { subject: PLANTED },
    }), 200).discovery;
    const got = d.resources.map((h) => [h.name, h.matches, h.first_row]);
    assert.deepEqual(got.filter(([n]) => /^[a-i]\./.test(n)), [['b.csv', 2, 1], ['e.jsonl', 1, 1], ['i.txt', 1, null]]);
    assert.ok(d.files_scanned >= 10, JSON.stringify(d));
  });

  it("another agency's DPO may not run it (and sees only its own files)", async () => {
    const r = await request(PLANTED);
    assertProblem(await s.api('POST', `/api/v1/requests/${r.id}/discover`, { token: other, body: { subject: PLANTED } }), 403);
  });
});
