// Public routes: health, readiness, version, OpenAPI document, UI, X-Request-Id handling.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  ROUTES, UUID7_RE, assertJson, assertProblem, runCli, startServer,
} from './harness.mjs';

const BACKEND = process.env.KHOMUN_TEST_PG ? null : 'sqlite';

describe('health, version, openapi, request ids', { timeout: 60_000 }, () => {
  let s;
  before(async () => { s = await startServer(); }, { timeout: 20_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('GET /healthz → 200 {"status":"ok"} without a token', async () => {
    const r = await s.api('GET', '/healthz', { token: null });
    assert.deepEqual(assertJson(r, 200), { status: 'ok' });
  });

  it('GET /readyz → 200 ready with backend, schema_version and the consent index', async () => {
    let r = await s.api('GET', '/readyz', { token: null });
    let j = assertJson(r, 200);
    assert.deepEqual(Object.keys(j).sort(), ['backend', 'consent_index', 'schema_version', 'status']);
    // the index is built on its own thread at start (building, then ready with its pairs)
    for (let i = 0; i < 200 && j.consent_index.state !== 'ready'; i++) {
      assert.deepEqual(j.consent_index, { state: 'building', pairs: 0 });
      await new Promise((res) => setTimeout(res, 25));
      j = assertJson(r = await s.api('GET', '/readyz', { token: null }), 200);
    }
    assert.equal(j.consent_index.state, 'ready', r.text);
    assert.ok(Number.isInteger(j.consent_index.pairs) && j.consent_index.pairs >= 0, r.text);
    assert.equal(j.status, 'ready');
    if (BACKEND) assert.equal(j.backend, BACKEND);
    else assert.ok(typeof j.backend === 'string' && j.backend !== 'sqlite');
    assert.ok(Number.isInteger(j.schema_version) && j.schema_version >= 1, r.text);
  });

  it('GET /api/v1/version → fields and types, consistent with readyz and the CLI', async () => {
    const r = await s.api('GET', '/api/v1/version', { token: null });
    const j = assertJson(r, 200);
    assert.deepEqual(Object.keys(j).sort(), ['api', 'backend', 'name', 'schema_version', 'version']);
    assert.equal(j.name, 'khomun');
    assert.equal(typeof j.version, 'string');
    assert.match(j.version, /^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/);
    assert.equal(j.api, 'v1');
    if (BACKEND) assert.equal(j.backend, BACKEND);
    assert.ok(Number.isInteger(j.schema_version) && j.schema_version >= 1);
    const ready = (await s.api('GET', '/readyz', { token: null })).json;
    assert.equal(j.schema_version, ready.schema_version);
    assert.equal(j.backend, ready.backend);
    const cli = runCli(['version', '--format', 'json']);
    assert.equal(cli.status, 0, cli.stderr);
    const cj = JSON.parse(cli.stdout);
    assert.equal(cj.name, j.name);
    assert.equal(cj.version, j.version);
  });

  it('GET /api/v1/openapi.json → OpenAPI 3.1 with every route of the table', async () => {
    const r = await s.api('GET', '/api/v1/openapi.json', { token: null });
    const doc = assertJson(r, 200);
    assert.equal(typeof doc.openapi, 'string');
    assert.ok(doc.openapi.startsWith('3.1'), `openapi is ${doc.openapi}`);
    assert.equal(typeof doc.info?.title, 'string');
    assert.equal(typeof doc.info?.version, 'string');
    assert.ok(doc.paths && typeof doc.paths === 'object', 'no paths');
    const missing = [];
    for (const rt of ROUTES) {
      if (!doc.paths[rt.path] || !doc.paths[rt.path][rt.method.toLowerCase()]) {
        missing.push(`${rt.method} ${rt.path}`);
      }
    }
    assert.deepEqual(missing, [], 'routes missing from the OpenAPI document');
    // and nothing the route table does not have
    const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
    const extra = [];
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const m of methods) {
        if (item[m] && !ROUTES.some((rt) => rt.path === p && rt.method.toLowerCase() === m)) {
          extra.push(`${m.toUpperCase()} ${p}`);
        }
      }
    }
    assert.deepEqual(extra, [], 'operations in the OpenAPI document that are not in the route table');
  });

  it('GET / → 200 text/html; assets served with their types; unknown asset → 404 problem', async () => {
    const idx = await s.api('GET', '/', { token: null });
    assert.equal(idx.status, 200);
    assert.match(idx.headers.get('content-type') || '', /^text\/html/);
    assert.match(idx.text, /<html/i);
    const css = await s.api('GET', '/assets/app.css', { token: null });
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') || '', /^text\/css/);
    const js = await s.api('GET', '/assets/app.js', { token: null });
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') || '', /^(text|application)\/javascript/);
    const nope = await s.api('GET', '/assets/nope.css', { token: null });
    assertProblem(nope, 404);
  });

  it('every response carries X-Request-Id, a UUIDv7, unique per request', async () => {
    const responses = [
      await s.api('GET', '/healthz', { token: null }),
      await s.api('GET', '/readyz', { token: null }),
      await s.api('GET', '/api/v1/version', { token: null }),
      await s.api('GET', '/api/v1/openapi.json', { token: null }),
      await s.api('GET', '/api/v1/whoami'),
      await s.api('GET', '/api/v1/whoami', { token: null }), // 401
      await s.api('GET', '/api/v1/nope'), // 404
      await s.api('PUT', '/api/v1/agencies'), // 405
      await s.api('POST', '/api/v1/agencies', { rawBody: '{' }), // 400
      await s.api('GET', '/', { token: null }),
      await s.api('GET', '/assets/app.css', { token: null }),
    ];
    const ids = new Set();
    for (const r of responses) {
      const id = r.headers.get('x-request-id');
      assert.ok(id, `no X-Request-Id on a ${r.status} response`);
      assert.match(id, UUID7_RE, `X-Request-Id ${id} is not a UUIDv7`);
      ids.add(id);
    }
    assert.equal(ids.size, responses.length, 'X-Request-Id values repeat');
  });

  it('a valid client X-Request-Id (1–64 of [A-Za-z0-9._-]) is echoed', async () => {
    for (const id of ['a', 'client-req.1_ABC', 'x'.repeat(64), '0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7e']) {
      const r = await s.api('GET', '/healthz', { token: null, headers: { 'x-request-id': id } });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('x-request-id'), id);
    }
    // also on an error response, and in the problem body
    const e = await s.api('GET', '/api/v1/nope', { headers: { 'x-request-id': 'err-echo-1' } });
    const p = assertProblem(e, 404);
    assert.equal(p.request_id, 'err-echo-1');
  });

  it('an invalid client X-Request-Id is replaced by a fresh UUIDv7', async () => {
    const bad = ['x'.repeat(65), 'y'.repeat(200), 'has space', 'semi;colon', 'a/b', 'quote"d', '<script>'];
    for (const id of bad) {
      const r = await s.api('GET', '/healthz', { token: null, headers: { 'x-request-id': id } });
      assert.equal(r.status, 200, `request with X-Request-Id ${JSON.stringify(id)}`);
      const got = r.headers.get('x-request-id');
      assert.notEqual(got, id);
      assert.match(got || '', UUID7_RE, `replacement for ${JSON.stringify(id)} is ${got}`);
    }
  });
});
