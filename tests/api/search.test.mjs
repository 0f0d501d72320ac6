// Dataset search and listing (issue 4 "Search", issue 7; docs/api/datasets-list.md):
// GET /api/v1/datasets?q= finds datasets by title, English title, description, tags, agency names
// and metadata values, in Thai (segmented by libthai: งบประมาณ inside แผนงบประมาณบูรณาการรัฐบาลดิจิทัล,
// a name like พัฒนพันธ์ชัย whole) and English, best first, and only those the caller may see; the
// filters (agency, category, level, data type, tag, personal data) and orders (sort) with keyset
// cursors that stay put when datasets are added. The same expectations on SQLite and on
// PostgreSQL (KHOMUN_TEST_PG, bash scripts/pg.sh). Phrases from the seed document
// (/work/shared/seed: ข่าวทำเนียบรัฐบาล on the digital-government budget plan).
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
  // the names a caller finds, best first (all of them: fewer than a page)
  const find = async (who, q, more = '') => {
    const r = await s.api('GET', `/api/v1/datasets?q=${encodeURIComponent(q)}${more}`, { token: tok[who] });
    const body = assertJson(r, 200);
    assert.equal(body.next_cursor, null, 'fewer than a page: no next page');
    return body.items.map((x) => x.name);
  };
  // every page of a listing or search, following next_cursor: the items
  const pages = async (who, qs, limit) => {
    const out = [];
    let cursor = '';
    for (let i = 0; i < 50; i++) {
      const p = assertJson(await s.api('GET', `/api/v1/datasets?${qs}&limit=${limit}${cursor}`, { token: tok[who] }), 200);
      assert.ok(p.items.length <= limit);
      out.push(...p.items);
      if (!p.next_cursor) return out;
      cursor = `&cursor=${p.next_cursor}`;
    }
    throw new Error('no last page');
  };
  const list = async (who, qs) => assertJson(await s.api('GET', `/api/v1/datasets?${qs}`, { token: tok[who] }), 200)
    .items.map((x) => x.name);
  // JavaScript compares UTF-16 code units: the code point (and UTF-8 byte) order for Thai and ASCII
  const byCodePoint = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
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

  it('limit gives the best few; a search pages on by relevance, each match once', async () => {
    const one = await s.api('GET', `/api/v1/datasets?q=${encodeURIComponent('งบประมาณ')}&limit=1`, { token: tok.nso });
    const first = assertJson(one, 200);
    assert.equal(first.items.length, 1);
    assert.notEqual(first.items[0].name, 'annual-report');
    assert.ok(first.next_cursor, 'more matches follow');
    const all = await find('nso', 'งบประมาณ');
    const paged = (await pages('nso', `q=${encodeURIComponent('งบประมาณ')}`, 1)).map((x) => x.name);
    assert.deepEqual(paged, all);
    // a cursor belongs to its order: the listing's (by name) is not the search's (by relevance)
    const listing = assertJson(await s.api('GET', '/api/v1/datasets?limit=1', { token: tok.steward }), 200);
    assert.ok(listing.next_cursor);
    const e = assertFieldError(await s.api('GET', `/api/v1/datasets?q=budget&cursor=${listing.next_cursor}`, { token: tok.steward }), 'cursor');
    assert.match(e.message_th, /cursor/);
    // the plain listing pages on: a full page of visible rows says so with a cursor
    const names = await list('nso', '');
    assert.deepEqual((await pages('nso', '', 2)).map((x) => x.name), names);
    assert.ok(names.length >= 4 && !names.includes('executives'), names.join(','));
  });

  it('tag and personal-data filters, alone, together and with q', async () => {
    // a dataset the owner declared personal data (ข้อมูลส่วนบุคคล); resources.test.mjs covers
    // the ones a scan found personal data in
    await mk('steward', 'clinic-register', 'ข้อมูลส่วนบุคคล', 'ชั้นเผยแพร่ภายในองค์กร', 'ทะเบียนผู้รับบริการคลินิกกระทรวง', {
      metadata: { tag_string: ['สาธารณสุข', 'ทะเบียน'], notes: 'เลขประจำตัวประชาชนและโรคประจำตัว' },
    });
    assert.deepEqual(await list('steward', `tag=${encodeURIComponent('การคลัง')}`), ['expenditure']);
    // English tags without case
    assert.deepEqual(await list('steward', 'tag=HOUSEHOLD'), ['household']);
    assert.deepEqual(await list('steward', `tag=${encodeURIComponent('ครัวเรือน')}&agency=nso`), ['household']);
    assert.deepEqual(await list('steward', `tag=${encodeURIComponent('ครัวเรือน')}&agency=demo`), []);
    // a tag is a whole tag, not a word of one
    assert.deepEqual(await list('steward', `tag=${encodeURIComponent('ครัว')}`), []);
    assert.deepEqual(await list('steward', `tag=${encodeURIComponent('สาธารณสุข')}`), ['clinic-register']);
    assert.deepEqual(await list('steward', 'personal=1'), ['clinic-register']);
    const without = await list('steward', 'personal=0');
    assert.ok(without.length >= 4 && !without.includes('clinic-register'), without.join(','));
    assert.deepEqual(await list('steward', `personal=1&tag=${encodeURIComponent('สาธารณสุข')}`), ['clinic-register']);
    assert.deepEqual(await list('steward', `personal=0&tag=${encodeURIComponent('สาธารณสุข')}`), []);
    // with words: ทะเบียน (register) begins the titles of the clinic's and the executives' registers
    const q = `q=${encodeURIComponent('ทะเบียน')}`;
    assert.deepEqual((await list('steward', q)).sort(), ['clinic-register', 'executives']);
    assert.deepEqual(await list('steward', `${q}&personal=1`), ['clinic-register']);
    assert.deepEqual(await list('steward', `${q}&personal=0`), ['executives']);
    assert.deepEqual(await list('steward', `q=${encodeURIComponent('งบประมาณ')}&tag=${encodeURIComponent('แผนงาน')}`), ['plan-2564']);
    // other agencies do not see it, filtered or not
    assert.deepEqual(await list('nso', 'personal=1'), []);
    // bad values name the field, in Thai
    const bad = [
      ['personal=maybe', 'personal', 'ต้องเป็น 1 (มีข้อมูลส่วนบุคคล) หรือ 0 (ไม่มี)'],
      [`tag=${'ก'.repeat(101)}`, 'tag', 'คำสำคัญต้องเป็นข้อความ 1–100 ตัวอักษร'],
      ['tag=', 'tag', 'คำสำคัญต้องเป็นข้อความ 1–100 ตัวอักษร'],
      ['quality_below=fifty', 'quality_below', 'ต้องเป็นจำนวนเต็ม 1–101 (คะแนนคุณภาพต่ำกว่าค่านี้)'],
      ['quality_below=0', 'quality_below', 'ต้องเป็นจำนวนเต็ม 1–101 (คะแนนคุณภาพต่ำกว่าค่านี้)'],
      ['quality_below=102', 'quality_below', 'ต้องเป็นจำนวนเต็ม 1–101 (คะแนนคุณภาพต่ำกว่าค่านี้)'],
    ];
    for (const [qs, field, th] of bad) {
      const e = assertFieldError(await s.api('GET', `/api/v1/datasets?${encodeURI(qs)}`, { token: tok.steward }), field);
      assert.equal(e.message_th, th);
    }
  });

  it('sort: name, title and change time either way, with q too; unknown orders are 400', async () => {
    const items = async (qs) => assertJson(await s.api('GET', `/api/v1/datasets?${qs}`, { token: tok.steward }), 200).items;
    const names = (await items('')).map((x) => x.name);
    assert.deepEqual(names, names.slice().sort(byCodePoint), 'by name by default');
    assert.deepEqual((await items('sort=-name')).map((x) => x.name), names.slice().reverse());
    const titles = (await items('sort=title')).map((x) => x.title);
    assert.deepEqual(titles, titles.slice().sort(byCodePoint));
    assert.equal(titles[0], 'การสำรวจภาวะเศรษฐกิจและสังคมของครัวเรือน'); // ก first
    assert.deepEqual((await items('sort=-title')).map((x) => x.title), titles.slice().reverse());
    const upd = await items('sort=-updated');
    for (let i = 1; i < upd.length; i++) assert.ok(upd[i - 1].updated_at >= upd[i].updated_at);
    assert.equal(upd[0].name, 'clinic-register', 'the newest first');
    const old = await items('sort=updated');
    assert.deepEqual(old.map((x) => x.id), upd.map((x) => x.id).reverse());
    // a search in another order: the same matches
    const q = `q=${encodeURIComponent('งบประมาณ')}`;
    const rel = await list('steward', q);
    const byName = await list('steward', `${q}&sort=name`);
    assert.deepEqual(byName, rel.slice().sort(byCodePoint));
    assert.deepEqual(await list('steward', `${q}&sort=relevance`), rel);
    const e1 = assertFieldError(await s.api('GET', '/api/v1/datasets?sort=popular', { token: tok.steward }), 'sort');
    assert.match(e1.message_th, /การเรียงลำดับไม่ถูกต้อง/);
    const e2 = assertFieldError(await s.api('GET', '/api/v1/datasets?sort=relevance', { token: tok.steward }), 'sort');
    assert.match(e2.message_th, /เฉพาะเมื่อค้นหา/);
  });

  it('cursors encode the order and its key: pages stay put when datasets are added', async () => {
    for (const sort of ['name', '-name', 'title', '-title', 'updated', '-updated']) {
      const all = await list('steward', `sort=${sort}`);
      assert.deepEqual((await pages('steward', `sort=${sort}`, 2)).map((x) => x.name), all, sort);
    }
    // page 1 by name, then a dataset that sorts before it is added: page 2 continues after
    // page 1's last row (an offset would repeat that row)
    const p1 = assertJson(await s.api('GET', '/api/v1/datasets?sort=name&limit=2', { token: tok.steward }), 200);
    const before = await list('steward', 'sort=name');
    await mk('steward', 'aaa-first', 'ข้อมูลสาธารณะ', 'เปิดเผย', 'ก่อนทุกชุดข้อมูล', {
      metadata: { tag_string: ['ลำดับ'], notes: 'ชื่อขึ้นต้นด้วย aaa' },
    });
    const p2 = assertJson(await s.api('GET', `/api/v1/datasets?sort=name&limit=100&cursor=${p1.next_cursor}`, { token: tok.steward }), 200);
    assert.deepEqual(p2.items.map((x) => x.name), before.slice(2));
    // the same by title, with a filter
    const t1 = assertJson(await s.api('GET', '/api/v1/datasets?sort=-title&category=public&limit=1', { token: tok.steward }), 200);
    const t2 = assertJson(await s.api('GET', `/api/v1/datasets?sort=-title&category=public&limit=100&cursor=${t1.next_cursor}`, { token: tok.steward }), 200);
    const allT = await list('steward', 'sort=-title&category=public');
    assert.deepEqual([...t1.items, ...t2.items].map((x) => x.name), allT);
    // a cursor of one order is refused by another, and garbage is refused
    assertFieldError(await s.api('GET', `/api/v1/datasets?sort=title&cursor=${p1.next_cursor}`, { token: tok.steward }), 'cursor');
    assertFieldError(await s.api('GET', '/api/v1/datasets?cursor=bm90LWEtY3Vyc29y', { token: tok.steward }), 'cursor');
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
