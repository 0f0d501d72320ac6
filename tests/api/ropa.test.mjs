// /api/v1/ropa: the record of processing activities of PDPA s.39 (thai-rules.md §1.8) — the
// eight items, links to purposes and datasets, recipients with the s.28/s.29 mechanism of a
// cross-border transfer (§1.11), the security checklist (§1.12 → NIST CSF, §5.2), refusals
// (s.39 item 7), the completeness report with the s.41 DPO gap (§1.9), ETag / If-Match, and the
// CSV / JSON export round trip.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  UUID7_RE, assertFieldError, assertJson, assertProblem, gdcMetadata, listAll, startServer,
} from './harness.mjs';

// The Thai wording of the eight s.39 items, in the statute's order (thai-rules.md §1.8).
const S39_TH = [
  'ข้อมูลส่วนบุคคลที่มีการเก็บรวบรวม',
  'วัตถุประสงค์ของการเก็บรวบรวมข้อมูลส่วนบุคคลแต่ละประเภท',
  'ข้อมูลเกี่ยวกับผู้ควบคุมข้อมูลส่วนบุคคล',
  'ระยะเวลาการเก็บรักษาข้อมูลส่วนบุคคล',
  'สิทธิและวิธีการเข้าถึงข้อมูลส่วนบุคคล รวมทั้งเงื่อนไขเกี่ยวกับบุคคลที่มีสิทธิเข้าถึง และเงื่อนไขในการเข้าถึง',
  'การใช้หรือเปิดเผยตามมาตรา 27 วรรคสาม',
  'การปฏิเสธคำขอหรือการคัดค้านตาม ม.30 ว.3, ม.31 ว.3, ม.32 ว.3 และ ม.36 ว.1',
  'คำอธิบายเกี่ยวกับมาตรการรักษาความมั่นคงปลอดภัยตามมาตรา 37(1)',
];

// A complete activity: every s.39 item given.
function complete(code, extra = {}) {
  return {
    code,
    name_th: 'ทะเบียนผู้เสียภาษีบำรุงท้องที่',
    name_en: 'Local taxpayer register',
    role: 'controller',
    personal_data: ['TH_TNIN', 'PERSON', 'PHONE_NUMBER', 'LOCATION'], // s.39(1)
    data_subjects: ['ผู้เสียภาษี', 'ผู้รับมอบอำนาจ'],
    purposes: ['tax-collection'], // s.39(2)
    purpose_description: 'จัดเก็บภาษีที่ดินและสิ่งปลูกสร้างตามกฎหมาย',
    controller: { // s.39(3)
      name: 'องค์การบริหารส่วนตำบลทดสอบ', address: '99 หมู่ 1 ตำบลทดสอบ', phone: '0 2141 6747',
      email: 'saraban@test.go.th',
    },
    retention_period: '10 ปีนับจากปีภาษีสุดท้าย', // s.39(4)
    access_rights: 'เจ้าของข้อมูลขอตรวจดูและขอสำเนาได้ที่กองคลัง', // s.39(5)
    access_conditions: 'เฉพาะเจ้าหน้าที่กองคลังที่ได้รับมอบหมาย',
    exempt_uses: [{ description: 'ส่งข้อมูลให้กรมที่ดิน', legal_basis: 'มาตรา 24(6)' }], // s.39(6)
    security_description: 'ระบบงานอยู่ในเครือข่ายภายใน เข้ารหัสข้อมูล', // s.39(8)
    security_measures: ['access-control', 'audit-trail', 'encryption'],
    recipients: [{ name: 'กรมที่ดิน', type: 'government', country: 'TH' }],
    ...extra,
  };
}

// RFC 4180 parser (quotes, doubled quotes, CRLF inside quoted fields).
function parseCsv(text) {
  const rows = [];
  let row = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { f += '"'; i++; } else if (c === '"') q = false; else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(f); f = ''; } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(f); rows.push(row); row = []; f = ''; i++;
    } else f += c;
  }
  assert.equal(q, false, 'unterminated quote');
  if (f !== '' || row.length) { row.push(f); rows.push(row); }
  return rows;
}

describe('ropa (PDPA s.39 record of processing)', { timeout: 120_000 }, () => {
  let s;
  let agency;
  let dpoToken;
  let analystToken;
  const ids = {};
  before(async () => {
    s = await startServer();
    agency = assertJson(await s.api('GET', '/api/v1/agencies/demo'), 200);
    const mk = async (name, role) => {
      const u = assertJson(await s.api('POST', '/api/v1/users', {
        body: { name, agency: 'demo', role, clearance: 'confidential' },
      }), 201);
      const t = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: u.id, name } }), 201);
      return { user: u, token: t.token };
    };
    dpoToken = (await mk('ropa-dpo', 'dpo')).token;
    analystToken = (await mk('ropa-analyst', 'analyst')).token;
  }, { timeout: 30_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('an empty record: completeness 0 with the gaps no_activities (s.39) and no_dpo (s.41)', async () => {
    const j = assertJson(await s.api('GET', '/api/v1/ropa/completeness'), 200);
    assert.equal(j.score, 0);
    assert.equal(j.dpo, false);
    assert.equal(j.activities_total, 0);
    const codes = j.gaps.map((g) => g.code);
    assert.ok(codes.includes('no_activities'), JSON.stringify(j.gaps));
    const dpo = j.gaps.find((g) => g.code === 'no_dpo');
    assert.equal(dpo.section, 'PDPA s.41');
    assert.match(dpo.message_th, /เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล/);
  });

  it('POST a complete activity → 201, ETag "1", Location; every s.39 item kept; completeness 100', async () => {
    const r = await s.api('POST', '/api/v1/ropa', { token: dpoToken, body: complete('tax-register') });
    const j = assertJson(r, 201);
    assert.match(j.id, UUID7_RE);
    assert.equal(r.headers.get('etag'), '"1"');
    assert.equal(r.headers.get('location'), `/api/v1/ropa/${j.id}`);
    assert.equal(j.agency_id, agency.id);
    assert.equal(j.name_th, 'ทะเบียนผู้เสียภาษีบำรุงท้องที่');
    assert.deepEqual(j.personal_data, ['TH_TNIN', 'PERSON', 'PHONE_NUMBER', 'LOCATION']); // s.39(1)
    assert.deepEqual(j.purposes, ['tax-collection']); // s.39(2)
    assert.equal(j.controller.name, 'องค์การบริหารส่วนตำบลทดสอบ'); // s.39(3)
    assert.equal(j.retention_period, '10 ปีนับจากปีภาษีสุดท้าย'); // s.39(4)
    assert.match(j.access_rights, /กองคลัง/); // s.39(5)
    assert.equal(j.exempt_uses[0].legal_basis, 'มาตรา 24(6)'); // s.39(6)
    assert.deepEqual(j.refusals, []); // s.39(7)
    assert.deepEqual(j.security_measures, ['access-control', 'audit-trail', 'encryption']); // s.39(8)
    assert.deepEqual(j.security_checklist.map((m) => m.nist_csf), ['PR.AA', 'PR.PS, DE.CM', 'PR.DS']);
    assert.equal(j.recipients[0].country, 'TH');
    assert.equal(j.completeness.score, 100);
    assert.deepEqual(j.completeness.missing, []);
    ids.tax = j.id;
    const got = assertJson(await s.api('GET', `/api/v1/ropa/${j.id}`, { token: dpoToken }), 200);
    assert.deepEqual(got, j);
  });

  // One test per s.39 item that can be missing: the completeness names it, with its Thai label.
  const dropped = [
    [1, 'personal_data', { personal_data: [] }],
    [2, 'purposes', { purposes: [] }],
    [3, 'controller', { controller: null }], // and the agency has no contact yet
    [4, 'retention_period', { retention_period: null }],
    [5, 'access', { access_conditions: null }],
    [6, 'exempt_uses', { exempt_uses: null }],
    [8, 'security', { security_description: null, security_measures: [] }],
  ];
  for (const [item, key, change] of dropped) {
    it(`PDPA s.39(${item}) missing → completeness lists item ${item} (${key}) with its Thai label`, async () => {
      const j = assertJson(await s.api('POST', '/api/v1/ropa', {
        body: complete(`missing-${item}`, change),
      }), 201);
      assert.equal(j.completeness.missing.length, 1, JSON.stringify(j.completeness));
      const m = j.completeness.missing[0];
      assert.equal(m.item, item);
      assert.equal(m.key, key);
      assert.equal(m.section, `PDPA s.39(${item})`);
      assert.equal(m.label_th, S39_TH[item - 1]);
      assert.equal(j.completeness.score, Math.floor(700 / 8));
      ids[`missing${item}`] = j.id;
    });
  }

  it('PDPA s.39(3): a controller\'s activity without its own controller details takes the agency\'s once it has a contact', async () => {
    const e = await s.api('GET', '/api/v1/agencies/demo');
    const body = { ...agency, address: '120 ถนนแจ้งวัฒนะ กรุงเทพฯ 10210', email: 'saraban@demo.go.th' };
    for (const k of ['id', 'gaps', 'version', 'etag', 'created_at', 'updated_at', 'parent_id', 'dpo_user_id']) delete body[k];
    for (const [k, v] of Object.entries(body)) if (v === null) delete body[k];
    assertJson(await s.api('PUT', '/api/v1/agencies/demo', {
      body, headers: { 'if-match': e.headers.get('etag') },
    }), 200);
    const j = assertJson(await s.api('GET', `/api/v1/ropa/${ids.missing3}`), 200);
    assert.equal(j.completeness.score, 100, JSON.stringify(j.completeness));
    assert.equal(j.controller_details.source, 'agency');
    assert.equal(j.controller_details.address, '120 ถนนแจ้งวัฒนะ กรุงเทพฯ 10210');
  });

  it('PDPA s.40: a processor\'s activity must name the controller it acts for', async () => {
    assertFieldError(await s.api('POST', '/api/v1/ropa', {
      body: complete('processor-1', { role: 'processor', controller: null }),
    }), 'controller');
    const j = assertJson(await s.api('POST', '/api/v1/ropa', {
      body: complete('processor-2', { role: 'processor', controller: { name: 'กรมสรรพากร', email: 'rd@rd.go.th' } }),
    }), 201);
    assert.equal(j.role, 'processor');
    assert.equal(j.controller_details.source, 'activity');
    ids.processor = j.id;
  });

  it('PDPA s.28/s.29 (thai-rules.md §1.11): a recipient abroad needs its transfer mechanism', async () => {
    const abroad = (r) => complete(`abroad-${Math.random().toString(36).slice(2, 8)}`, {
      recipients: [{ name: 'Cloud provider', type: 'processor', country: 'SG', ...r }],
    });
    let e = assertFieldError(await s.api('POST', '/api/v1/ropa', { body: abroad({}) }), 'recipients[0].transfer_mechanism');
    assert.match(e.message, /s\.28\/s\.29/);
    assert.match(e.message_th, /มาตรา 28 หรือ 29/);
    assertFieldError(await s.api('POST', '/api/v1/ropa', { body: abroad({ transfer_mechanism: 'hope' }) }),
      'recipients[0].transfer_mechanism');
    // s.28 exception: which one
    assertFieldError(await s.api('POST', '/api/v1/ropa', { body: abroad({ transfer_mechanism: 's28_exception' }) }),
      'recipients[0].transfer_exception');
    // s.29 appropriate safeguards: which ones
    assertFieldError(await s.api('POST', '/api/v1/ropa', { body: abroad({ transfer_mechanism: 'safeguards' }) }),
      'recipients[0].safeguard');
    // inside Thailand: no transfer mechanism
    assertFieldError(await s.api('POST', '/api/v1/ropa', {
      body: complete('th-mech', { recipients: [{ name: 'กรมที่ดิน', country: 'TH', transfer_mechanism: 'adequacy' }] }),
    }), 'recipients[0].transfer_mechanism');
    assertFieldError(await s.api('POST', '/api/v1/ropa', {
      body: complete('bad-country', { recipients: [{ name: 'X', country: 'Thailand' }] }),
    }), 'recipients[0].country');
    const ok = [
      { transfer_mechanism: 'adequacy' },
      { transfer_mechanism: 's28_exception', transfer_exception: 'consent' },
      { transfer_mechanism: 'bcr' },
      { transfer_mechanism: 'safeguards', safeguard: 'ASEAN Model Contractual Clauses' },
    ];
    for (const r of ok) {
      const j = assertJson(await s.api('POST', '/api/v1/ropa', { body: abroad(r) }), 201);
      assert.equal(j.recipients[0].transfer_mechanism, r.transfer_mechanism);
      ids[`abroad-${r.transfer_mechanism}`] = j.id;
    }
  });

  it('bad input names each field in English and Thai; nothing is created', async () => {
    const before = (await listAll(s, '/api/v1/ropa')).length;
    const r = await s.api('POST', '/api/v1/ropa', {
      body: complete('Bad Code', {
        role: 'owner',
        personal_data: ['TH_TNIN', 'SHOE_SIZE'],
        purposes: ['Tax Collection'],
        security_measures: ['firewall-ish'],
        exempt_uses: [{ description: 'x' }],
        datasets: ['no-such-dataset'],
      }),
    });
    for (const f of ['code', 'role', 'personal_data[1]', 'purposes[0]', 'security_measures[0]',
      'exempt_uses[0].legal_basis', 'datasets[0]']) {
      assertFieldError(r, f);
    }
    assertFieldError(await s.api('POST', '/api/v1/ropa', { body: complete('surprise', { surprise: 1 }) }), 'surprise');
    assertFieldError(await s.api('POST', '/api/v1/ropa', { body: complete('wrong-type', { purposes: 'tax' }) }), 'purposes');
    assert.equal((await listAll(s, '/api/v1/ropa')).length, before);
    // missing required members
    const p = await s.api('POST', '/api/v1/ropa', { body: { personal_data: ['PERSON'] } });
    assertFieldError(p, 'code');
    assertFieldError(p, 'name_th');
  });

  it('the code is unique in the agency\'s record → 409', async () => {
    assertProblem(await s.api('POST', '/api/v1/ropa', { body: complete('tax-register') }), 409);
  });

  it('datasets: by name or id, stored by id; another agency\'s dataset is refused', async () => {
    const name = 'ropa-taxpayers';
    // datasets are written by the agency's stewards (rule dataset-write)
    const st = assertJson(await s.api('POST', '/api/v1/users', { body: { name: 'ropa-stew', agency: 'demo', role: 'steward' } }), 201);
    const stt = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: st.id, name: 'st' } }), 201);
    const ds = assertJson(await s.api('POST', '/api/v1/datasets', {
      token: stt.token, body: { name, metadata: gdcMetadata('ข้อมูลสาธารณะ', 'เปิดเผย', 'ทะเบียนผู้เสียภาษี') },
    }), 201);
    const j = assertJson(await s.api('POST', '/api/v1/ropa', {
      body: complete('with-dataset', { datasets: [name, ds.id] }),
    }), 201);
    assert.deepEqual(j.datasets, [ds.id]);
    ids.withDataset = j.id;
    // a dataset of another agency
    assertJson(await s.api('POST', '/api/v1/agencies', { body: { slug: 'ropa-other', name_th: 'หน่วยงานอื่น' } }), 201);
    const u = assertJson(await s.api('POST', '/api/v1/users', { body: { name: 'other-stew', agency: 'ropa-other', role: 'steward' } }), 201);
    const t = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: u.id, name: 'o' } }), 201);
    assertJson(await s.api('POST', '/api/v1/datasets', {
      token: t.token, body: { name: 'other-data', metadata: gdcMetadata() },
    }), 201);
    assertFieldError(await s.api('POST', '/api/v1/ropa', {
      body: complete('foreign-dataset', { datasets: ['other-data'] }),
    }), 'datasets[0]');
  });

  it('PUT needs If-Match (428), refuses a stale one (412), applies the current one (version 2)', async () => {
    const body = complete('tax-register', { retention_period: '15 ปี' });
    assertProblem(await s.api('PUT', `/api/v1/ropa/${ids.tax}`, { body }), 428);
    assertProblem(await s.api('PUT', `/api/v1/ropa/${ids.tax}`, { body, headers: { 'if-match': '"7"' } }), 412);
    assertFieldError(await s.api('PUT', `/api/v1/ropa/${ids.tax}`, { body, headers: { 'if-match': 'seven' } }), 'If-Match');
    const r = await s.api('PUT', `/api/v1/ropa/${ids.tax}`, { body, headers: { 'if-match': '"1"' } });
    const j = assertJson(r, 200);
    assert.equal(j.version, 2);
    assert.equal(r.headers.get('etag'), '"2"');
    assert.equal(j.retention_period, '15 ปี');
    // a bad change changes nothing
    assertFieldError(await s.api('PUT', `/api/v1/ropa/${ids.tax}`, {
      body: { ...body, personal_data: ['NOPE'] }, headers: { 'if-match': '"2"' },
    }), 'personal_data[0]');
    assert.equal(assertJson(await s.api('GET', `/api/v1/ropa/${ids.tax}`), 200).version, 2);
  });

  it('PDPA s.39(7): refusals are written into the activity (s.30, s.31, s.32, s.36)', async () => {
    const at = new Date(Date.now() - 86_400_000).toISOString();
    const r = await s.api('POST', `/api/v1/ropa/${ids.tax}/refusals`, {
      token: dpoToken,
      body: { refused_at: at, request_type: 'access', reason: 'กระทบสิทธิของบุคคลอื่น', legal_ground: 'มาตรา 30 วรรคสาม' },
    });
    const f = assertJson(r, 201);
    assert.equal(f.section, 'PDPA s.30');
    assert.equal(f.activity_id, ids.tax);
    for (const [type, section] of [['portability', 'PDPA s.31'], ['objection', 'PDPA s.32'], ['rectification', 'PDPA s.36']]) {
      const g = assertJson(await s.api('POST', `/api/v1/ropa/${ids.tax}/refusals`, {
        body: { refused_at: at, request_type: type, reason: 'เหตุผล', legal_ground: 'คำสั่งศาล' },
      }), 201);
      assert.equal(g.section, section);
    }
    const j = assertJson(await s.api('GET', `/api/v1/ropa/${ids.tax}`), 200);
    assert.equal(j.refusals.length, 4);
    assert.equal(j.refusals[0].reason, 'กระทบสิทธิของบุคคลอื่น');
    assert.equal(j.version, 2, 'a refusal does not change the activity\'s version');
    // bad refusals: named fields, nothing written
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const bad = await s.api('POST', `/api/v1/ropa/${ids.tax}/refusals`, {
      body: { refused_at: future, request_type: 'complaint', reason: 'x', legal_ground: 'x' },
    });
    assertFieldError(bad, 'refused_at');
    assertFieldError(bad, 'request_type');
    assertFieldError(await s.api('POST', `/api/v1/ropa/${ids.tax}/refusals`, {
      body: { refused_at: 'yesterday', request_type: 'access', reason: 'x', legal_ground: 'x' },
    }), 'refused_at');
    assertFieldError(await s.api('POST', `/api/v1/ropa/${ids.tax}/refusals`, {
      body: { refused_at: future, request_type: 'access', legal_ground: 'x' },
    }), 'reason');
    assert.equal(assertJson(await s.api('GET', `/api/v1/ropa/${ids.tax}`), 200).refusals.length, 4);
  });

  it('DELETE with If-Match takes an activity out of the record; refusals then 412', async () => {
    const e = await s.api('GET', `/api/v1/ropa/${ids.missing2}`);
    assertProblem(await s.api('DELETE', `/api/v1/ropa/${ids.missing2}`), 428);
    const j = assertJson(await s.api('DELETE', `/api/v1/ropa/${ids.missing2}`, {
      headers: { 'if-match': e.headers.get('etag') },
    }), 200);
    assert.notEqual(j.deleted_at, null);
    const list = await listAll(s, '/api/v1/ropa');
    assert.ok(!list.some((x) => x.id === ids.missing2));
    assertProblem(await s.api('POST', `/api/v1/ropa/${ids.missing2}/refusals`, {
      body: { refused_at: new Date().toISOString(), request_type: 'access', reason: 'x', legal_ground: 'y' },
    }), 412);
  });

  it('the record is the agency\'s: an analyst is refused, another agency\'s admin does not see it', async () => {
    assertProblem(await s.api('GET', '/api/v1/ropa', { token: analystToken }), 403);
    assertProblem(await s.api('GET', `/api/v1/ropa/${ids.tax}`, { token: analystToken }), 403);
    const u = assertJson(await s.api('POST', '/api/v1/users', { body: { name: 'other-admin', agency: 'ropa-other', role: 'admin' } }), 201);
    const t = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: u.id, name: 'oa' } }), 201);
    assert.deepEqual(assertJson(await s.api('GET', '/api/v1/ropa', { token: t.token }), 200).items, []);
    assertProblem(await s.api('GET', `/api/v1/ropa/${ids.tax}`, { token: t.token }), 403);
  });

  it('completeness per agency: activities missing items listed; the DPO (s.41) counts', async () => {
    let j = assertJson(await s.api('GET', '/api/v1/ropa/completeness'), 200);
    const n = j.activities_total;
    const incomplete = j.gaps.filter((g) => g.code === 'incomplete_activity');
    assert.ok(incomplete.some((g) => g.activity === 'missing-1' && g.missing[0].item === 1), JSON.stringify(incomplete));
    assert.ok(j.gaps.some((g) => g.code === 'no_dpo'));
    const present = j.activities.reduce((a, x) => a + x.completeness.items_present, 0);
    assert.equal(j.score, Math.floor((present * 100) / (8 * n + 1)));
    // designate the DPO (PDPA s.41): the gap goes, the figure rises by one item
    const e = await s.api('GET', '/api/v1/agencies/demo');
    const a = e.json;
    assertJson(await s.api('PUT', '/api/v1/agencies/demo', {
      headers: { 'if-match': e.headers.get('etag') },
      body: { name_th: a.name_th, address: a.address, email: a.email, dpo_user: 'ropa-dpo', dpo_name: 'นางสาวสมศรี คุ้มครอง', dpo_email: 'dpo@demo.go.th' },
    }), 200);
    j = assertJson(await s.api('GET', '/api/v1/ropa/completeness'), 200);
    assert.equal(j.dpo, true);
    assert.ok(!j.gaps.some((g) => g.code === 'no_dpo'));
    assert.equal(j.score, Math.floor(((present + 1) * 100) / (8 * n + 1)));
  });

  it('export CSV: BOM, Thai headers in the s.39 order, every activity, Thai intact, parses back', async () => {
    const r = await s.api('GET', '/api/v1/ropa/export?format=csv');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
    assert.match(r.headers.get('content-disposition'), /attachment; filename="ropa-demo\.csv"/);
    const raw = Buffer.from(await (await fetch(`${s.base}/api/v1/ropa/export?format=csv`, {
      headers: { authorization: `Bearer ${s.token}` },
    })).arrayBuffer());
    assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const rows = parseCsv(raw.subarray(3).toString('utf8'));
    const head = rows[0];
    assert.deepEqual(head.slice(0, 4), ['หน่วยงาน', 'รหัสกิจกรรม', 'กิจกรรมการประมวลผล', 'บทบาท']);
    assert.deepEqual(head.slice(4, 12), S39_TH, 'the eight items of s.39 in order');
    for (const row of rows) assert.equal(row.length, head.length, `row width: ${row.join('|')}`);
    const list = await listAll(s, '/api/v1/ropa');
    const byCode = new Map(rows.slice(1).map((x) => [x[1], x]));
    assert.equal(rows.length - 1, list.length, 'one row per activity');
    for (const a of list) assert.ok(byCode.has(a.code), `activity ${a.code} missing from the CSV`);
    const tax = byCode.get('tax-register');
    assert.equal(tax[0], 'demo');
    assert.equal(tax[2], 'ทะเบียนผู้เสียภาษีบำรุงท้องที่');
    assert.equal(tax[3], 'ผู้ควบคุมข้อมูลส่วนบุคคล');
    assert.match(tax[4], /TH_TNIN/);
    assert.match(tax[7], /15 ปี/);
    assert.match(tax[10], /PDPA s\.30/);
    assert.match(tax[10], /กระทบสิทธิของบุคคลอื่น/);
    assert.match(tax[6], /นางสาวสมศรี คุ้มครอง/, 'the DPO in the controller details');
    const sg = byCode.get([...byCode.keys()].find((k) => k.startsWith('abroad-') && byCode.get(k)[14].includes('มาตรา 29 วรรคสาม')));
    assert.ok(sg, 'a cross-border transfer under s.29 safeguards');
    assert.match(sg[14], /ASEAN Model Contractual Clauses/);
  });

  it('export JSON: the agency, its completeness and every activity with its refusals', async () => {
    const j = assertJson(await s.api('GET', '/api/v1/ropa/export?format=json'), 200);
    assert.equal(j.format, 'khomun.ropa/1');
    assert.equal(j.agencies.length, 1);
    const x = j.agencies[0];
    assert.equal(x.agency.slug, 'demo');
    const list = await listAll(s, '/api/v1/ropa');
    assert.deepEqual(x.activities.map((a) => a.id).sort(), list.map((a) => a.id).sort());
    const tax = x.activities.find((a) => a.code === 'tax-register');
    assert.equal(tax.refusals.length, 4);
    assert.deepEqual(tax, list.find((a) => a.code === 'tax-register'));
    assertFieldError(await s.api('GET', '/api/v1/ropa/export?format=xlsx'), 'format');
  });

  it('s.39(7): refusing a data-subject request with ropa_activity writes the refusal into the record, linked to the request', async () => {
    const act = assertJson(await s.api('POST', '/api/v1/ropa', { token: dpoToken, body: complete('refusal-link') }), 201);
    const req = async () => assertJson(await s.api('POST', '/api/v1/requests', {
      token: dpoToken, body: { type: 'access', channel: 'counter', subject: '1-1017-00230-70-8' },
    }), 201);
    const refuse = (id, extra) => s.api('POST', `/api/v1/requests/${id}/transition`, {
      token: dpoToken,
      body: { to: 'refused', reason: 'คำขอซ้ำกับคำขอที่ตอบไปแล้วเมื่อสัปดาห์ก่อน', legal_ground: 's.30 para 2', ...extra },
    });
    // bad input: an activity that is not in the record, or ropa_activity without a refusal —
    // a 400 naming the field, and neither the request nor the record changes
    const r1 = await req();
    assertFieldError(await refuse(r1.id, { ropa_activity: 'no-such-activity' }), 'ropa_activity');
    assertFieldError(await s.api('POST', `/api/v1/requests/${r1.id}/transition`, {
      token: dpoToken, body: { to: 'verified', method: 'บัตรประชาชน', ropa_activity: 'refusal-link' },
    }), 'ropa_activity');
    assert.equal(assertJson(await s.api('GET', `/api/v1/requests/${r1.id}`, { token: dpoToken }), 200).status, 'received');
    assert.deepEqual(assertJson(await s.api('GET', `/api/v1/ropa/${act.id}`, { token: dpoToken }), 200).refusals, []);
    // by code, then by id: both land in the activity's refusal log with the request's id
    const done1 = assertJson(await refuse(r1.id, { ropa_activity: 'refusal-link' }), 200);
    assert.equal(done1.status, 'refused');
    const r2 = await req();
    assertJson(await refuse(r2.id, { ropa_activity: act.id }), 200);
    const got = assertJson(await s.api('GET', `/api/v1/ropa/${act.id}`, { token: dpoToken }), 200);
    assert.deepEqual(got.refusals.map((f) => f.request_id), [r1.id, r2.id]);
    assert.ok(got.refusals.every((f) => f.request_type === 'access' && f.legal_ground === 's.30 para 2'));
    // a refusal without ropa_activity still closes the request (the record is the DPO's choice)
    const r3 = await req();
    assert.equal(assertJson(await refuse(r3.id, {}), 200).status, 'refused');
    assert.equal(assertJson(await s.api('GET', `/api/v1/ropa/${act.id}`, { token: dpoToken }), 200).refusals.length, 2);
  });

  it('s.39(2) + s.24: a purpose code the record names but the agency never registered is a gap until it is a purpose', async () => {
    const act = assertJson(await s.api('POST', '/api/v1/ropa', { token: dpoToken, body: complete('purpose-link', { purposes: ['tax-collection', 'land-survey'] }) }), 201);
    const gapOf = async () => assertJson(await s.api('GET', '/api/v1/ropa/completeness', { token: dpoToken }), 200)
      .gaps.find((g) => g.code === 'unregistered_purpose' && g.activity_id === act.id);
    let g = await gapOf();
    assert.ok(g, 'an unregistered_purpose gap for the activity');
    assert.equal(g.purposes, 'tax-collection, land-survey');
    assert.equal(g.section, 'PDPA s.39(2), s.24');
    assert.match(g.message_th, /ยังไม่ได้ลงทะเบียนเป็นวัตถุประสงค์/);
    const before = assertJson(await s.api('GET', '/api/v1/ropa/completeness', { token: dpoToken }), 200).score;
    assertJson(await s.api('POST', '/api/v1/purposes', { token: dpoToken, body: {
      code: 'tax-collection', name_th: 'จัดเก็บภาษีท้องถิ่น', basis: 's24(4)', retention_days: 3650,
    } }), 201);
    g = await gapOf();
    assert.equal(g.purposes, 'land-survey');
    assertJson(await s.api('POST', '/api/v1/purposes', { token: dpoToken, body: {
      code: 'land-survey', name_th: 'สำรวจที่ดิน', basis: 's24(3)', retention_days: 3650,
    } }), 201);
    assert.equal(await gapOf(), undefined);
    // a gap to act on, not a missing s.39 item: the score does not move
    assert.equal(assertJson(await s.api('GET', '/api/v1/ropa/completeness', { token: dpoToken }), 200).score, before);
  });

  it('unknown activity → 403 (decided before loading); malformed id too', async () => {
    assertProblem(await s.api('GET', '/api/v1/ropa/01900000-0000-7000-8000-000000000000'), 403);
    assertProblem(await s.api('GET', '/api/v1/ropa/nope'), 403);
  });
});
