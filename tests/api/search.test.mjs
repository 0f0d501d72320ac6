// Dataset search (issue 4 "Search", issue 7; docs/api/datasets-list.md): GET /api/v1/datasets?q=
// finds datasets by title, English title, description, tags, agency names and metadata values, in
// Thai (segmented by libthai: งบประมาณ inside แผนงบประมาณบูรณาการรัฐบาลดิจิทัล, a name like
// พัฒนพันธ์ชัย whole) and English, best first, and only those the caller may see. The same
// expectations on SQLite and on PostgreSQL (KHOMUN_TEST_PG, bash scripts/pg.sh). Phrases from the
// seed document (/work/shared/seed: ข่าวทำเนียบรัฐบาล on the digital-government budget plan).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertFieldError, assertJson, gdcMetadata, startServer } from './harness.mjs';

describe('dataset search', { timeout: 90_000 }, () => {
  let s;
  const tok = {};
  const ids = {};

  const mk = async (who, name, category, level, title, extra = {}) => {
    const metadata = { ...gdcMetadata(category, level, title), ...extra.metadata };
    const body = { name, metadata };
    if (extra.title_en) body.title_en = extra.title_en;
    const d = assertJson(await s.api('POST', '/api/v1/datasets', { token: tok[who], body }), 201);
    ids[name] = d;
    return d;
  };
  // the names a caller finds, best first
  const find = async (who, q, more = '') => {
    const r = await s.api('GET', `/api/v1/datasets?q=${encodeURIComponent(q)}${more}`, { token: tok[who] });
    const body = assertJson(r, 200);
    assert.equal(body.next_cursor, null, 'a search is one page');
    return body.items.map((x) => x.name);
  };
  const PUB = ['ข้อมูลสาธารณะ', 'เปิดเผย'];
  const INT = ['ข้อมูลใช้ภายใน', 'ชั้นเผยแพร่ภายในองค์กร'];

  before(async () => {
    s = await startServer();
    assertJson(await s.api('POST', '/api/v1/agencies', {
      body: { slug: 'nso', name_th: 'สำนักงานสถิติแห่งชาติ', name_en: 'National Statistical Office' },
    }), 201);
    for (const [name, agency, role, clearance] of [
      ['steward', 'demo', 'steward', 'internal'],
      ['analyst', 'demo', 'analyst', 'internal'],
      ['nso-steward', 'nso', 'steward', 'internal'],
      ['nso', 'nso', 'analyst', 'internal'],
    ]) {
      assertJson(await s.api('POST', '/api/v1/users', { body: { name, agency, role, clearance } }), 201);
      tok[name] = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: name } }), 201).token;
    }
    // (gdcMetadata's own tags are งบประมาณ and budget: every dataset here sets its own)
    await mk('steward', 'plan-2564', ...PUB, 'แผนงบประมาณบูรณาการรัฐบาลดิจิทัล ประจำปีงบประมาณ พ.ศ. 2564', {
      metadata: { tag_string: ['แผนงาน'], notes: 'แผนงานบูรณาการของกระทรวง' },
    });
    await mk('steward', 'expenditure', ...PUB, 'ตารางรายจ่ายประจำปี', {
      title_en: 'Annual budget expenditure',
      metadata: { tag_string: ['การคลัง'], notes: 'รายจ่ายจำแนกตามหน่วยงาน' },
    });
    await mk('steward', 'executives', ...INT, 'ทะเบียนผู้บริหารกระทรวง', {
      metadata: {
        tag_string: ['ผู้บริหาร'],
        notes: 'นางสาวอัจฉรินทร์ พัฒนพันธ์ชัย ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม',
      },
    });
    await mk('steward', 'annual-report', ...PUB, 'รายงานประจำปี', {
      metadata: { tag_string: ['รายงาน'], notes: 'สรุปการใช้งบประมาณของกระทรวง' },
    });
    await mk('nso-steward', 'household', ...PUB, 'การสำรวจภาวะเศรษฐกิจและสังคมของครัวเรือน', {
      metadata: { tag_string: ['ครัวเรือน', 'household'], notes: 'สำรวจทุกสองปี' },
    });
    await mk('nso-steward', 'nso-internal', ...INT, 'งบประมาณภายในสำนักงาน', {
      metadata: { tag_string: ['ภายใน'], notes: 'ใช้ภายในหน่วยงาน' },
    });
  }, { timeout: 60_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('งบประมาณ finds it inside a Thai title run; title matches rank above a description-only one', async () => {
    const got = await find('steward', 'งบประมาณ');
    assert.ok(got.includes('plan-2564') && got.includes('annual-report'), got.join(','));
    assert.ok(got.indexOf('plan-2564') < got.indexOf('annual-report'), got.join(','));
    assert.ok(!got.includes('nso-internal'), 'another agency\'s internal dataset is never found');
    assert.deepEqual(await find('steward', 'บูรณาการรัฐบาลดิจิทัล'), ['plan-2564']);
    assert.deepEqual(await find('steward', 'ประมาณ '), [], 'ประมาณ is not a word of งบประมาณ');
    // the other agency sees its own internal dataset first (a title match) and the public ones
    const nso = await find('nso', 'งบประมาณ');
    assert.deepEqual(nso.slice().sort(), ['annual-report', 'nso-internal', 'plan-2564'], nso.join(','));
    assert.equal(nso[nso.length - 1], 'annual-report');
  });

  it('English: budget finds the English title, also as a prefix and in any case', async () => {
    assert.deepEqual(await find('steward', 'budget'), ['expenditure']);
    assert.deepEqual(await find('steward', 'BUDG'), ['expenditure']);
    assert.deepEqual(await find('steward', 'annual budget'), ['expenditure']);
    assert.deepEqual(await find('steward', 'budget xyzzy'), [], 'words are ANDed');
  });

  it('a seed name is found whole, only by those who may see its dataset', async () => {
    assert.deepEqual(await find('steward', 'พัฒนพันธ์ชัย'), ['executives']);
    assert.deepEqual(await find('analyst', 'นางสาวอัจฉรินทร์ พัฒนพันธ์ชัย'), ['executives']);
    assert.deepEqual(await find('nso', 'พัฒนพันธ์ชัย'), [], 'an internal dataset of another agency');
  });

  it('tags and agency names (Thai and English) find datasets', async () => {
    assert.deepEqual(await find('steward', 'household'), ['household']);
    assert.deepEqual(await find('steward', 'ครัวเรือน'), ['household']);
    assert.deepEqual(await find('steward', 'สำนักงานสถิติแห่งชาติ'), ['household']);
    assert.deepEqual((await find('nso', 'สำนักงานสถิติแห่งชาติ')).sort(), ['household', 'nso-internal']);
    assert.deepEqual(await find('steward', 'National Statistical'), ['household']);
    // a metadata value: the maintainer of gdcMetadata()
    const all = await find('analyst', 'กองยุทธศาสตร์และแผนงาน');
    assert.deepEqual(all.slice().sort(), ['annual-report', 'executives', 'expenditure', 'household', 'plan-2564']);
  });

  it('filters: agency, category, level, data_type, with q and without', async () => {
    assert.deepEqual(await find('nso', 'งบประมาณ', '&agency=nso'), ['nso-internal']);
    assert.deepEqual((await find('nso', 'งบประมาณ', '&category=public')).sort(), ['annual-report', 'plan-2564']);
    assert.deepEqual(await find('nso', 'งบประมาณ', '&level=ชั้นเผยแพร่ภายในองค์กร'), ['nso-internal']);
    assert.deepEqual(await find('steward', 'งบประมาณ', '&data_type=statistical'), []);
    const list = async (who, qs) => assertJson(await s.api('GET', `/api/v1/datasets?${qs}`, { token: tok[who] }), 200)
      .items.map((x) => x.name);
    assert.deepEqual((await list('steward', 'category=internal')).sort(), ['executives']);
    assert.deepEqual((await list('nso', 'category=ข้อมูลใช้ภายใน&agency=nso')), ['nso-internal']);
    assert.deepEqual((await list('steward', 'level=public&data_type=ข้อมูลระเบียน')).sort(),
      ['annual-report', 'expenditure', 'household', 'plan-2564']);
    assertFieldError(await s.api('GET', '/api/v1/datasets?category=secretish', { token: tok.steward }), 'category');
    assertFieldError(await s.api('GET', '/api/v1/datasets?q=budget&level=cosmic', { token: tok.steward }), 'level');
    assertFieldError(await s.api('GET', '/api/v1/datasets?data_type=video', { token: tok.steward }), 'data_type');
  });

  it('limit gives the best few; a search has no next page', async () => {
    const one = await find('nso', 'งบประมาณ', '&limit=1');
    assert.equal(one.length, 1);
    assert.notEqual(one[0], 'annual-report');
    const first = assertJson(await s.api('GET', '/api/v1/datasets?limit=1', { token: tok.steward }), 200);
    assert.ok(first.next_cursor);
    assertFieldError(await s.api('GET', `/api/v1/datasets?q=budget&cursor=${first.next_cursor}`, { token: tok.steward }), 'cursor');
    // (the plain listing pages on: a full page of visible rows says so with a cursor)
    const all = assertJson(await s.api('GET', '/api/v1/datasets', { token: tok.nso }), 200).items.map((x) => x.name);
    const paged = [];
    let cursor = '';
    for (let i = 0; i < 10; i++) {
      const p = assertJson(await s.api('GET', `/api/v1/datasets?limit=2${cursor}`, { token: tok.nso }), 200);
      paged.push(...p.items.map((x) => x.name));
      if (!p.next_cursor) break;
      cursor = `&cursor=${p.next_cursor}`;
    }
    assert.deepEqual(paged, all);
    assert.ok(all.length >= 4 && !all.includes('executives'), all.join(','));
  });

  it('bad q is 400 naming q, with the Thai message', async () => {
    const bad = [
      ['', 'กรุณาพิมพ์คำที่ต้องการค้นหา'],
      ['   ', 'กรุณาพิมพ์คำที่ต้องการค้นหา'],
      ['!!! *** "" ()', 'กรุณาพิมพ์คำที่ต้องการค้นหา'],
      [Array.from({ length: 33 }, (_, i) => `w${i}`).join(' '), 'คำค้นหายาวเกินไป ใส่ได้ไม่เกิน 32 คำ'],
    ];
    for (const [q, th] of bad) {
      const e = assertFieldError(await s.api('GET', `/api/v1/datasets?q=${encodeURIComponent(q)}`, { token: tok.steward }), 'q');
      assert.equal(e.message_th, th);
    }
    // FTS5 / tsquery syntax is only words
    assert.deepEqual(await find('steward', 'budget" OR "x\' | !y & (z:*) NEAR'), []);
    assert.deepEqual(await find('steward', '"budget"'), ['expenditure']);
  });

  it('updates are found at once; archived datasets disappear', async () => {
    const cur = assertJson(await s.api('GET', '/api/v1/datasets/annual-report', { token: tok.steward }), 200);
    const upd = assertJson(await s.api('PUT', `/api/v1/datasets/${cur.id}`, {
      token: tok.steward,
      headers: { 'if-match': cur.etag },
      body: {
        title_en: 'Annual report',
        metadata: { ...gdcMetadata(...PUB, 'รายงานผลการดำเนินงานประจำปี'), tag_string: ['รายงาน'], notes: 'ไม่มีคำนั้นแล้ว' },
      },
    }), 200);
    assert.deepEqual(await find('steward', 'ผลการดำเนินงาน'), ['annual-report']);
    assert.deepEqual(await find('steward', 'annual report'), ['annual-report']);
    assert.ok(!(await find('steward', 'งบประมาณ')).includes('annual-report'));
    // archive: gone from search
    const plan = assertJson(await s.api('GET', '/api/v1/datasets/plan-2564', { token: tok.steward }), 200);
    assertJson(await s.api('DELETE', `/api/v1/datasets/${plan.id}`, {
      token: tok.steward, headers: { 'if-match': plan.etag },
    }), 200);
    assert.deepEqual(await find('steward', 'บูรณาการรัฐบาลดิจิทัล'), []);
    assert.deepEqual(await find('steward', 'งบประมาณ'), []);
    assert.equal(upd.version, 2);
  });
});
