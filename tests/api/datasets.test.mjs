// Datasets (issue 4, docs/api/datasets-*.md): register with GD-Catalog metadata (thai-rules.md §3),
// category and level with the §2.3 combinations, optimistic concurrency (ETag / If-Match: 412, 428),
// the owner's confirmation with its history, archive, and listings that show each caller only what
// the policy lets them see. Real Thai metadata; every bad input changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertFieldError, assertJson, assertProblem, gdcMetadata, startServer } from './harness.mjs';

describe('datasets', { timeout: 90_000 }, () => {
  let s;
  const tok = {};
  const users = {};
  const create = (body, who = 'steward') => s.api('POST', '/api/v1/datasets', { token: tok[who], body });
  const get = (id, who = 'owner') => s.api('GET', `/api/v1/datasets/${id}`, { token: tok[who] });
  const put = (id, etag, body, who = 'steward') => s.api('PUT', `/api/v1/datasets/${id}`, {
    token: tok[who], body, headers: etag ? { 'if-match': etag } : {},
  });

  before(async () => {
    s = await startServer();
    assertJson(await s.api('POST', '/api/v1/agencies', {
      body: { slug: 'nso', name_th: 'สำนักงานสถิติแห่งชาติ' },
    }), 201);
    const mk = [
      ['steward', 'demo', 'steward', 'internal'],
      ['steward2', 'demo', 'steward', 'secret'],
      ['owner', 'demo', 'owner', 'secret'],
      ['analyst', 'demo', 'analyst', 'internal'],
      ['nso', 'nso', 'analyst', 'internal'],
      ['nso-steward', 'nso', 'steward', 'internal'],
    ];
    for (const [name, agency, role, clearance] of mk) {
      users[name] = assertJson(await s.api('POST', '/api/v1/users', {
        body: { name, agency, role, clearance },
      }), 201);
      tok[name] = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: name } }), 201).token;
    }
  }, { timeout: 30_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('a steward registers a dataset with Thai GD-Catalog metadata (thai-rules.md §3)', async () => {
    const meta = gdcMetadata('ข้อมูลสาธารณะ', 'เปิดเผย', 'แผนงบประมาณบูรณาการ ปี 2567');
    const r = await create({ name: 'budget-2567', title_en: 'Integrated budget plan 2024', owner: 'owner', metadata: meta });
    const d = assertJson(r, 201);
    assert.equal(r.headers.get('etag'), '"1"');
    assert.equal(r.headers.get('location'), `/api/v1/datasets/${d.id}`);
    assert.equal(d.name, 'budget-2567');
    assert.equal(d.title, 'แผนงบประมาณบูรณาการ ปี 2567');
    assert.equal(d.title_en, 'Integrated budget plan 2024');
    assert.equal(d.data_type, 'ข้อมูลระเบียน');
    assert.deepEqual(d.classification, {
      category: 'public', category_th: 'ข้อมูลสาธารณะ', level: 'public', level_th: 'เปิดเผย',
      confirmed: false, cia: null, personal_data: false, sensitive_data: false,
    });
    assert.equal(d.owner_user_id, users.owner.id);
    assert.equal(d.created_by, users.steward.id);
    assert.equal(d.metadata.maintainer_email, 'data@agency.go.th');
    assert.equal(d.version, 1);
    // by id and by name
    assert.equal(assertJson(await get('budget-2567'), 200).id, d.id);
    const h = assertJson(await s.api('GET', `/api/v1/datasets/${d.id}/classification`, { token: tok.owner }), 200);
    assert.equal(h.history.length, 1);
    assert.equal(h.history[0].kind, 'create');
    assert.equal(h.history[0].to.level, 'public');
  });

  it('the level a category implies (§2.3): ข้อมูลใช้ภายใน → ชั้นเผยแพร่ภายในองค์กร', async () => {
    const meta = gdcMetadata('ข้อมูลใช้ภายใน', undefined, 'ทะเบียนครุภัณฑ์');
    delete meta.data_classification;
    const d = assertJson(await create({ name: 'assets-register', metadata: meta }), 201);
    assert.equal(d.classification.level, 'internal');
  });

  it('bad input names the field with both labels and changes nothing', async () => {
    const cases = [
      [(m) => { delete m.maintainer_email; }, 'metadata.maintainer_email'],
      [(m) => { m.update_frequency_unit = 'ทุกวัน'; }, 'metadata.update_frequency_unit'],
      [(m) => { m.data_category = 'ข้อมูลลับ'; }, 'metadata.data_category'],
      // §2.3: ข้อมูลสาธารณะ is เปิดเผย only
      [(m) => { m.data_classification = 'ลับ'; }, 'metadata.data_classification'],
      // §2.3: ข้อมูลส่วนบุคคล needs its level chosen
      [(m) => { m.data_category = 'ข้อมูลส่วนบุคคล'; delete m.data_classification; }, 'metadata.data_classification'],
      [(m) => { m.colour = 'red'; }, 'metadata.colour'],
    ];
    for (const [edit, field] of cases) {
      const meta = gdcMetadata();
      edit(meta);
      // (steward2 is cleared for secret: a steward cleared for internal asking for ลับ is refused
      // by the policy before the metadata is read)
      const r = await create({ name: 'never-made', metadata: meta }, 'steward2');
      const e = assertFieldError(r, field); // with its Thai message (assertFieldError checks)
      assert.ok(e.message_th.length > 0, JSON.stringify(e));
    }
    assertFieldError(await create({ name: 'Bad Name', metadata: gdcMetadata() }), 'name');
    assertFieldError(await create({ name: 'x-1', metadata: gdcMetadata(), extra: 1 }), 'extra');
    assertFieldError(await create({ name: 'x-2', metadata: gdcMetadata(), owner: 'nso' }), 'owner');
    assertProblem(await get('never-made'), 403); // does not exist: the level rules deny first
    // a name clash
    assert.equal((await create({ name: 'budget-2567', metadata: gdcMetadata() })).status, 409);
  });

  it('updates name the version they apply to: 412 for a stale ETag, 428 without one; no lost update', async () => {
    const d = assertJson(await create({ name: 'survey-2566', metadata: gdcMetadata('ข้อมูลสาธารณะ', 'เปิดเผย', 'สำรวจ 2566') }), 201);
    assertProblem(await put(d.id, null, { metadata: gdcMetadata() }), 428);
    const a = put(d.id, '"1"', { metadata: gdcMetadata('ข้อมูลสาธารณะ', 'เปิดเผย', 'แก้ไขครั้งที่หนึ่ง') });
    const b = put(d.id, '"1"', { metadata: gdcMetadata('ข้อมูลสาธารณะ', 'เปิดเผย', 'แก้ไขครั้งที่สอง') }, 'steward2');
    const [ra, rb] = await Promise.all([a, b]);
    const statuses = [ra.status, rb.status].sort();
    assert.deepEqual(statuses, [200, 412], `${ra.text} ${rb.text}`);
    const winner = ra.status === 200 ? ra : rb;
    assert.equal(winner.headers.get('etag'), '"2"');
    const now = assertJson(await get(d.id), 200);
    assert.equal(now.version, 2);
    assert.equal(now.title, winner.json.title);
    const stale = assertProblem(await put(d.id, '"1"', { metadata: gdcMetadata() }), 412);
    assert.equal(stale.type, 'urn:khomun:problem:stale');
    assertFieldError(await put(d.id, 'nonsense', { metadata: gdcMetadata() }), 'If-Match');
    assertFieldError(await put(d.id, '"2"', { name: 'renamed', metadata: gdcMetadata() }), 'name');
    assert.equal(assertJson(await get(d.id), 200).version, 2);
  });

  it('a change to a level above the caller\'s clearance is refused and changes nothing', async () => {
    const d = assertJson(await create({ name: 'staff-list', metadata: gdcMetadata('ข้อมูลส่วนบุคคล', 'ชั้นเผยแพร่ภายในองค์กร', 'รายชื่อบุคลากร') }), 201);
    const r = await put(d.id, '"1"', { metadata: gdcMetadata('ข้อมูลส่วนบุคคล', 'ลับ', 'รายชื่อบุคลากร') });
    assertProblem(r, 403);
    assert.equal(assertJson(await get(d.id), 200).classification.level, 'internal');
    // a steward cleared for secret may
    const ok = assertJson(await put(d.id, '"1"', { metadata: gdcMetadata('ข้อมูลส่วนบุคคล', 'ลับ', 'รายชื่อบุคลากร') }, 'steward2'), 200);
    assert.equal(ok.classification.level, 'confidential');
    assert.equal(ok.classification.confirmed, false);
  });

  it('the owner confirms the classification with a reason; the history says who, when, from what, why', async () => {
    const d = assertJson(await create({ name: 'patients', metadata: gdcMetadata('ข้อมูลส่วนบุคคล', 'ชั้นเผยแพร่ภายในองค์กร', 'ทะเบียนผู้ป่วย') }), 201);
    const confirm = (body, etag, who = 'owner') => s.api('POST', `/api/v1/datasets/${d.id}/classification`, {
      token: tok[who], body, headers: { 'if-match': etag },
    });
    // the steward may not classify (classify-by-owner)
    assertProblem(await confirm({ category: 'personal', level: 'ลับ', reason: 'x' }, '"1"', 'steward'), 403);
    // §2.3: personal data is not เปิดเผย
    assertFieldError(await confirm({ category: 'ข้อมูลส่วนบุคคล', level: 'เปิดเผย', reason: 'x' }, '"1"'), 'level');
    assertFieldError(await confirm({ category: 'personal', level: 'ลับ' }, '"1"'), 'reason');
    const r = await confirm({ category: 'ข้อมูลส่วนบุคคล', level: 'ลับ', cia: 'high,medium,low', reason: 'มีเลขประจำตัวประชาชนและการวินิจฉัยโรค' }, '"1"');
    const c = assertJson(r, 200);
    assert.equal(c.classification.level, 'confidential');
    assert.equal(c.classification.confirmed, true);
    assert.equal(r.headers.get('etag'), '"2"');
    const h = assertJson(await s.api('GET', `/api/v1/datasets/${d.id}/classification`, { token: tok.owner }), 200);
    assert.deepEqual(h.current, { category: 'personal', level: 'confidential', confirmed: true, cia: 'high,medium,low' });
    const last = h.history[h.history.length - 1];
    assert.equal(last.kind, 'confirm');
    assert.equal(last.by, users.owner.id);
    assert.equal(last.from.level, 'internal');
    assert.equal(last.to.level, 'confidential');
    assert.equal(last.reason, 'มีเลขประจำตัวประชาชนและการวินิจฉัยโรค');
    // a stale confirmation is refused
    assertProblem(await confirm({ category: 'personal', level: 'ลับมาก', reason: 'x' }, '"1"'), 412);
  });

  it('listings show each caller what the policy lets them see; archive removes from listings', async () => {
    assertJson(await create({ name: 'internal-only', metadata: gdcMetadata('ข้อมูลใช้ภายใน', 'ชั้นเผยแพร่ภายในองค์กร', 'ข้อมูลภายใน') }), 201);
    const names = async (who, q = '') => assertJson(await s.api('GET', `/api/v1/datasets${q}`, { token: tok[who] }), 200)
      .items.map((x) => x.name);
    const mine = await names('analyst');
    assert.ok(mine.includes('budget-2567') && mine.includes('internal-only'), mine.join(','));
    assert.ok(!mine.includes('patients'), 'a confidential dataset is not listed for an internal analyst');
    const theirs = await names('nso');
    assert.ok(theirs.includes('budget-2567'), 'public datasets are listed for other agencies');
    assert.ok(!theirs.includes('internal-only'), 'internal datasets are not');
    assert.deepEqual(await names('nso', '?agency=nso'), []);
    assertFieldError(await s.api('GET', '/api/v1/datasets?agency=nowhere', { token: tok.nso }), 'agency');
    // without a token: public datasets only (issue 4: "public datasets for anonymous users");
    // a bad token is still refused
    const anon = assertJson(await s.api('GET', '/api/v1/datasets', { token: null }), 200).items.map((x) => x.name);
    assert.ok(anon.includes('budget-2567') && !anon.includes('internal-only'), anon.join(','));
    assertJson(await s.api('GET', '/api/v1/datasets/budget-2567', { token: null }), 200);
    assertProblem(await s.api('GET', '/api/v1/datasets/internal-only', { token: null }), 403);
    assertProblem(await s.api('GET', '/api/v1/datasets', { token: 'khm_garbage' }), 401);
    // another agency's steward may not change it
    assertProblem(await put('budget-2567', '"1"', { metadata: gdcMetadata() }, 'nso-steward'), 403);
    // archive
    const cur = assertJson(await get('internal-only'), 200);
    assertProblem(await s.api('DELETE', `/api/v1/datasets/${cur.id}`, { token: tok.steward }), 428);
    const arch = assertJson(await s.api('DELETE', `/api/v1/datasets/${cur.id}`, {
      token: tok.steward, headers: { 'if-match': cur.etag },
    }), 200);
    assert.ok(arch.archived_at);
    assert.ok(!(await names('analyst')).includes('internal-only'));
    assertProblem(await put(cur.id, arch.etag, { metadata: gdcMetadata('ข้อมูลใช้ภายใน', 'ชั้นเผยแพร่ภายในองค์กร') }), 412);
  });

  it('a listing filtered to what only the owner agency may see reads its datasets only, pages and all (thai-rules.md §2.3)', async () => {
    for (const [name, title] of [['elderly-allowance', 'ทะเบียนผู้รับเบี้ยยังชีพผู้สูงอายุ'], ['disability-allowance', 'ทะเบียนผู้รับเบี้ยความพิการ']]) {
      assertJson(await create({ name, metadata: gdcMetadata('ข้อมูลส่วนบุคคล', 'ชั้นเผยแพร่ภายในองค์กร', title) }, 'nso-steward'), 201);
    }
    const list = async (who, q) => assertJson(await s.api('GET', `/api/v1/datasets${q}`, { token: who ? tok[who] : null }), 200);
    const names = async (who, q) => (await list(who, q)).items.map((x) => x.name).sort();
    // ข้อมูลส่วนบุคคล: an analyst sees their own agency's (internal-staff-read), never another's
    assert.deepEqual(await names('nso', '?category=personal'), ['disability-allowance', 'elderly-allowance']);
    assert.deepEqual(await names('nso', `?category=${encodeURIComponent('ข้อมูลส่วนบุคคล')}&sort=-updated`), ['disability-allowance', 'elderly-allowance']);
    assert.deepEqual(await names('nso', '?category=personal&agency=demo'), []);
    assert.deepEqual(await names('nso', '?level=internal&personal=1'), ['disability-allowance', 'elderly-allowance']);
    const demo = await names('analyst', '?category=personal');
    assert.ok(!demo.includes('elderly-allowance') && !demo.includes('disability-allowance'), demo.join(','));
    assert.deepEqual(await names('analyst', '?category=personal&agency=nso'), []);
    // without a token: nothing internal, of anyone
    assert.deepEqual(await names(null, '?category=internal'), []);
    assert.deepEqual(await names(null, '?category=personal&agency=nso'), []);
    // one at a time: the cursor goes on within the agency's datasets
    const p1 = await list('nso', '?category=personal&limit=1&sort=name');
    assert.deepEqual(p1.items.map((x) => x.name), ['disability-allowance']);
    assert.ok(p1.next_cursor, 'a second page follows');
    const p2 = await list('nso', `?category=personal&limit=1&sort=name&cursor=${encodeURIComponent(p1.next_cursor)}`);
    assert.deepEqual(p2.items.map((x) => x.name), ['elderly-allowance']);
    assert.equal(p2.next_cursor, null);
  });

  it('every change is an audit event naming the dataset', async () => {
    const d = assertJson(await get('budget-2567'), 200);
    const ev = assertJson(await s.api('GET', `/api/v1/audit?target=${encodeURIComponent(`dataset/${d.id}`)}&limit=50`), 200);
    const actions = ev.items.map((e) => e.action);
    assert.ok(actions.includes('dataset.create'), actions.join(','));
    assert.ok(actions.includes('dataset.read'), actions.join(','));
  });
});
