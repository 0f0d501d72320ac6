// POST /api/v1/datasets/{id}/scan (issue 4, docs/api/datasets-scan.md): scan every file of a
// dataset now. A dataset declared public (ข้อมูลสาธารณะ / เปิดเผย) holds a CSV of Thai national IDs
// and phones, a clean budget CSV and a link: the scan reports per resource what it did (the link
// skipped and listed), the data map is stored, and the dataset's suggested classification becomes
// ข้อมูลส่วนบุคคล at least ชั้นเผยแพร่ภายในองค์กร — thai-rules.md §2.2 (the categories) and §2.3 (personal
// data is allowed only at ชั้นเผยแพร่ภายในองค์กร, ลับ or ลับมาก) — with the flag scan_disagrees set until
// the owner confirms. Bad input: an unknown dataset (403, like another agency's), a caller who may
// not write (403), an archived dataset (400); each changes nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { TIME_RE, assertFieldError, assertJson, assertProblem, gdcMetadata, startServer } from './harness.mjs';

// A 13-digit Thai national ID with its check digit (thai-rules.md §4.1).
function tnin(first12) {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return first12 + String((11 - (sum % 11)) % 10);
}

const PEOPLE = [
  ['110060044563', 'สมชาย ใจดี', '081-234-5678'],
  ['310060044563', 'สมหญิง รักไทย', '089-765-4321'],
  ['150010023456', 'วิชัย มั่นคง', '062-111-2233'],
  ['370020034567', 'นภา แสงทอง', '095-444-5566'],
  ['140030045678', 'ประยุทธ์ สุขใจ', '086-777-8899'],
];
const PEOPLE_CSV = 'เลขประจำตัวประชาชน,ชื่อ-สกุล,โทรศัพท์\n' +
  PEOPLE.map(([id, n, p]) => `${tnin(id)},${n},${p}`).join('\n') + '\n';
const CLEAN_CSV = 'ปีงบประมาณ,โครงการ,งบประมาณ (บาท)\n2567,ศูนย์ข้อมูลภาครัฐ,12500000\n' +
  '2567,คลาวด์กลางภาครัฐ,48000000\n2568,แพลตฟอร์มบริการดิจิทัล,30500000\n';
const LINK = 'https://data.go.th/dataset/survey-2567';

// thai-rules.md §2.3: the levels a personal-data dataset may have, lowest first
const PERSONAL_LEVELS_TH = ['ชั้นเผยแพร่ภายในองค์กร', 'ลับ', 'ลับมาก'];

describe('POST /api/v1/datasets/{id}/scan', { timeout: 120_000 }, () => {
  let s;
  const tok = {};
  let ds; // the public dataset with the three resources
  const res = {}; // its resources by name

  const upload = (id, body, name, who = 'steward') => s.api('POST',
    `/api/v1/datasets/${id}/resources?name=${encodeURIComponent(name)}`, {
      token: tok[who], rawBody: body, headers: { 'content-type': 'text/csv' },
    });
  const scan = (id, who = 'steward') => s.api('POST', `/api/v1/datasets/${id}/scan`, { token: tok[who] });
  const getRes = async (dsId, rid) => assertJson(await s.api('GET', `/api/v1/datasets/${dsId}/resources/${rid}`, { token: tok.owner }), 200);
  const history = async (id) => assertJson(await s.api('GET', `/api/v1/datasets/${id}/classification?limit=500`, { token: tok.owner }), 200);
  const mkDataset = async (name, category = 'ข้อมูลสาธารณะ', level = 'เปิดเผย', title = 'ผลสำรวจความพึงพอใจต่อบริการภาครัฐ ปี 2567') =>
    assertJson(await s.api('POST', '/api/v1/datasets', {
      token: tok.steward, body: { name, owner: 'owner', metadata: gdcMetadata(category, level, title) },
    }), 201);

  before(async () => {
    s = await startServer();
    for (const [name, role, clearance] of [['steward', 'steward', 'secret'], ['owner', 'owner', 'secret'],
      ['analyst', 'analyst', 'secret']]) {
      assertJson(await s.api('POST', '/api/v1/users', { body: { name, agency: 'demo', role, clearance } }), 201);
      tok[name] = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: name } }), 201).token;
    }
    ds = await mkDataset('service-survey-2567');
    res.people = assertJson(await upload(ds.id, PEOPLE_CSV, 'ผู้ตอบแบบสำรวจ.csv'), 201);
    res.clean = assertJson(await upload(ds.id, CLEAN_CSV, 'งบประมาณโครงการ.csv'), 201);
    res.link = assertJson(await s.api('POST', `/api/v1/datasets/${ds.id}/resources?name=portal&url=${encodeURIComponent(LINK)}`, {
      token: tok.steward, headers: { 'content-type': null },
    }), 201);
  }, { timeout: 30_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('scans every file, lists the link as skipped, and reports findings, bytes and time per resource', async (t) => {
    const t0 = Date.now();
    const r = await scan(ds.id);
    const wall = Date.now() - t0;
    const out = assertJson(r, 200);
    assert.equal(out.dataset_id, ds.id);
    assert.equal(out.name, 'service-survey-2567');
    assert.match(out.scanned_at, TIME_RE);
    assert.equal(out.max_bytes, 64 * 1024 * 1024, 'the 64 MiB cap of a scan on upload');
    assert.equal(out.resources.length, 3);
    const by = Object.fromEntries(out.resources.map((x) => [x.id, x]));

    const people = by[res.people.id];
    assert.equal(people.name, 'ผู้ตอบแบบสำรวจ.csv');
    assert.equal(people.kind, 'file');
    assert.equal(people.status, 'scanned');
    assert.equal(people.code, null);
    assert.equal(people.reason, null);
    assert.equal(people.bytes, Buffer.byteLength(PEOPLE_CSV));
    assert.equal(typeof people.ms, 'number');
    assert.ok(people.ms >= 0 && people.ms < 10_000, `ms ${people.ms}`);
    assert.equal(people.rows, PEOPLE.length);
    assert.equal(people.columns, 3);
    assert.equal(people.personal_data, true);
    assert.equal(people.sensitive_data, false);
    const f = Object.fromEntries(people.findings.map((x) => [x.type, x]));
    assert.equal(f.TH_TNIN?.count, PEOPLE.length, JSON.stringify(people.findings));
    assert.equal(f.TH_TNIN.pdpa, 'personal');
    assert.equal(f.PHONE_NUMBER?.count, PEOPLE.length);
    assert.equal(f.PHONE_NUMBER.pdpa, 'personal');
    for (let i = 1; i < people.findings.length; i++) {
      assert.ok(people.findings[i - 1].count >= people.findings[i].count, 'most found first');
    }
    assert.ok(Number.isInteger(people.quality_score));

    const clean = by[res.clean.id];
    assert.equal(clean.status, 'scanned');
    assert.equal(clean.bytes, Buffer.byteLength(CLEAN_CSV));
    assert.equal(clean.rows, 3);
    assert.equal(clean.personal_data, false);
    assert.deepEqual(clean.findings.filter((x) => x.pdpa !== 'none'), [], 'no personal data in the budget table');

    const link = by[res.link.id];
    assert.equal(link.kind, 'link');
    assert.equal(link.status, 'skipped');
    assert.equal(link.code, 'link');
    assert.match(link.reason, /link/);
    assert.equal(link.reason_th, 'เป็นลิงก์ ไม่มีไฟล์ให้ตรวจ');
    assert.equal(link.bytes, null);
    assert.equal(link.ms, null);
    assert.deepEqual(link.findings, []);

    assert.deepEqual({ ...out.summary, ms: undefined }, {
      resources: 3, scanned: 2, skipped: 1, failed: 0,
      bytes: Buffer.byteLength(PEOPLE_CSV) + Buffer.byteLength(CLEAN_CSV), ms: undefined,
    });
    assert.ok(Math.abs(out.summary.ms - people.ms - clean.ms) < 0.01, 'the total is the sum');
    t.diagnostic(`dataset scan of ${out.summary.bytes} bytes in 2 files: ${out.summary.ms.toFixed(3)} ms reading ` +
      `(${people.name} ${people.ms} ms, ${clean.name} ${clean.ms} ms), ${wall} ms for the whole request`);
  });

  it('the suggestion becomes ข้อมูลส่วนบุคคล at least ชั้นเผยแพร่ภายในองค์กร (thai-rules.md §2.2–2.3) and the dataset is flagged scan_disagrees', async () => {
    const out = assertJson(await scan(ds.id), 200);
    assert.equal(out.personal_data, true);
    assert.equal(out.sensitive_data, false);
    // declared public, not confirmed
    assert.equal(out.classification.category_th, 'ข้อมูลสาธารณะ');
    assert.equal(out.classification.level_th, 'เปิดเผย');
    assert.equal(out.classification.confirmed, false);
    // §2.2: the category ข้อมูลส่วนบุคคล; §2.3: a level permitted for it, at least ชั้นเผยแพร่ภายในองค์กร
    assert.equal(out.suggested.category, 'personal');
    assert.equal(out.suggested.category_th, 'ข้อมูลส่วนบุคคล');
    assert.ok(PERSONAL_LEVELS_TH.includes(out.suggested.level_th), out.suggested.level_th);
    assert.equal(out.suggested.level_th, 'ชั้นเผยแพร่ภายในองค์กร', 'no sensitive data: the lowest allowed level');
    assert.equal(out.classification_flag.code, 'scan_disagrees');
    assert.match(out.classification_flag.message_th, /ข้อมูลส่วนบุคคล/);
    assert.deepEqual(out.classification_flag.suggested, out.suggested);
    assert.ok(Number.isInteger(out.quality.score) && out.quality.score >= 0 && out.quality.score <= 100);
    assert.match(out.quality.computed_at, TIME_RE);

    // the same on the dataset record and in GET …/classification
    const d = assertJson(await s.api('GET', `/api/v1/datasets/${ds.id}`, { token: tok.owner }), 200);
    assert.equal(d.classification_flag.code, 'scan_disagrees');
    assert.equal(d.quality.score, out.quality.score);
    const h = await history(ds.id);
    assert.equal(h.name, 'service-survey-2567');
    assert.equal(h.personal_data, true);
    assert.deepEqual(h.suggested, out.suggested);
    assert.equal(h.classification_flag.code, 'scan_disagrees');
    const mine = h.history.filter((e) => e.kind === 'suggest' && /dataset scan found personal data/.test(e.reason));
    assert.equal(mine.length, 2, 'one suggest entry per dataset scan (two scans so far)');
    assert.match(mine[0].reason, /ผู้ตอบแบบสำรวจ\.csv/);
    assert.match(mine[0].reason, /TH_TNIN/);
    assert.doesNotMatch(mine[0].reason, /งบประมาณโครงการ/, 'the clean file is not named');
    assert.equal(mine[0].to.category_th, 'ข้อมูลส่วนบุคคล');
    assert.equal(mine[0].to.level_th, 'ชั้นเผยแพร่ภายในองค์กร');
  });

  it('the data map holds each file\'s columns; each file\'s scan time moved; the audit event is dataset.scan', async () => {
    const before0 = await getRes(ds.id, res.people.id);
    const t0 = Date.now();
    const out = assertJson(await scan(ds.id), 200);
    const map = assertJson(await s.api('GET', `/api/v1/datasets/${ds.id}/datamap`, { token: tok.owner }), 200);
    const mp = map.resources.find((x) => x.id === res.people.id);
    assert.deepEqual(mp.columns.map((c) => [c.field, c.type, c.pdpa]), [
      ['เลขประจำตัวประชาชน', 'TH_TNIN', 'personal'],
      ['ชื่อ-สกุล', mp.columns[1].type, mp.columns[1].pdpa],
      ['โทรศัพท์', 'PHONE_NUMBER', 'personal'],
    ]);
    assert.ok(mp.columns[0].share > 0.99);
    const mc = map.resources.find((x) => x.id === res.clean.id);
    assert.equal(mc.columns.length, 3);
    assert.ok(mc.columns.every((c) => c.pdpa === 'none'));
    assert.deepEqual(map.resources.find((x) => x.id === res.link.id).columns, []);
    const after0 = await getRes(ds.id, res.people.id);
    assert.equal(after0.scan.status, 'scanned');
    assert.ok(Date.parse(after0.scan.scanned_at) >= t0 - 5, 'scanned again');
    assert.notEqual(after0.scan.scanned_at, before0.scan.scanned_at);
    assert.equal((await getRes(ds.id, res.link.id)).scan.status, 'none', 'the link is left alone');
    const ev = assertJson(await s.api('GET', '/api/v1/audit?action=dataset.scan&limit=50'), 200).items;
    assert.ok(ev.some((e) => e.target === `dataset/${ds.id}` && e.outcome === 'success'), JSON.stringify(ev.slice(-2)));
    assert.equal(out.summary.scanned, 2);
  });

  it('after the owner confirms a fitting classification the flag clears, and a scan finding the same keeps it clear', async () => {
    const d = assertJson(await s.api('GET', `/api/v1/datasets/${ds.id}`, { token: tok.owner }), 200);
    assertJson(await s.api('POST', `/api/v1/datasets/${ds.id}/classification`, {
      token: tok.owner, headers: { 'if-match': d.etag },
      body: { category: 'ข้อมูลส่วนบุคคล', level: 'ชั้นเผยแพร่ภายในองค์กร', reason: 'ตามผลการตรวจชุดข้อมูล' },
    }), 200);
    const n0 = (await history(ds.id)).history.length;
    const out = assertJson(await scan(ds.id), 200);
    assert.equal(out.classification_flag, null);
    assert.equal(out.classification.category_th, 'ข้อมูลส่วนบุคคล');
    assert.equal(out.classification.confirmed, true);
    assert.deepEqual(out.suggested, { category: 'personal', category_th: 'ข้อมูลส่วนบุคคล', level: 'internal', level_th: 'ชั้นเผยแพร่ภายในองค์กร' });
    assert.equal((await history(ds.id)).history.length, n0, 'nothing to suggest: no new entry');
  });

  it('a file missing from the blob store is failed with its reason; the others are still scanned', async () => {
    const d2 = await mkDataset('lost-file-2567');
    const body = PEOPLE_CSV.replace('สมชาย', 'สมศักดิ์'); // bytes of its own
    const lost = assertJson(await upload(d2.id, body, 'หาย.csv'), 201);
    const kept = assertJson(await upload(d2.id, CLEAN_CSV + '2569,ระบบใหม่,1000000\n', 'ยังอยู่.csv'), 201);
    fs.rmSync(path.join(s.dataDir, 'resources', lost.sha256.slice(0, 2), lost.sha256.slice(2)));
    const out = assertJson(await scan(d2.id), 200);
    const byId = Object.fromEntries(out.resources.map((x) => [x.id, x]));
    assert.equal(byId[lost.id].status, 'failed');
    assert.equal(byId[lost.id].code, 'missing');
    assert.match(byId[lost.id].reason, /missing from the store/);
    assert.equal(byId[lost.id].reason_th, 'ไม่พบไฟล์ของทรัพยากรในที่เก็บ');
    assert.equal(byId[kept.id].status, 'scanned');
    assert.deepEqual([out.summary.scanned, out.summary.skipped, out.summary.failed], [1, 0, 1]);
    const r = await getRes(d2.id, lost.id);
    assert.equal(r.scan.status, 'failed');
    assert.match(r.scan.error, /missing/);
    // its personal data is no longer known: the flags follow the files that could be read
    assert.equal(out.personal_data, false);
    assert.equal(out.classification_flag, null);
  });

  it('a dataset with only a link: nothing read, nothing suggested', async () => {
    const d3 = await mkDataset('links-only-2567');
    assertJson(await s.api('POST', `/api/v1/datasets/${d3.id}/resources?name=portal&url=${encodeURIComponent(LINK)}`, {
      token: tok.steward, headers: { 'content-type': null },
    }), 201);
    const out = assertJson(await scan(d3.id), 200);
    assert.deepEqual({ ...out.summary, ms: 0 }, { resources: 1, scanned: 0, skipped: 1, failed: 0, bytes: 0, ms: 0 });
    assert.equal(out.classification_flag, null);
    assert.equal(out.quality.score, null, 'no file: no score');
    assert.equal((await history(d3.id)).history.filter((e) => e.kind === 'suggest').length, 0);
  });

  it('bad input: an unknown dataset (403: the answer does not tell whether it exists), a caller who may not write (403), an archived dataset (400 naming dataset); nothing changes', async () => {
    // an unknown dataset has no owner agency: the same-agency rules deny it to everyone, the admin
    // included (rule default-deny), exactly as a dataset of another agency
    for (const who of [undefined, 'steward']) {
      for (const id of ['no-such-dataset', '0190a000-0000-7000-8000-000000000000']) {
        const p = assertProblem(await s.api('POST', `/api/v1/datasets/${id}/scan`, who ? { token: tok[who] } : {}), 403);
        assert.match(p.detail, /default-deny/);
      }
    }

    const before1 = await getRes(ds.id, res.people.id);
    const h1 = (await history(ds.id)).history.length;
    const denied = assertProblem(await scan(ds.id, 'analyst'), 403);
    assert.match(denied.detail, /write/);
    assert.equal((await getRes(ds.id, res.people.id)).scan.scanned_at, before1.scan.scanned_at, 'not scanned');
    assert.equal((await history(ds.id)).history.length, h1);
    const ev = assertJson(await s.api('GET', '/api/v1/audit?action=dataset.scan&limit=100'), 200).items;
    assert.ok(ev.some((e) => e.outcome === 'denied'), 'the refusal is audited');

    const d4 = await mkDataset('archived-survey-2566', 'ข้อมูลใช้ภายใน', 'ชั้นเผยแพร่ภายในองค์กร', 'ผลสำรวจ ปี 2566');
    const r4 = assertJson(await upload(d4.id, PEOPLE_CSV, 'เก่า.csv'), 201);
    const cur = assertJson(await s.api('GET', `/api/v1/datasets/${d4.id}`, { token: tok.owner }), 200);
    assertJson(await s.api('DELETE', `/api/v1/datasets/${d4.id}`, { token: tok.steward, headers: { 'if-match': cur.etag } }), 200);
    const h4 = (await history(d4.id)).history.length;
    const bad = await scan(d4.id);
    assertProblem(bad, 400);
    const fe = assertFieldError(bad, 'dataset');
    assert.match(fe.message_th, /เก็บถาวร/);
    assert.equal((await getRes(d4.id, r4.id)).scan.scanned_at, r4.scan.scanned_at, 'not scanned');
    assert.equal((await history(d4.id)).history.length, h4);
  });
});
