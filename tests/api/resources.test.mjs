// Resources and the data map (issue 4, docs/api/resources-*.md): a steward uploads a CSV with Thai
// personal data (synthetic national IDs with valid check digits, phones, a health column), the scan
// finds TH_TNIN / PHONE_NUMBER / HEALTH per column, the dataset is flagged with the suggested
// classification (personal, at least confidential: thai-rules.md §2.3), the owner confirms and the
// flag clears. Uploads over --max-upload are refused with 413 and leave nothing; a checksum that does
// not match stores nothing; downloads are audited, and personal data needs a purpose (PDPA s.24).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { assertFieldError, assertJson, assertProblem, gdcMetadata, startServer } from './harness.mjs';

// A 13-digit Thai national ID with its check digit (thai-rules.md §4.1).
function tnin(first12) {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return first12 + String((11 - (sum % 11)) % 10);
}

const PEOPLE = [
  ['110060044563', 'สมชาย ใจดี', '081-234-5678', 'เบาหวาน'],
  ['310060044563', 'สมหญิง รักไทย', '089-765-4321', 'ความดันโลหิตสูง'],
  ['150010023456', 'วิชัย มั่นคง', '062-111-2233', 'หอบหืด'],
  ['370020034567', 'นภา แสงทอง', '095-444-5566', 'เบาหวาน'],
  ['140030045678', 'ประยุทธ์ สุขใจ', '086-777-8899', 'โรคหัวใจ'],
  ['120040056789', 'มาลี ศรีสุข', '091-222-3344', 'ไขมันในเลือดสูง'],
];
const PERSONAL_CSV = 'เลขประจำตัวประชาชน,ชื่อ-สกุล,โทรศัพท์,โรคประจำตัว\n' +
  PEOPLE.map(([id, n, p, h]) => `${tnin(id)},${n},${p},${h}`).join('\n') + '\n';
const BUDGET_CSV = 'ปีงบประมาณ,โครงการ,งบประมาณ (บาท)\n2567,ศูนย์ข้อมูลภาครัฐ,12500000\n2567,คลาวด์กลาง,48000000\n';

describe('resources and the data map', { timeout: 90_000 }, () => {
  let s;
  const tok = {};
  let ds; // the personal dataset
  let res; // its CSV resource

  const upload = (id, body, query, who = 'steward', headers = {}) => s.api('POST',
    `/api/v1/datasets/${id}/resources?${query}`, {
      token: tok[who], rawBody: body, headers: { 'content-type': 'text/csv', ...headers },
    });
  const getDs = (id, who = 'owner') => s.api('GET', `/api/v1/datasets/${id}`, { token: tok[who] });
  const blobs = () => {
    const root = path.join(s.dataDir, 'resources');
    const out = [];
    for (const d of fs.readdirSync(root)) {
      if (d === 'tmp') continue;
      for (const f of fs.readdirSync(path.join(root, d))) out.push(d + f);
    }
    return out.sort();
  };
  const temps = () => fs.readdirSync(path.join(s.dataDir, 'resources', 'tmp'));

  before(async () => {
    s = await startServer({ args: ['--max-upload', '4k'] });
    for (const [name, role, clearance] of [['steward', 'steward', 'secret'], ['owner', 'owner', 'secret'],
      ['analyst', 'analyst', 'confidential'], ['reader', 'analyst', 'internal']]) {
      assertJson(await s.api('POST', '/api/v1/users', { body: { name, agency: 'demo', role, clearance } }), 201);
      tok[name] = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: name } }), 201).token;
    }
    ds = assertJson(await s.api('POST', '/api/v1/datasets', {
      token: tok.steward,
      body: { name: 'clinic-register', owner: 'owner', metadata: gdcMetadata('ข้อมูลใช้ภายใน', 'ชั้นเผยแพร่ภายในองค์กร', 'ทะเบียนผู้รับบริการคลินิก') },
    }), 201);
  }, { timeout: 30_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('an upload of a CSV with Thai personal data is stored by its SHA-256 and scanned: the data map names TH_TNIN, PHONE_NUMBER and HEALTH', async () => {
    const r = await upload(ds.id, PERSONAL_CSV, 'name=clinic.csv&description=' + encodeURIComponent('ผู้รับบริการ'));
    res = assertJson(r, 201);
    assert.equal(r.headers.get('location'), `/api/v1/datasets/${ds.id}/resources/${res.id}`);
    assert.equal(res.name, 'clinic.csv');
    assert.equal(res.format, 'CSV');
    assert.equal(res.media_type, 'text/csv');
    assert.equal(res.size, Buffer.byteLength(PERSONAL_CSV));
    assert.match(res.sha256, /^[0-9a-f]{64}$/);
    assert.equal(res.fields.description, 'ผู้รับบริการ');
    assert.equal(res.scan.status, 'scanned');
    assert.equal(res.scan.rows, PEOPLE.length);
    assert.equal(res.scan.personal_data, true);
    assert.equal(res.scan.sensitive_data, true);
    const byField = Object.fromEntries(res.columns.map((c) => [c.field, c]));
    assert.equal(byField['เลขประจำตัวประชาชน'].type, 'TH_TNIN');
    assert.equal(byField['เลขประจำตัวประชาชน'].share, 1);
    assert.equal(byField['โทรศัพท์'].type, 'PHONE_NUMBER');
    assert.equal(byField['โรคประจำตัว'].type, 'HEALTH');
    assert.equal(byField['โรคประจำตัว'].pdpa, 'sensitive');
    assert.deepEqual(byField['โรคประจำตัว'].sensitive, ['health']);
    assert.deepEqual(blobs(), [res.sha256]);
    assert.deepEqual(temps(), [], 'no temporary file left');
    const onDisk = path.join(s.dataDir, 'resources', res.sha256.slice(0, 2), res.sha256.slice(2));
    assert.equal(fs.readFileSync(onDisk, 'utf8'), PERSONAL_CSV);
    assert.equal(fs.statSync(onDisk).mode & 0o777, 0o600);
    // the data map of the dataset and the resource record
    const map = assertJson(await s.api('GET', `/api/v1/datasets/${ds.id}/datamap`, { token: tok.owner }), 200);
    assert.equal(map.personal_data, true);
    assert.equal(map.resources[0].columns.length, 4);
    const one = assertJson(await s.api('GET', `/api/v1/datasets/${ds.id}/resources/${res.id}`, { token: tok.owner }), 200);
    assert.deepEqual(one.columns, res.columns);
    const list = assertJson(await s.api('GET', `/api/v1/datasets/${ds.id}/resources`, { token: tok.owner }), 200);
    assert.deepEqual(list.items.map((x) => x.id), [res.id]);
  });

  it('the dataset is flagged with the suggested classification (personal, confidential) and a "suggest" history entry', async () => {
    const d = assertJson(await getDs(ds.id), 200);
    assert.equal(d.classification.personal_data, true);
    assert.equal(d.classification.sensitive_data, true);
    assert.equal(d.classification_flag.code, 'scan_disagrees');
    assert.equal(d.classification_flag.suggested.category, 'personal');
    assert.equal(d.classification_flag.suggested.level, 'confidential');
    const h = assertJson(await s.api('GET', `/api/v1/datasets/${ds.id}/classification`, { token: tok.owner }), 200);
    const sug = h.history.filter((e) => e.kind === 'suggest');
    assert.equal(sug.length, 1);
    assert.equal(sug[0].to.category, 'personal');
    assert.equal(sug[0].to.level, 'confidential');
    assert.match(sug[0].reason, /TH_TNIN/);
    assert.match(sug[0].reason, /HEALTH/);
    const flagged = assertJson(await s.api('GET', '/api/v1/datasets?flagged=1', { token: tok.owner }), 200);
    assert.deepEqual(flagged.items.map((x) => x.id), [ds.id]);
    assertFieldError(await s.api('GET', '/api/v1/datasets?flagged=maybe', { token: tok.owner }), 'flagged');
    // has-personal-data (personal=1) is what the scan found, though the category says internal
    const personal = assertJson(await s.api('GET', '/api/v1/datasets?personal=1', { token: tok.owner }), 200);
    assert.deepEqual(personal.items.map((x) => x.id), [ds.id]);
    const none = assertJson(await s.api('GET', '/api/v1/datasets?personal=0', { token: tok.owner }), 200);
    assert.ok(!none.items.some((x) => x.id === ds.id));
  });

  it('download: personal data without a purpose is denied; with a lawful basis it streams the bytes, and the audit event names the resource and the purpose', async () => {
    const p = `/api/v1/datasets/${ds.id}/resources/${res.id}/download`;
    const denied = assertProblem(await s.api('GET', p, { token: tok.analyst }), 403);
    assert.match(denied.detail, /personal-data-needs-basis/);
    // sensitive data: a basis alone is not enough (PDPA s.26)
    assertProblem(await s.api('GET', p, { token: tok.analyst, headers: { 'x-khomun-purpose-basis': 's24(4)' } }), 403);
    assertFieldError(await s.api('GET', `${p}?purpose_basis=bogus`, { token: tok.analyst }), 'basis');
    const r = await s.api('GET', `${p}?purpose=clinic-followup&purpose_basis=s24(4)&s26_exception=s26(5)`, { token: tok.analyst });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.text, PERSONAL_CSV);
    assert.equal(r.headers.get('content-type'), 'text/csv');
    assert.match(r.headers.get('content-disposition'), /^attachment; filename\*=UTF-8''clinic\.csv$/);
    assert.equal(r.headers.get('x-khomun-sha256'), res.sha256);
    const rid = r.headers.get('x-request-id');
    const audit = assertJson(await s.api('GET', '/api/v1/audit?action=resource.download&limit=50'), 200).items;
    const ev = audit.find((e) => e.request_id === rid);
    assert.ok(ev, 'download audited');
    assert.equal(ev.target, `dataset/${ds.id}/resource/${res.id}`);
    assert.equal(ev.purpose, 'clinic-followup');
    assert.equal(ev.outcome, 'success');
    assert.ok(audit.some((e) => e.outcome === 'denied'), 'the refused downloads are audited too');
  });

  it('the owner confirms the suggestion and the flag clears', async () => {
    const cur = await getDs(ds.id);
    const r = await s.api('POST', `/api/v1/datasets/${ds.id}/classification`, {
      token: tok.owner, headers: { 'if-match': cur.headers.get('etag') },
      body: { category: 'personal', level: 'confidential', reason: 'ยืนยันตามผลการตรวจ: มีเลขประจำตัวประชาชนและข้อมูลสุขภาพ' },
    });
    const d = assertJson(r, 200);
    assert.equal(d.classification.confirmed, true);
    assert.equal(d.classification_flag, null);
    const flagged = assertJson(await s.api('GET', '/api/v1/datasets?flagged=1', { token: tok.owner }), 200);
    assert.deepEqual(flagged.items, []);
  });

  it('the same bytes are stored once; a non-personal file leaves the flags alone', async () => {
    const pub = assertJson(await s.api('POST', '/api/v1/datasets', {
      token: tok.steward, body: { name: 'budget', metadata: gdcMetadata('ข้อมูลสาธารณะ', 'เปิดเผย', 'งบประมาณ') },
    }), 201);
    const a = assertJson(await upload(pub.id, BUDGET_CSV, 'name=budget.csv'), 201);
    const b = assertJson(await upload(pub.id, BUDGET_CSV, 'name=budget-copy.csv'), 201);
    assert.equal(a.sha256, b.sha256);
    assert.notEqual(a.id, b.id);
    assert.equal(a.scan.personal_data, false);
    assert.equal(blobs().filter((x) => x === a.sha256).length, 1);
    const d = assertJson(await getDs(pub.id), 200);
    assert.equal(d.version, 1, 'no personal data: the dataset did not change');
    assert.equal(d.classification_flag, null);
    // public data: anyone downloads it, no purpose needed
    const r = await s.api('GET', `/api/v1/datasets/${pub.id}/resources/${a.id}/download`, { token: null });
    assert.equal(r.status, 200);
    assert.equal(r.text, BUDGET_CSV);
    // delete one: the blob stays for the other; delete both: it goes
    assertJson(await s.api('DELETE', `/api/v1/datasets/${pub.id}/resources/${a.id}`, { token: tok.steward }), 200);
    assert.ok(blobs().includes(a.sha256));
    assertProblem(await s.api('GET', `/api/v1/datasets/${pub.id}/resources/${a.id}`, { token: tok.steward }), 404);
    assertJson(await s.api('DELETE', `/api/v1/datasets/${pub.id}/resources/${b.id}`, { token: tok.steward }), 200);
    assert.ok(!blobs().includes(a.sha256), 'the last reference removed the file');
    assert.deepEqual(temps(), []);
  });

  it('a link resource has a URL and no bytes', async () => {
    const url = 'https://data.go.th/dataset/budget.csv';
    const r = await s.api('POST', `/api/v1/datasets/${ds.id}/resources?name=${encodeURIComponent('ลิงก์')}&url=${encodeURIComponent(url)}`, {
      token: tok.steward, headers: { 'content-type': null },
    });
    const l = assertJson(r, 201);
    assert.equal(l.url, url);
    assert.equal(l.format, 'CSV');
    assert.equal(l.sha256, null);
    assert.equal(l.scan.status, 'none');
    assertProblem(await s.api('GET', `/api/v1/datasets/${ds.id}/resources/${l.id}/download?purpose_basis=s24(4)&s26_exception=s26(5)`, { token: tok.owner }), 404);
  });

  it('bad input stores nothing: over --max-upload (413, also chunked), a checksum mismatch, a bad field, no name', async () => {
    const before = blobs();
    const n0 = assertJson(await s.api('GET', `/api/v1/datasets/${ds.id}/resources`, { token: tok.owner }), 200).items.length;
    const big = 'a,b\n' + '1,2\n'.repeat(2000); // 8 KB > 4k
    const p413 = assertProblem(await upload(ds.id, big, 'name=big.csv'), 413);
    assert.match(p413.detail, /max-upload/);
    // chunked (no Content-Length): refused once the cap is passed, the partial file removed
    const chunks = Array.from({ length: 8 }, () => '1,2\n'.repeat(250));
    const rc = await s.raw('POST', `/api/v1/datasets/${ds.id}/resources?name=big.csv`, {
      headers: { authorization: `Bearer ${tok.steward}`, 'content-type': 'text/csv' }, chunks,
    });
    assert.equal(rc.status, 413, rc.text);
    assertFieldError(await upload(ds.id, BUDGET_CSV, `name=x.csv&sha256=${'0'.repeat(64)}`), 'sha256');
    assertFieldError(await upload(ds.id, BUDGET_CSV, 'name=x.csv&resource_created_date=2567-13-01'), 'resource_created_date');
    assertFieldError(await upload(ds.id, BUDGET_CSV, 'name=x.csv&colour=red'), 'colour');
    assertFieldError(await upload(ds.id, BUDGET_CSV, 'description=no-name'), 'name');
    // a reader of the agency may not upload (write:dataset)
    assertProblem(await upload(ds.id, BUDGET_CSV, 'name=x.csv', 'reader'), 403);
    assert.deepEqual(blobs(), before, 'no blob stored');
    assert.deepEqual(temps(), [], 'no temporary file left');
    const n1 = assertJson(await s.api('GET', `/api/v1/datasets/${ds.id}/resources`, { token: tok.owner }), 200).items.length;
    assert.equal(n1, n0, 'no resource row');
  });

  it('POST …/scan scans a stored file again', async () => {
    const r = assertJson(await s.api('POST', `/api/v1/datasets/${ds.id}/resources/${res.id}/scan`, { token: tok.steward }), 200);
    assert.equal(r.scan.status, 'scanned');
    assert.equal(r.columns.find((c) => c.field === 'โทรศัพท์').type, 'PHONE_NUMBER');
  });
});

describe('demo resources (serve --demo)', { timeout: 60_000 }, () => {
  let s;
  before(async () => { s = await startServer({ args: ['--demo'] }); }, { timeout: 30_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('the seed attaches scanned files: a data map at once, the staff directory flagged with a suggestion', async () => {
    const tokenOf = async (user) => assertJson(await s.api('POST', '/api/v1/tokens', { body: { user } }), 201).token;
    const moph = await tokenOf('anan.health'); // a steward of the ministry of public health
    const mdes = await tokenOf('malee.owner');
    const map = assertJson(await s.api('GET', '/api/v1/datasets/chronic-patient-register/datamap', { token: moph }), 200);
    assert.equal(map.sensitive_data, true);
    const types = map.resources[0].columns.map((c) => c.type);
    for (const t of ['TH_TNIN', 'PHONE_NUMBER', 'HEALTH']) assert.ok(types.includes(t), `${t} in ${types}`);
    const staff = assertJson(await s.api('GET', '/api/v1/datasets/staff-directory', { token: mdes }), 200);
    assert.equal(staff.classification_flag.code, 'scan_disagrees');
    assert.equal(staff.classification_flag.suggested.level, 'confidential');
    const budget = assertJson(await s.api('GET', '/api/v1/datasets/digital-budget-2567/datamap', { token: null }), 200);
    assert.equal(budget.personal_data, false);
    assert.equal(budget.resources.length, 1);
  });
});
