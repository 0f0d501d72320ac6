// The access policy as data (issue 6): `khomun serve --policy FILE`, and a change to the file
// takes effect at once for new requests without a restart; a bad file changes nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { REPO, assertJson, assertProblem, runCli, startServer } from './harness.mjs';

const DEFAULT = JSON.parse(fs.readFileSync(path.join(REPO, 'src/lib/access/policy_default.json'), 'utf8'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The default policy without the DPO among the audit readers.
function withoutDpoAudit() {
  const p = structuredClone(DEFAULT);
  p.version = 'test.no-dpo-audit';
  for (const r of p.rules) {
    if (r.id === 'audit-read') r.roles = r.roles.filter((x) => x !== 'dpo');
  }
  return p;
}

async function until(fn, ms = 4000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await sleep(100);
  }
}

describe('policy file', { timeout: 60_000 }, () => {
  let s;
  let dir;
  let file;
  let dpo;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khomun-policy-'));
    file = path.join(dir, 'policy.json');
    fs.writeFileSync(file, JSON.stringify(withoutDpoAudit(), null, 2));
    s = await startServer({ args: ['--policy', file] });
    await s.api('POST', '/api/v1/users', { body: { name: 'dpo1', agency: 'demo', role: 'dpo' } });
    dpo = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user: 'dpo1' } }), 201).token;
  });
  after(async () => {
    await s?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the file is in force: the DPO may not read the audit trail, the version says so', async () => {
    const p = assertProblem(await s.api('GET', '/api/v1/audit', { token: dpo }), 403);
    assert.match(p.detail, /policy test\.no-dpo-audit\+sha256:[0-9a-f]{16}/);
  });

  it('saving the default back takes effect without a restart', async () => {
    fs.writeFileSync(file, JSON.stringify(DEFAULT, null, 2));
    const ok = await until(async () => (await s.api('GET', '/api/v1/audit', { token: dpo })).status === 200);
    assert.ok(ok, 'the changed policy file was not picked up within 4 s');
    const ev = assertJson(await s.api('GET', '/api/v1/audit?action=policy.reload'), 200);
    assert.ok(ev.items.some((e) => e.outcome === 'success' && /policy default\.1\+sha256:/.test(e.reasons)), JSON.stringify(ev.items));
  });

  it('a bad file changes nothing and is audited as a failed reload', async () => {
    fs.writeFileSync(file, '{"version": "broken", "rules": [{"id": 5}]}');
    const failed = await until(async () => {
      const ev = assertJson(await s.api('GET', '/api/v1/audit?action=policy.reload'), 200);
      return ev.items.some((e) => e.outcome === 'failure');
    });
    assert.ok(failed, 'no failed policy.reload event');
    assert.equal((await s.api('GET', '/api/v1/audit', { token: dpo })).status, 200, 'the old policy stays in force');
  });

  it('khomun serve refuses to start with a bad policy file (exit 5)', () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"version": "x", "rules": [{"id": "r", "effect": "maybe"}]}');
    const r = runCli(['serve', '--policy', bad, '--listen', '127.0.0.1:0'], { dataDir: s.dataDir });
    assert.equal(r.status, 5, r.stderr);
    assert.match(r.stderr, /rules\[0\]/);
  });
});
