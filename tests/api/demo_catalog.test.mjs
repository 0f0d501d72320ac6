// The living demo catalog (serve --demo, issue 4): about twenty Thai datasets of four agencies with
// their GD-Catalog metadata (thai-rules.md §3), categories and levels in the allowed combinations
// (§2.2–2.3), files scanned into the data map and profiled at seed time, two datasets flagged
// because a scan disagrees with their classification (one declared public), owners' confirmations,
// quality scores that differ, and Thai and English search finding the demo datasets.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertJson, startServer } from './harness.mjs';

// thai-rules.md §3.2: the 13 required GD-Catalog fields
const REQUIRED = ['data_type', 'title', 'maintainer', 'maintainer_email', 'tag_string', 'notes', 'objective',
  'update_frequency_unit', 'geo_coverage', 'data_source', 'data_format', 'data_category', 'license_id'];
// §2.3: the levels each category allows
const LEVELS = {
  public: ['public'], internal: ['internal'], personal: ['internal', 'confidential', 'secret'],
  security: ['confidential', 'secret', 'top_secret'], official_secret: ['confidential', 'secret', 'top_secret'],
};
const OWNERS = { mdes: 'malee.owner', dga: 'thanakorn.dga', nso: 'siriporn.nso', moph: 'wanpen.moph' };

describe('the demo catalog (serve --demo)', { timeout: 60_000 }, () => {
  let s;
  const tok = {};
  const slugOf = {}; // agency id → slug
  const all = new Map(); // name → dataset, as its own agency's owner sees it
  before(async () => {
    s = await startServer({ args: ['--demo'] });
    for (const [agency, user] of Object.entries(OWNERS)) {
      slugOf[assertJson(await s.api('GET', `/api/v1/agencies/${agency}`), 200).id] = agency;
      tok[agency] = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user } }), 201).token;
      const list = assertJson(await s.api('GET', '/api/v1/datasets?limit=200', { token: tok[agency] }), 200);
      for (const d of list.items) if (!all.has(d.name) || d.classification.category !== 'public') all.set(d.name, d);
    }
  }, { timeout: 30_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  const get = async (agency, p) => assertJson(await s.api('GET', p, { token: tok[agency] }), 200);

  it('about twenty datasets of the four agencies, with GD-Catalog metadata, allowed levels and owners', async () => {
    assert.ok(all.size >= 20, [...all.keys()].join(' '));
    const agencies = new Set();
    const types = new Set();
    for (const d of all.values()) {
      for (const f of REQUIRED) assert.ok(d.metadata[f] !== undefined && d.metadata[f] !== '', `${d.name}: ${f}`);
      assert.ok(LEVELS[d.classification.category].includes(d.classification.level), `${d.name}: ${JSON.stringify(d.classification)}`);
      assert.ok(d.title_en, d.name);
      assert.ok(d.metadata.tag_string.length >= 3, d.name);
      assert.match(d.owner_user_id, /^[0-9a-f-]{36}$/, d.name);
      types.add(d.data_type);
      agencies.add(d.agency_id);
    }
    assert.equal(agencies.size, 4);
    assert.deepEqual([...types].sort(), ['ข้อมูลภูมิสารสนเทศเชิงพื้นที่', 'ข้อมูลระเบียน', 'ข้อมูลสถิติ']);
    // the statistical fields where the data type shows them (§3.2), the geodata bounds
    assert.equal(all.get('population-by-province-2566').metadata.official_statistics, 'True');
    assert.equal(all.get('hospital-locations').metadata.west_bound_longitude, 97.34);
  });

  it('the files are scanned at seed time: every dataset with a file has its data map', async () => {
    let mapped = 0;
    for (const d of all.values()) {
      const map = await get(slugOf[d.agency_id], `/api/v1/datasets/${d.name}/datamap`);
      const files = map.resources.filter((r) => r.columns && r.columns.length > 0);
      if (files.length) mapped++;
    }
    assert.ok(mapped >= 19, `${mapped} datasets have a data map`);
    const welfare = await get('dga', '/api/v1/datasets/welfare-applicants/datamap');
    const types = welfare.resources[0].columns.map((c) => c.type);
    for (const t of ['TH_TNIN', 'PERSON', 'PHONE_NUMBER', 'TH_BANK_ACCOUNT']) assert.ok(types.includes(t), `${t} in ${types}`);
    const complaints = await get('mdes', '/api/v1/datasets/citizen-complaints/datamap');
    assert.ok(complaints.resources[0].columns.some((c) => c.field === '$.ผู้ร้องเรียน.ที่อยู่' && c.type === 'LOCATION'));
    // the legacy TIS-620 export is decoded: its column names are Thai
    const legacy = await get('dga', '/api/v1/datasets/gdx-connected-agencies/datamap');
    assert.equal(legacy.resources[0].columns[1].field, 'ชื่อหน่วยงาน');
    assert.equal(legacy.personal_data, false);
  });

  it('?flagged=1 lists the datasets whose scan disagrees: the public volunteer list and the staff directory', async () => {
    const mdes = await get('mdes', '/api/v1/datasets?flagged=1');
    assert.deepEqual(mdes.items.map((d) => d.name), ['staff-directory', 'village-health-volunteers']);
    const vol = mdes.items[1];
    assert.equal(vol.classification.category, 'public'); // declared public …
    assert.equal(vol.classification_flag.code, 'scan_disagrees'); // … but its file names people
    assert.deepEqual([vol.classification_flag.suggested.category, vol.classification_flag.suggested.level], ['personal', 'internal']);
    assert.equal(mdes.items[0].classification_flag.suggested.level, 'confidential'); // blood groups: s.26
    const dga = await get('dga', '/api/v1/datasets?flagged=1');
    assert.deepEqual(dga.items.map((d) => d.name), ['village-health-volunteers']);
  });

  it("owners confirmed what the scans suggest; the patient register waits for its owner", async () => {
    const confirmed = [...all.values()].filter((d) => d.classification.confirmed).map((d) => d.name);
    assert.ok(confirmed.length >= 8, confirmed.join(' '));
    const h = await get('mdes', '/api/v1/datasets/citizen-complaints/classification');
    assert.deepEqual(h.history.map((e) => e.kind), ['create', 'confirm']);
    assert.equal(h.history[1].by, all.get('citizen-complaints').owner_user_id);
    assert.equal(all.get('citizen-complaints').classification.personal_data, true);
    assert.equal(all.get('chronic-patient-register').classification.confirmed, false);
  });

  it('quality scores differ: a clean budget table, the population table and the migrated accounts with defects', async () => {
    const scores = new Map([...all.values()].filter((d) => d.quality).map((d) => [d.name, d.quality.score]));
    assert.ok(new Set(scores.values()).size >= 3, JSON.stringify(Object.fromEntries(scores)));
    assert.equal(scores.get('digital-budget-2567'), 100);
    assert.equal(scores.get('population-by-province-2566'), 94);
    assert.ok(scores.get('eservice-accounts-migration') < 94);
    const q = await get('dga', '/api/v1/datasets/eservice-accounts-migration/quality');
    const codes = new Set(q.resources[0].explanations.map((e) => e.code));
    for (const c of ['empty_cells', 'bad_check_digit', 'impossible_date', 'duplicate_rows', 'duplicate_keys']) assert.ok(codes.has(c), `${c} in ${[...codes]}`);
  });

  it('?quality_below=N lists exactly the datasets whose stored score is under N (listing and search)', async () => {
    for (const [agency] of Object.entries(OWNERS)) {
      const mine = [...all.values()].filter((d) => slugOf[d.agency_id] === agency);
      const want = mine.filter((d) => d.quality && d.quality.score !== null && d.quality.score < 100).map((d) => d.name).sort();
      const got = (await get(agency, '/api/v1/datasets?quality_below=100&limit=200')).items
        .filter((d) => slugOf[d.agency_id] === agency).map((d) => d.name).sort();
      assert.deepEqual(got, want, agency);
    }
    const dga = (await get('dga', '/api/v1/datasets?quality_below=94&limit=200')).items.map((d) => d.name);
    assert.ok(dga.includes('eservice-accounts-migration'), dga.join(' '));
    assert.ok(dga.every((n) => all.get(n)?.quality?.score !== null && all.get(n)?.quality?.score < 94), dga.join(' '));
    // with a search: the filter holds for the matches
    const nso = (await get('nso', `/api/v1/datasets?q=${encodeURIComponent('ประชากร')}&quality_below=100`)).items.map((d) => d.name);
    assert.ok(nso.includes('population-by-province-2566'), nso.join(' '));
    assert.ok(!nso.includes('labour-force-survey-2567'), nso.join(' '));
  });

  it('Thai and English search find the demo datasets (งบประมาณ, budget, air quality, โรงพยาบาล)', async () => {
    const search = async (q) => (await get('mdes', `/api/v1/datasets?q=${encodeURIComponent(q)}`)).items.map((d) => d.name);
    const budget = await search('งบประมาณ');
    // ranked by tiers (words in the title first), the latest changed first within a tier
    // (docs/api/datasets-list.md): the budget plan is among the title matches
    assert.ok(budget.includes('digital-budget-2567'), budget.join(' '));
    assert.ok(budget.includes('procurement-contracts-2566'), budget.join(' '));
    assert.ok((await search('budget')).includes('digital-budget-2567'));
    assert.deepEqual(await search('air quality'), ['air-quality-pm25-2567']);
    assert.equal((await search('โรงพยาบาล'))[0], 'hospital-locations');
    assert.deepEqual(await search('ฝุ่น'), ['air-quality-pm25-2567']);
  });
});
