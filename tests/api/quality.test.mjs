// Data quality (issue 4, docs/api/datasets-quality*.md, docs/quality.md): a steward uploads a CSV of
// Thai people with known defects — an empty phone and e-mail, a national ID with a bad check digit
// (thai-rules.md §4.1), 31/02/2567 and 29/02/2566 (dates that do not exist), an e-mail without a
// domain, a row pasted twice and a national ID repeated — and the dataset's score comes back with
// exact counts and its parts explained in Thai and English; timeliness follows the declared
// GD-Catalog update frequency (thai-rules.md §3.3) on a second server whose clock is 46 days
// ahead; POST recomputes and stores the score the listing filters on; GET writes nothing; bad
// input (an unknown dataset, a caller who may not write or see) changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertJson, assertProblem, gdcMetadata, startServer } from './harness.mjs';

// Lines 2–11 (the header is line 1); see tests/unit/catalog/quality.c for the same file.
const DEFECTS_CSV = [
  'เลขประจำตัวประชาชน,ชื่อ-สกุล,โทรศัพท์,วันเกิด,อีเมล',
  '1100600445639,สมชาย ใจดี,081-234-5678,12/05/2530,somchai@example.go.th',
  '3100600445635,สมหญิง รักไทย,089-765-4321,31/02/2567,somying@example.go.th',
  '1234567890120,วิชัย มั่นคง,,01/01/2520,wichai@example.go.th',
  '1234545678781,นภา แสงทอง,062-111-2233,29/02/2566,',
  '1101700230708,ประเสริฐ สุขใจ,095-444-5566,29/02/2567,prasert@example.go.th',
  '1101700230708,ประเสริฐ สุขใจ,095-444-5566,29/02/2567,prasert@example.go.th',
  '3100600445635,มาลี ศรีสุข,086-777-8899,15/08/2535,malee@example',
  '1500100234562,กิตติ ศรีสุข,091-222-3344,03/03/2540,kitti@example.go.th',
  '3700200345671,สุนีย์ แสงทอง,092-333-4455,2024-01-05,sunee@example.go.th',
  '1400300456781,อนันต์ ใจดี,093-444-5566,1 ม.ค. 2567,anan@example.go.th',
].join('\n') + '\n';

const DAY_S = 86400;
const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';

describe('data quality of a dataset', { timeout: 120_000 }, () => {
  let s; // the server; replaced by one whose clock is ahead
  const tok = {};
  let ds;
  let csv; // the CSV resource
  let etag;

  const quality = (who = 'owner', id = ds.id) => s.api('GET', `/api/v1/datasets/${id}/quality`, { token: tok[who] });
  const compute = (who = 'steward', id = ds.id) => s.api('POST', `/api/v1/datasets/${id}/quality`, { token: tok[who] });
  const getDs = async () => assertJson(await s.api('GET', `/api/v1/datasets/${ds.id}`, { token: tok.owner }), 200);
  const note = (list, code, column) => list.find((e) => e.code === code && (column === undefined || e.column === column));

  before(async () => {
    s = await startServer();
    for (const [name, role, clearance] of [['steward', 'steward', 'secret'], ['owner', 'owner', 'secret'],
      ['analyst', 'analyst', 'secret']]) {
      assertJson(await s.api('POST', '/api/v1/users', { body: { name, agency: 'demo', role, clearance } }), 201);
      tok[name] = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: name } }), 201).token;
    }
    const meta = { ...gdcMetadata('ข้อมูลส่วนบุคคล', 'ลับ', 'ทะเบียนผู้รับเบี้ยยังชีพ'), update_frequency_unit: 'เดือน' };
    const r = await s.api('POST', '/api/v1/datasets', { token: tok.steward, body: { name: 'welfare-register', owner: 'owner', metadata: meta } });
    ds = assertJson(r, 201);
  }, { timeout: 30_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('a dataset without files has no score yet, and says why', async () => {
    const q = assertJson(await quality(), 200);
    assert.equal(q.dataset_id, ds.id);
    assert.equal(q.score, null);
    assert.equal(q.files, 0);
    assert.deepEqual(q.resources, []);
    assert.equal(note(q.explanations, 'no_data').message_th, 'ยังไม่มีคะแนน: ไม่มีไฟล์ข้อมูลแบบตาราง (CSV, TSV, JSON) ที่ประเมินแล้ว');
    // timeliness is still evaluated: monthly, from the dataset's registration
    assert.equal(q.dimensions.timeliness.status, 'on_time');
    assert.equal(q.dimensions.timeliness.last_update_source, 'dataset');
    assert.equal(q.dimensions.timeliness.frequency.unit, 'เดือน');
    assert.equal(q.dimensions.timeliness.frequency.period_days, 31);
    assert.deepEqual((await getDs()).quality, { score: null, computed_at: null });
  });

  it('an upload of a CSV with known defects is profiled with the scan: exact counts, the score and its explanation', async () => {
    const r = await s.api('POST', `/api/v1/datasets/${ds.id}/resources?name=welfare.csv`, {
      token: tok.steward, rawBody: DEFECTS_CSV, headers: { 'content-type': 'text/csv' },
    });
    csv = assertJson(r, 201);
    assert.equal(csv.scan.status, 'scanned');
    const q = assertJson(await quality(), 200);
    assert.deepEqual(q.dimensions.completeness, { score: 96, weight: 30, empty: 2, cells: 50 });
    assert.deepEqual(q.dimensions.validity, { score: 89.5, weight: 30, invalid: 4, checked: 38 });
    assert.deepEqual(q.dimensions.uniqueness, { score: 80, weight: 20, duplicate_rows: 1, duplicate_keys: 1, rows: 10 });
    assert.equal(q.dimensions.timeliness.score, 100);
    assert.equal(q.dimensions.timeliness.last_update_source, 'resource');
    // (30 × 96 + 30 × 89.5 + 20 × 80 + 20 × 100) / 100 = 91.65
    assert.equal(q.score, 92);
    assert.equal(note(q.explanations, 'score').message_th, 'คะแนนคุณภาพ 92 = (30×96.0 + 30×89.5 + 20×80.0 + 20×100.0) / 100');
    assert.equal(note(q.explanations, 'summary').dimension, 'completeness');
    assert.equal(q.files, 1);
    assert.equal(q.profiled, 1);
    // stored on the dataset as of the upload (the listing filters on it); the version stays
    assert.equal(q.stored.score, 92);
    const d = await getDs();
    assert.equal(d.quality.score, 92);
    assert.equal(d.quality.computed_at, q.stored.computed_at);
    etag = `"${d.version}"`;

    // the file's part: its columns and the lines of each problem, never the values
    assert.equal(q.resources.length, 1);
    const f = q.resources[0];
    assert.equal(f.resource_id, csv.id);
    assert.equal(f.name, 'welfare.csv');
    assert.equal(f.status, 'profiled');
    assert.equal(f.format, 'csv');
    assert.equal(f.encoding, 'utf-8');
    assert.equal(f.rows, 10);
    assert.equal(f.score, 90); // (30 × 96 + 30 × 89.5 + 20 × 80) / 80
    assert.equal(f.positions, 'line');
    assert.deepEqual(f.duplicate_rows_at, [7]);
    const col = Object.fromEntries(f.columns.map((c) => [c.field, c]));
    assert.deepEqual(f.columns.map((c) => c.type), ['national_id', 'text', 'phone', 'date', 'email']);
    assert.deepEqual([col['เลขประจำตัวประชาชน'].bad_check_digit, col['เลขประจำตัวประชาชน'].invalid_at], [1, [4]]);
    assert.deepEqual([col['เลขประจำตัวประชาชน'].key, col['เลขประจำตัวประชาชน'].duplicates, col['เลขประจำตัวประชาชน'].duplicate_at], [true, 1, [8]]);
    assert.deepEqual([col['วันเกิด'].impossible_dates, col['วันเกิด'].invalid_at], [2, [3, 5]]);
    assert.deepEqual([col['โทรศัพท์'].empty, col['โทรศัพท์'].invalid], [1, 0]);
    assert.deepEqual([col['อีเมล'].empty, col['อีเมล'].bad_format, col['อีเมล'].invalid_at], [1, 1, [8]]);
    assert.equal(note(f.explanations, 'empty_cells', 'โทรศัพท์').message_th, "คอลัมน์ 'โทรศัพท์' ว่าง 10.0% (1 จาก 10 แถว)");
    assert.equal(note(f.explanations, 'bad_check_digit').message,
      "column 'เลขประจำตัวประชาชน': 1 national ID(s) with a wrong check digit (line 4)");
    assert.match(note(f.explanations, 'impossible_date').message_th, /วันที่ที่ไม่มีอยู่จริง 2 ค่า .*\(บรรทัด 3, 5\)$/);
    assert.equal(note(f.explanations, 'duplicate_rows').message, '1 row(s) repeat an earlier row exactly (line 7)');
    assert.equal(note(f.explanations, 'duplicate_keys').column, 'เลขประจำตัวประชาชน');
    assert.ok(!JSON.stringify(q).includes('1234567890120'), 'values are not shown');
  });

  it('files that are not tables are listed as such and leave the score alone; links are not files', async () => {
    const pdf = assertJson(await s.api('POST', `/api/v1/datasets/${ds.id}/resources?name=report.pdf`, {
      token: tok.steward, rawBody: '%PDF-1.7\n% รายงาน\n', headers: { 'content-type': 'application/pdf' },
    }), 201);
    assertJson(await s.api('POST', `/api/v1/datasets/${ds.id}/resources?name=${encodeURIComponent('ลิงก์')}&url=${encodeURIComponent('https://data.go.th/dataset/welfare')}`, {
      token: tok.steward,
    }), 201);
    const q = assertJson(await quality(), 200);
    assert.equal(q.score, 92);
    assert.equal(q.files, 2);
    assert.deepEqual(q.resources.map((x) => [x.resource_id, x.status]), [[csv.id, 'profiled'], [pdf.id, 'unsupported']]);
    assert.equal(q.resources[1].score, null);
  });

  it('GET writes nothing: the stored score, the version and the audit trail of changes stay', async () => {
    const before1 = await getDs();
    const q1 = assertJson(await quality('analyst'), 200);
    const q2 = assertJson(await quality(), 200);
    assert.deepEqual(q1.stored, q2.stored);
    const after1 = await getDs();
    assert.equal(after1.version, before1.version);
    assert.deepEqual(after1.quality, before1.quality);
  });

  it('bad input: an unknown dataset is refused (403, as one the caller may not see), a caller who may not write is 403, an anonymous caller may not see it; nothing changes', async () => {
    // a dataset that does not exist has no level, so the level rules deny: 403 to everyone, the
    // installation's admin too, which tells nobody whether it exists (docs/policy.md)
    for (const [method, id, who] of [['GET', UNKNOWN_ID, undefined], ['GET', 'no-such-dataset', tok.owner],
      ['POST', UNKNOWN_ID, undefined], ['POST', 'no-such-dataset', tok.steward]]) {
      const p = assertProblem(await s.api(method, `/api/v1/datasets/${id}/quality`, { token: who }), 403);
      assert.match(p.detail, /\(rule default-deny, policy /);
    }
    const stored = (await getDs()).quality;
    const denied = assertProblem(await compute('analyst'), 403, { type: 'urn:khomun:problem:forbidden' });
    assert.match(denied.detail, /^write dataset is not allowed for the role 'analyst'/);
    assertProblem(await s.api('GET', `/api/v1/datasets/${ds.id}/quality`, { token: null }), 403);
    assertProblem(await s.api('POST', `/api/v1/datasets/${ds.id}/quality`, { token: null }), 401);
    assert.deepEqual((await getDs()).quality, stored);
  });

  it('46 days on (a second server, its clock ahead): GET evaluates timeliness now; POST stores it', async () => {
    await s.stop({ keepDataDir: true });
    s = await startServer({ reuse: s, env: { KHOMUN_FAKE_NOW_OFFSET: String(46 * DAY_S) } });
    const q = assertJson(await quality(), 200);
    const t = q.dimensions.timeliness;
    assert.equal(t.status, 'overdue');
    // 15 days past the monthly period of 31: 100 × (1 − 15/31) = 51.6
    assert.equal(t.score, 51.6);
    assert.equal(t.overdue_days, 15);
    assert.equal(q.score, 82); // (7165 + 20 × 51.6) / 100 = 81.97
    assert.equal(q.stored.score, 92); // not written by GET
    assert.match(note(q.explanations, 'overdue').message_th, /^ความทันสมัย 51\.6: เกินกำหนดปรับปรุง 15\.0 วัน ปรับปรุงล่าสุด /);
    assert.match(note(q.explanations, 'overdue').message, /15\.0 days overdue; .*declared frequency 1 per month \(every 31 days\)/);

    const r = await compute();
    const p = assertJson(r, 200);
    assert.equal(p.score, 82);
    assert.equal(p.stored.score, 82);
    assert.equal(p.resources[0].status, 'profiled');
    const d = await getDs();
    assert.equal(d.quality.score, 82);
    assert.equal(`"${d.version}"`, etag, 'quality is not a change of the metadata');
    // the audit trail names the dataset
    const audit = assertJson(await s.api('GET', '/api/v1/audit?action=dataset.quality_compute'), 200);
    assert.ok(audit.items.some((e) => e.target === `dataset/${ds.id}` && e.outcome === 'success'), JSON.stringify(audit.items.slice(0, 3)));
  });

  it('a frequency that cannot be judged leaves timeliness out; the file deleted leaves no score', async () => {
    const cur = await s.api('GET', `/api/v1/datasets/${ds.id}`, { token: tok.owner });
    const meta = { ...assertJson(cur, 200).metadata, update_frequency_unit: 'ไม่ทราบ' };
    assertJson(await s.api('PUT', `/api/v1/datasets/${ds.id}`, {
      token: tok.steward, headers: { 'if-match': cur.headers.get('etag') }, body: { metadata: meta },
    }), 200);
    assert.equal((await getDs()).quality.score, 90); // 7165 / 80: the weights scaled up
    const q = assertJson(await quality(), 200);
    assert.equal(q.dimensions.timeliness.score, null);
    assert.equal(q.dimensions.timeliness.status, 'unknown_frequency');
    assert.match(note(q.explanations, 'unknown_frequency').message_th, /^ไม่ได้ประเมินความทันสมัย/);

    assertJson(await s.api('DELETE', `/api/v1/datasets/${ds.id}/resources/${csv.id}`, { token: tok.steward }), 200);
    const d = await getDs();
    assert.equal(d.quality.score, null);
    assert.notEqual(d.quality.computed_at, null);
    const after = assertJson(await quality(), 200);
    assert.equal(after.score, null);
    assert.equal(after.resources.length, 1); // the PDF
  });
});

describe('data quality of the demo catalog (serve --demo)', { timeout: 60_000 }, () => {
  let s;
  before(async () => { s = await startServer({ args: ['--demo'] }); }, { timeout: 30_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('the seed profiles its files: the population table shows its defects, the budget table is clean', async () => {
    const pop = assertJson(await s.api('GET', '/api/v1/datasets/population-by-province-2566/quality', { token: null }), 200);
    assert.equal(pop.score, 94);
    const f = pop.resources[0];
    assert.deepEqual([f.rows, f.dimensions.completeness.empty, f.dimensions.validity.invalid, f.dimensions.uniqueness.duplicate_rows], [6, 1, 1, 1]);
    assert.equal(note(f.explanations, 'wrong_type', 'รวม').message_th, "คอลัมน์ 'รวม' (จำนวนเต็ม): 1 ค่าไม่ใช่จำนวนเต็ม (บรรทัด 6)");
    const budget = assertJson(await s.api('GET', '/api/v1/datasets/digital-budget-2567', { token: null }), 200);
    assert.equal(budget.quality.score, 100);
  });

  function note(list, code, column) { return list.find((e) => e.code === code && e.column === column); }
});
