// POST /api/v1/scan (docs/api/scan.md): the request body scanned with the same scanner as
// `khomun scan`, answered with the JSON document of docs/scan-output.md. Real Thai data (synthetic
// identifiers with valid check digits), CSV headers as context, masking, gzip bodies, query
// validation naming the field, the body cap, and who may scan (rule scanner-use).
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';

import { assertFieldError, assertJson, assertProblem, startServer } from './harness.mjs';

const CSV = [
  'ชื่อ-นามสกุล,เลขประจำตัวประชาชน,โทรศัพท์,อีเมล',
  'นางสาวสมหญิง ใจดี,2-9825-97919-07-1,081-234-5678,somying@example.com',
  'นายสมชาย รักไทย,3100600445635,02-123-4567,somchai@example.co.th',
  '',
].join('\r\n');

describe('scan', { timeout: 60_000 }, () => {
  let s;
  const tokens = {};
  const scan = (q, body, o = {}) => s.api('POST', `/api/v1/scan${q}`, {
    rawBody: body, headers: { 'content-type': 'text/csv', ...(o.headers || {}) }, ...o,
  });

  before(async () => {
    s = await startServer({ args: ['--max-body', '65536'] });
    for (const [name, role] of [['nid', 'dpo'], ['somchai', 'analyst'], ['udom', 'auditor']]) {
      assertJson(await s.api('POST', '/api/v1/users', { body: { name, agency: 'demo', role } }), 201);
      tokens[name] = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: name } }), 201).token;
    }
  }, { timeout: 30_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('a CSV body: findings with offsets into the body, columns by header, the file record', async () => {
    const j = assertJson(await scan('?name=citizens.csv', CSV), 200);
    assert.deepEqual(Object.keys(j), ['findings', 'columns', 'files', 'summary']);
    const ids = j.findings.filter((f) => f.type === 'TH_TNIN');
    assert.equal(ids.length, 2);
    const bytes = Buffer.from(CSV);
    for (const f of ids) {
      assert.equal(f.kind, 'finding');
      assert.equal(f.file, 'citizens.csv');
      assert.equal(f.field, 'เลขประจำตัวประชาชน');
      assert.equal(f.pdpa, 'personal');
      const raw = bytes.subarray(f.start, f.end).toString();
      assert.ok(raw === '2-9825-97919-07-1' || raw === '3100600445635', raw);
      assert.match(f.value, /X/, 'masked by default'); // never the clear value
      assert.notEqual(f.value, raw);
    }
    assert.deepEqual(ids.map((f) => f.row), [0, 1]);
    assert.deepEqual(ids.map((f) => f.line), [2, 3]);
    const col = j.columns.find((c) => c.field === 'เลขประจำตัวประชาชน');
    assert.equal(col.type, 'TH_TNIN');
    assert.equal(col.matched, 2);
    const file = j.files[0];
    assert.equal(file.format, 'csv');
    assert.equal(file.encoding, 'utf-8');
    assert.equal(file.rows, 2);
    assert.equal(file.bytes, bytes.length);
    assert.equal(file.pdpa, 'personal');
    assert.equal(file.suggested_category, 'ข้อมูลส่วนบุคคล');
    assert.equal(file.suggested_classification, 'ชั้นเผยแพร่ภายในองค์กร');
    assert.ok(file.types.TH_TNIN === 2 && file.types.PHONE_NUMBER === 2 && file.types.EMAIL_ADDRESS === 2);
    assert.equal(j.summary.findings, j.findings.length);
  });

  it('show_values=true gives the values; a gzip body is decompressed', async () => {
    const j = assertJson(await scan('?show_values=true&format=csv', gzipSync(Buffer.from(CSV)),
      { headers: { 'content-type': 'application/gzip' } }), 200);
    assert.ok(j.files[0].gzip);
    assert.deepEqual(j.findings.filter((f) => f.type === 'PHONE_NUMBER').map((f) => f.value),
      ['081-234-5678', '02-123-4567']);
  });

  it('JSON Lines: fields are named by their path', async () => {
    const body = '{"person":{"name":"สมหญิง","phone":"0812345678"}}\n{"person":{"phone":"+66 81 234 5678"}}\n';
    const j = assertJson(await scan('?format=jsonl', body), 200);
    const phones = j.findings.filter((f) => f.type === 'PHONE_NUMBER');
    assert.equal(phones.length, 2);
    assert.deepEqual(phones.map((f) => f.field), ['$.person.phone', '$.person.phone']);
    assert.deepEqual(phones.map((f) => f.row), [0, 1]);
    assert.equal(j.columns.find((c) => c.field === '$.person.phone').matched, 2);
  });

  it('bad query parameters and unreadable bodies are 400s naming the field; nothing is scanned', async () => {
    assertFieldError(await scan('?format=xml', CSV), 'format');
    assertFieldError(await scan('?show_values=maybe', CSV), 'show_values');
    assertFieldError(await scan('?encoding=latin-9', CSV), 'encoding');
    const gz = gzipSync(Buffer.from(CSV.repeat(20)));
    assertFieldError(await scan('', gz.subarray(0, gz.length - 20)), 'body'); // truncated gzip
    assertFieldError(await scan('?format=json', '{"a": [1, 2'), 'body');
  });

  it('a body over --max-body is 413', async () => {
    assertProblem(await scan('', 'x'.repeat(70_000)), 413);
  });

  it('who may scan: the DPO and an analyst yes, the auditor no (rule scanner-use), anonymous 401', async () => {
    assertJson(await scan('', CSV, { token: tokens.nid }), 200);
    assertJson(await scan('', CSV, { token: tokens.somchai }), 200);
    const p = assertProblem(await scan('', CSV, { token: tokens.udom }), 403);
    assert.match(p.detail, /read-data scanner is not allowed for the role 'auditor'/);
    assertProblem(await scan('', CSV, { token: null }), 401);
  });

  it('each scan is an audit event scan.run without the findings', async () => {
    const r = await scan('?name=audit-check.csv', CSV);
    assertJson(r, 200);
    const id = r.headers.get('x-request-id');
    const ev = assertJson(await s.api('GET', '/api/v1/audit?action=scan.run&limit=100'), 200);
    const mine = ev.items.find((e) => e.request_id === id);
    assert.ok(mine, `no scan.run event for request ${id}`);
    assert.equal(mine.outcome, 'success');
    assert.doesNotMatch(JSON.stringify(mine), /3100600445635|081-234-5678/);
  });
});
