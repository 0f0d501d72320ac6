// /api/v1/agencies: create, list, get, conflicts, validation, pagination.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  UUID7_RE, assertFieldError, assertJson, assertProblem, assertTimeNear, listAll, paginate,
  startServer,
} from './harness.mjs';

const MDES_TH = 'กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม';
const NSO_TH = 'สำนักงานสถิติแห่งชาติ';
const AGENCY_KEYS = ['address', 'created_at', 'dpo_email', 'dpo_name', 'dpo_phone', 'dpo_user_id',
  'email', 'etag', 'gaps', 'id', 'ministry', 'name_en', 'name_th', 'parent_id', 'phone',
  'privacy_notice_url', 'slug', 'updated_at', 'version', 'website'];

describe('agencies', { timeout: 90_000 }, () => {
  let s;
  let mdes;
  before(async () => { s = await startServer(); }, { timeout: 20_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('a fresh store lists exactly the init agency "demo"', async () => {
    const items = await listAll(s, '/api/v1/agencies');
    assert.equal(items.length, 1);
    assert.equal(items[0].slug, 'demo');
    assert.equal(items[0].name_th, 'หน่วยงานสาธิต');
    assert.deepEqual(Object.keys(items[0]).sort(), AGENCY_KEYS);
  });

  it('POST creates an agency with a Thai name → 201, record, Location', async () => {
    const t0 = Date.now();
    const r = await s.api('POST', '/api/v1/agencies', {
      body: { slug: 'mdes', name_th: MDES_TH, name_en: 'Ministry of Digital Economy and Society' },
    });
    const j = assertJson(r, 201);
    assert.deepEqual(Object.keys(j).sort(), AGENCY_KEYS);
    assert.match(j.id, UUID7_RE);
    assert.equal(j.slug, 'mdes');
    assert.equal(j.name_th, MDES_TH);
    assert.equal(j.name_en, 'Ministry of Digital Economy and Society');
    assertTimeNear(j.created_at, t0, 5_000, 'created_at');
    assert.equal(r.headers.get('location'), `/api/v1/agencies/${j.id}`);
    mdes = j;
  });

  it('POST without name_en → name_en null', async () => {
    const r = await s.api('POST', '/api/v1/agencies', { body: { slug: 'nso', name_th: NSO_TH } });
    const j = assertJson(r, 201);
    assert.equal(j.name_th, NSO_TH);
    assert.equal(j.name_en, null);
    assert.equal(r.headers.get('location'), `/api/v1/agencies/${j.id}`);
  });

  it('GET by id and by slug return the same record; Location resolves', async () => {
    const byId = await s.api('GET', `/api/v1/agencies/${mdes.id}`);
    assert.deepEqual(assertJson(byId, 200), mdes);
    const bySlug = await s.api('GET', '/api/v1/agencies/mdes');
    assert.deepEqual(assertJson(bySlug, 200), mdes);
    const list = await listAll(s, '/api/v1/agencies');
    assert.deepEqual(list.find((a) => a.id === mdes.id), mdes);
  });

  it('GET unknown id or slug → 404 problem', async () => {
    assertProblem(await s.api('GET', '/api/v1/agencies/0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7e'), 404);
    assertProblem(await s.api('GET', '/api/v1/agencies/no-such-agency'), 404);
  });

  it('POST a duplicate slug → 409 conflict, nothing changes', async () => {
    const before = await listAll(s, '/api/v1/agencies');
    const r = await s.api('POST', '/api/v1/agencies', { body: { slug: 'mdes', name_th: 'ซ้ำ' } });
    assertProblem(r, 409);
    const after2 = await listAll(s, '/api/v1/agencies');
    assert.deepEqual(after2, before);
    assert.deepEqual(assertJson(await s.api('GET', '/api/v1/agencies/mdes'), 200), mdes);
  });

  it('name_th limits count characters, not bytes: 200 Thai characters ok, 201 → 400', async () => {
    const ok = await s.api('POST', '/api/v1/agencies', { body: { slug: 'long-th', name_th: 'ก'.repeat(200) } });
    assert.equal(assertJson(ok, 201).name_th, 'ก'.repeat(200));
    const before = (await listAll(s, '/api/v1/agencies')).length;
    assertFieldError(await s.api('POST', '/api/v1/agencies', { body: { slug: 'long-th2', name_th: 'ก'.repeat(201) } }), 'name_th');
    assertFieldError(await s.api('POST', '/api/v1/agencies', { body: { slug: 'empty-th', name_th: '' } }), 'name_th');
    assertFieldError(await s.api('POST', '/api/v1/agencies', {
      body: { slug: 'long-en', name_th: 'x', name_en: 'e'.repeat(201) },
    }), 'name_en');
    assert.equal((await listAll(s, '/api/v1/agencies')).length, before);
  });

  it('slug must match ^[a-z0-9][a-z0-9-]{1,62}$', async () => {
    const before = (await listAll(s, '/api/v1/agencies')).length;
    for (const slug of ['A-bad', 'a', '-ab', 'ab_c', 'ab c', 'กขค', 'a'.repeat(64), '', 'ab.c']) {
      const r = await s.api('POST', '/api/v1/agencies', { body: { slug, name_th: 'ทดสอบ' } });
      assertFieldError(r, 'slug');
    }
    assert.equal((await listAll(s, '/api/v1/agencies')).length, before);
    for (const slug of ['ab', '0a', 'a'.repeat(63), 'a-b-9']) {
      const r = await s.api('POST', '/api/v1/agencies', { body: { slug, name_th: 'ทดสอบ' } });
      assert.equal(assertJson(r, 201).slug, slug);
    }
  });

  it('pagination: limit=2 walks every agency once, in creation order', async () => {
    const created = [];
    for (let i = 1; i <= 5; i++) {
      const r = await s.api('POST', '/api/v1/agencies', { body: { slug: `pg-${i}`, name_th: `หน่วยงานที่ ${i}` } });
      created.push(assertJson(r, 201).id);
    }
    const all = await listAll(s, '/api/v1/agencies');
    const { items, pages } = await paginate(s, '/api/v1/agencies', 2);
    const ids = items.map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate ids across pages');
    assert.deepEqual(ids, all.map((x) => x.id), 'paged walk differs from the full list');
    assert.ok(pages.length >= Math.ceil(all.length / 2), `pages: ${pages}`);
    const pos = created.map((id) => ids.indexOf(id));
    assert.ok(pos.every((p) => p >= 0), 'a created agency is missing');
    for (let i = 1; i < pos.length; i++) assert.ok(pos[i] > pos[i - 1], 'not in creation order');
    // the last five created are the last five listed
    assert.deepEqual(ids.slice(-5), created);
    // limit=1 and limit=500 are in range
    const one = await s.api('GET', '/api/v1/agencies?limit=1');
    assert.equal(assertJson(one, 200).items.length, 1);
    assert.equal(typeof one.json.next_cursor, 'string');
    const max = await s.api('GET', '/api/v1/agencies?limit=500');
    assert.equal(assertJson(max, 200).items.length, all.length);
    assert.equal(max.json.next_cursor, null);
    // default limit (100) covers this small store in one page
    const dflt = await s.api('GET', '/api/v1/agencies');
    assert.equal(assertJson(dflt, 200).items.length, all.length);
    assert.equal(dflt.json.next_cursor, null);
  });

  it('bad limit → 400 naming field limit', async () => {
    for (const v of ['0', '501', 'abc', '-1', '2abc', '1.5']) {
      const r = await s.api('GET', `/api/v1/agencies?limit=${v}`);
      assertFieldError(r, 'limit');
    }
  });

  it('bad cursor → 400 naming field cursor', async () => {
    for (const v of ['not a cursor!', 'zzzz', '%00']) {
      const r = await s.api('GET', `/api/v1/agencies?cursor=${encodeURIComponent(v)}`);
      assertFieldError(r, 'cursor');
    }
  });

  // ---- issue 4: ministry, parent, contact, DPO (PDPA s.41) ----

  it('a new agency has no DPO: the gap no_dpo (PDPA s.41) and no_contact (s.39(3)) show', async () => {
    const j = assertJson(await s.api('GET', '/api/v1/agencies/nso'), 200);
    assert.equal(j.dpo_name, null);
    const dpo = j.gaps.find((g) => g.code === 'no_dpo');
    assert.equal(dpo.section, 'PDPA s.41');
    assert.match(dpo.message_th, /เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล/);
    assert.ok(j.gaps.some((g) => g.code === 'no_contact' && g.section === 'PDPA s.39(3)'));
    assert.equal(j.version, 1);
  });

  it('POST with ministry, parent, contact and the DPO\'s public contact → 201, no gaps', async () => {
    const r = await s.api('POST', '/api/v1/agencies', {
      body: {
        slug: 'dga', name_th: 'สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)', ministry: MDES_TH, parent: 'mdes',
        address: '17 อาคารไทยศรีประกันภัย ถนนพญาไท กรุงเทพฯ 10400', phone: '0 2612 6000',
        email: 'contact@dga.or.th', website: 'https://www.dga.or.th',
        dpo_name: 'นายสมชาย ใจดี', dpo_email: 'dpo@dga.or.th', dpo_phone: '0 2612 6060',
        privacy_notice_url: 'https://www.dga.or.th/privacy-notice',
      },
    });
    const j = assertJson(r, 201);
    assert.equal(j.parent_id, mdes.id);
    assert.equal(j.privacy_notice_url, 'https://www.dga.or.th/privacy-notice');
    assert.equal(j.ministry, MDES_TH);
    assert.equal(j.dpo_name, 'นายสมชาย ใจดี');
    assert.deepEqual(j.gaps, []);
    assert.deepEqual(assertJson(await s.api('GET', '/api/v1/agencies/dga'), 200), j);
  });

  it('bad details name each field in English and Thai; nothing is created', async () => {
    const before = (await listAll(s, '/api/v1/agencies')).length;
    const r = await s.api('POST', '/api/v1/agencies', {
      body: {
        slug: 'bad-details', name_th: 'ทดสอบ', parent: 'no-such-parent', phone: 'call me',
        email: 'not-an-email', website: 'ftp://x', dpo_user: 'admin', dpo_email: 'dpo@x.go.th',
        privacy_notice_url: 'นโยบาย.html',
      },
    });
    for (const f of ['parent', 'phone', 'email', 'website', 'dpo_user', 'dpo_name', 'privacy_notice_url']) {
      const e = assertFieldError(r, f);
      assert.ok(e.message_th.length > 0);
    }
    // a DPO needs a public e-mail or phone (PDPA s.41-42: data subjects contact the DPO)
    assertFieldError(await s.api('POST', '/api/v1/agencies', {
      body: { slug: 'bad-dpo', name_th: 'ทดสอบ', dpo_name: 'ใครสักคน' },
    }), 'dpo_email');
    assert.equal((await listAll(s, '/api/v1/agencies')).length, before);
  });

  it('PUT needs If-Match (428), refuses a stale one (412), sets the DPO user of the agency', async () => {
    const u = assertJson(await s.api('POST', '/api/v1/users', { body: { name: 'nso-dpo', agency: 'nso', role: 'dpo' } }), 201);
    const other = assertJson(await s.api('POST', '/api/v1/users', { body: { name: 'mdes-dpo', agency: 'mdes', role: 'dpo' } }), 201);
    const body = { name_th: NSO_TH, dpo_user: 'nso-dpo', dpo_name: 'นางสาวสถิติ ข้อมูลดี', dpo_email: 'dpo@nso.go.th' };
    assertProblem(await s.api('PUT', '/api/v1/agencies/nso', { body }), 428);
    assertProblem(await s.api('PUT', '/api/v1/agencies/nso', { body, headers: { 'if-match': '"9"' } }), 412);
    // the DPO must be a user of this agency
    assertFieldError(await s.api('PUT', '/api/v1/agencies/nso', {
      body: { ...body, dpo_user: other.name }, headers: { 'if-match': '"1"' },
    }), 'dpo_user');
    // the slug cannot change
    assertFieldError(await s.api('PUT', '/api/v1/agencies/nso', {
      body: { ...body, slug: 'nso2' }, headers: { 'if-match': '"1"' },
    }), 'slug');
    const r = await s.api('PUT', '/api/v1/agencies/nso', { body, headers: { 'if-match': '"1"' } });
    const j = assertJson(r, 200);
    assert.equal(r.headers.get('etag'), '"2"');
    assert.equal(j.version, 2);
    assert.equal(j.dpo_user_id, u.id);
    assert.ok(!j.gaps.some((g) => g.code === 'no_dpo'), 'the DPO gap is gone');
    assert.notEqual(j.updated_at, null);
  });

  it('parent agencies: must exist, never itself, never a cycle', async () => {
    // dga is under mdes; mdes under dga would be a cycle
    const e = await s.api('GET', '/api/v1/agencies/mdes');
    const h = { 'if-match': e.headers.get('etag') };
    assertFieldError(await s.api('PUT', '/api/v1/agencies/mdes', { body: { name_th: MDES_TH, parent: 'dga' }, headers: h }), 'parent');
    assertFieldError(await s.api('PUT', '/api/v1/agencies/mdes', { body: { name_th: MDES_TH, parent: 'mdes' }, headers: h }), 'parent');
    assertFieldError(await s.api('PUT', '/api/v1/agencies/mdes', { body: { name_th: MDES_TH, parent: 'nowhere' }, headers: h }), 'parent');
    assert.equal(assertJson(await s.api('GET', '/api/v1/agencies/mdes'), 200).version, e.json.version, 'nothing changed');
  });

  it('PUT is for administrators only (administer:agency), also for the agency\'s own DPO', async () => {
    const t = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: 'nso-dpo', name: 'x' } }), 201);
    assertProblem(await s.api('PUT', '/api/v1/agencies/nso', {
      token: t.token, body: { name_th: NSO_TH }, headers: { 'if-match': '"2"' },
    }), 403);
  });
});
