// Access log: one JSON line per request on stderr, with the route's audit event; no secrets.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { TOKEN_RE, assertJson, startServer } from './harness.mjs';

describe('access log', { timeout: 60_000 }, () => {
  let s;
  let whoami;
  const sent = []; // { res, method, path, event, auth }

  before(async () => {
    s = await startServer();
    whoami = assertJson(await s.api('GET', '/api/v1/whoami'), 200);
    sent.push({ method: 'GET', path: '/api/v1/whoami', event: 'auth.whoami', auth: true, status: 200 });
  }, { timeout: 20_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  const lines = () => s.logLines().filter((o) => o.msg === 'request');

  async function lineFor(res) {
    const id = res.headers.get('x-request-id');
    assert.ok(id, 'response without X-Request-Id');
    await s.waitForStderr(() => lines().some((o) => o.request_id === id), 3000);
    const found = lines().filter((o) => o.request_id === id);
    assert.equal(found.length, 1, `${found.length} access-log lines for request ${id}`);
    return found[0];
  }

  it('one line per request with request_id, method, path, status, event, user and timing', async () => {
    const tokenRes = await s.api('POST', '/api/v1/tokens', { body: { user: 'admin', name: 'log-test' } });
    const created = assertJson(tokenRes, 201);
    assert.match(created.token, TOKEN_RE);

    const cases = [
      { method: 'GET', path: '/healthz', event: 'health.check', auth: false, status: 200, token: null },
      { method: 'GET', path: '/readyz', event: 'health.ready', auth: false, status: 200, token: null },
      { method: 'GET', path: '/api/v1/version', event: 'system.version', auth: false, status: 200, token: null },
      { method: 'GET', path: '/api/v1/whoami', event: 'auth.whoami', auth: true, status: 200 },
      { method: 'GET', path: '/api/v1/whoami', event: 'auth.whoami', auth: true, status: 200, token: created.token },
      { method: 'POST', path: '/api/v1/agencies', event: 'agency.create', auth: true, status: 201,
        body: { slug: 'logged', name_th: 'บันทึกการเข้าถึง' } },
      { method: 'GET', path: '/api/v1/agencies', event: 'agency.list', auth: true, status: 200 },
      { method: 'GET', path: '/api/v1/agencies/logged', event: 'agency.read', auth: true, status: 200 },
      { method: 'GET', path: '/api/v1/whoami', event: 'auth.whoami', auth: false, status: 401, token: null },
      { method: 'GET', path: '/api/v1/nope', event: 'http.not_found', auth: null, status: 404 },
    ];
    for (const c of cases) {
      const o = {};
      if ('token' in c) o.token = c.token;
      if (c.body) o.body = c.body;
      c.res = await s.api(c.method, c.path, o);
      assert.equal(c.res.status, c.status, `${c.method} ${c.path}: ${c.res.text}`);
    }
    const tokenCase = { method: 'POST', path: '/api/v1/tokens', event: 'token.create', auth: true, status: 201, res: tokenRes };
    sent.push(tokenCase, ...cases);

    for (const c of [tokenCase, ...cases]) {
      const l = await lineFor(c.res);
      const ctx = `${c.method} ${c.path}: ${JSON.stringify(l)}`;
      assert.equal(l.msg, 'request', ctx);
      assert.equal(l.request_id, c.res.headers.get('x-request-id'), ctx);
      assert.equal(l.method, c.method, ctx);
      assert.equal(l.path, c.path, ctx);
      assert.equal(l.status, c.status, ctx);
      assert.equal(l.event, c.event, ctx);
      assert.equal(typeof l.ts, 'string', ctx);
      assert.ok(!Number.isNaN(Date.parse(l.ts)), ctx);
      assert.equal(typeof l.level, 'string', ctx);
      assert.ok(Number.isInteger(l.duration_us) && l.duration_us >= 0, ctx);
      assert.equal(typeof l.client, 'string', ctx);
      assert.ok(l.client.includes('127.0.0.1'), ctx);
      if (c.auth === true) {
        assert.equal(l.user_id, whoami.user.id, ctx);
        assert.equal(l.agency_id, whoami.agency.id, ctx);
      } else if (c.auth === false) {
        assert.ok(l.user_id === undefined || l.user_id === null, ctx);
        assert.ok(l.agency_id === undefined || l.agency_id === null, ctx);
      }
    }
  });

  it('a client-supplied X-Request-Id is the logged request_id', async () => {
    const res = await s.api('GET', '/healthz', { token: null, headers: { 'x-request-id': 'log-echo-42' } });
    assert.equal(res.headers.get('x-request-id'), 'log-echo-42');
    const l = await lineFor(res);
    assert.equal(l.event, 'health.check');
    sent.push({ res });
  });

  it('exactly one access-log line per request made', async () => {
    // the whoami from `before` has no stored response; it counts in the total only
    const ids = sent.map((c) => c.res?.headers.get('x-request-id')).filter(Boolean);
    await s.waitForStderr(() => lines().length >= sent.length, 3000);
    const all = lines();
    assert.equal(all.length, sent.length, `log lines: ${all.length}, requests: ${sent.length}`);
    const logged = new Set(all.map((o) => o.request_id));
    assert.equal(logged.size, all.length, 'a request_id is logged twice');
    for (const id of ids) assert.ok(logged.has(id), `request ${id} not logged`);
  });

  it('no token secret ever appears in stderr', async () => {
    const err = s.stderrText();
    assert.ok(!err.includes(s.token), 'the admin token is in the log');
    assert.ok(!err.includes('khm_'), 'something that looks like a token secret is in the log');
  });
});
