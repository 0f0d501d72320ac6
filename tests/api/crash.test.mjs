// The crash test: SIGKILL the server in the middle of a burst of concurrent writes, many times,
// restart it on the same data, and check that no acknowledged change is missing, that every
// change has exactly one audit event (the change and its event commit together), and that the
// chain verifies — right after the crash with the CLI, and live after the restart. Events after
// the last checkpoint may be unsigned after a crash; they must still link.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertJson, runCli, sleep, startServer } from './harness.mjs';

const BURST = 300;
const CONCURRENCY = 16;
// when to kill: after this many 201s, or (negative) after this many ms from the start
const KILL_AT = [1, 25, 70, 140, 250, -30, -80, -150];

async function killNow(s) {
  if (s.exitInfo() === null) {
    const exited = new Promise((resolve) => s.proc.once('exit', resolve));
    s.proc.kill('SIGKILL');
    await exited;
  }
}

// Fires BURST creates, CONCURRENCY at a time; kills the server per `killAt`. Returns the slugs
// acknowledged with 201 and their ids.
async function burst(s, round, killAt) {
  const acked = new Map();
  let next = 0;
  let killed = null;
  const kill = () => { if (!killed) killed = killNow(s); };
  const t0 = Date.now();
  if (killAt < 0) setTimeout(kill, -killAt);
  const worker = async () => {
    while (next < BURST && !killed) {
      const i = next++;
      const slug = `crash-${round}-${i}`;
      if (i % 3 === 0) {
        // reads interleave: their events go through the group-commit writer, not the write
        // transactions, and both must end up as one chain
        try { await s.api('GET', '/api/v1/whoami', { timeoutMs: 10_000 }); } catch { /* killed */ }
      }
      let r;
      try {
        r = await s.api('POST', '/api/v1/agencies', { body: { slug, name_th: `หน่วยงาน ${slug}` }, timeoutMs: 10_000 });
      } catch {
        continue; // the server died under this request: not acknowledged
      }
      if (r.status === 201) {
        acked.set(slug, r.json.id);
        if (killAt > 0 && acked.size >= killAt) kill();
      } else {
        assert.equal(r.status, 201, `${slug}: ${r.text}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  kill();
  await killed;
  return { acked, ms: Date.now() - t0 };
}

// Every agency.create event, as target → events.
async function createEvents(s) {
  const byTarget = new Map();
  let cursor = null;
  for (;;) {
    const q = `/api/v1/audit?action=agency.create&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const j = assertJson(await s.api('GET', q), 200);
    for (const e of j.items) {
      if (!byTarget.has(e.target)) byTarget.set(e.target, []);
      byTarget.get(e.target).push(e);
    }
    if (!j.next_cursor) return byTarget;
    cursor = j.next_cursor;
  }
}

async function allAgencies(s) {
  const out = [];
  let cursor = null;
  for (;;) {
    const j = assertJson(await s.api('GET', `/api/v1/agencies?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), 200);
    out.push(...j.items);
    if (!j.next_cursor) return out;
    cursor = j.next_cursor;
  }
}

describe('crash: SIGKILL during a burst of writes', { timeout: 120_000 }, () => {
  it(`${KILL_AT.length} kills; no acknowledged change lost, each change has one event, the chain verifies`, async () => {
    let s = await startServer();
    const reuse = { root: s.root, dataDir: s.dataDir, init: s.init };
    const ackedAll = new Map();
    const log = [];
    let midBurst = 0; // rounds where the kill came before the burst ended
    try {
      for (let round = 0; round < KILL_AT.length; round++) {
        const { acked, ms } = await burst(s, round, KILL_AT[round]);
        for (const [k, v] of acked) ackedAll.set(k, v);
        if (acked.size < BURST) midBurst++;
        log.push(`round ${round}: kill at ${KILL_AT[round]}, ${acked.size} acked in ${ms} ms`);

        // right after the crash, before anything repairs it: the CLI verifies the chain
        const v = runCli(['audit', 'verify', '--format', 'json'], { dataDir: s.dataDir });
        assert.equal(v.status, 0, `round ${round}: ${v.stdout}${v.stderr}\n${log.join('\n')}`);
        const rep = JSON.parse(v.stdout);
        assert.equal(rep.ok, true, rep.message);
        assert.ok(rep.last_checkpoint <= rep.head_seq);

        s = await startServer({ reuse });
        const agencies = await allAgencies(s);
        const bySlug = new Map(agencies.map((a) => [a.slug, a]));
        for (const [slug, id] of ackedAll) {
          assert.ok(bySlug.has(slug), `acknowledged agency ${slug} is missing after the crash\n${log.join('\n')}`);
          assert.equal(bySlug.get(slug).id, id);
        }
        const events = await createEvents(s);
        const burstAgencies = agencies.filter((a) => a.slug.startsWith('crash-'));
        for (const a of burstAgencies) {
          const evs = (events.get(`agency/${a.id}`) || []).filter((e) => e.status === 201);
          assert.equal(evs.length, 1, `agency ${a.slug} has ${evs.length} agency.create events`);
          assert.equal(evs[0].outcome, 'success');
        }
        // and no success event names an agency that is not there
        for (const [target, evs] of events) {
          if (evs.some((e) => e.status === 201)) {
            assert.ok(agencies.some((a) => `agency/${a.id}` === target), `event for missing ${target}`);
          }
        }
        const live = assertJson(await s.api('GET', '/api/v1/audit/verify'), 200);
        assert.equal(live.ok, true, live.message);
        assert.ok(live.events >= rep.events);
      }
      if (process.env.KHOMUN_TEST_VERBOSE) console.log(log.join('\n'));
      assert.ok(ackedAll.size > 0, 'no write was acknowledged in any round');
      assert.ok(midBurst >= 5, `only ${midBurst} kills came during a burst\n${log.join('\n')}`);
      await s.stop({ keepDataDir: true });
      const fin = runCli(['audit', 'verify', '--format', 'json'], { dataDir: s.dataDir });
      assert.equal(fin.status, 0, fin.stdout + fin.stderr);
      const rep = JSON.parse(fin.stdout);
      assert.equal(rep.ok, true);
      assert.equal(rep.last_checkpoint, rep.head_seq, 'a clean stop signs the head');
    } finally {
      await killNow(s).catch(() => {});
      await sleep(0);
    }
  });
});
