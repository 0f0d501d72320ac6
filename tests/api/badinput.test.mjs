// Hostile and malformed input: every case must give the documented status and problem body and
// leave the store unchanged.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';

import {
  assertFieldError, assertJson, assertProblem, listAll, startServer,
} from './harness.mjs';

const AGENCIES = '/api/v1/agencies';

// Runs fn and asserts the agency list is identical before and after.
async function unchanged(s, fn) {
  const before = await listAll(s, AGENCIES);
  const r = await fn();
  const after2 = await listAll(s, AGENCIES);
  assert.deepEqual(after2, before, 'the store changed');
  return r;
}

const post = (s, rawBody, headers) => s.api('POST', AGENCIES, { rawBody, headers });

// Writes `data` on a fresh TCP connection and reads one HTTP response (status, headers, body).
function socketRequest(port, data, timeoutMs = 3000) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (err, val) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err); else resolve(val);
    };
    const timer = setTimeout(() => finish(new Error(`no complete response within ${timeoutMs} ms; got: ${buf}`)), timeoutMs);
    const tryParse = (ended) => {
      const i = buf.indexOf('\r\n\r\n');
      if (i < 0) { if (ended) finish(new Error(`connection closed without a response: ${buf}`)); return; }
      const head = buf.subarray(0, i).toString('latin1').split('\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0]);
      if (!m) return finish(new Error(`bad status line: ${head[0]}`));
      const headers = new Headers();
      for (const line of head.slice(1)) {
        const c = line.indexOf(':');
        if (c > 0) headers.append(line.slice(0, c).trim(), line.slice(c + 1).trim());
      }
      const body = buf.subarray(i + 4);
      const cl = headers.get('content-length');
      if (cl !== null ? body.length >= Number(cl) : ended) {
        const text = (cl !== null ? body.subarray(0, Number(cl)) : body).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        finish(null, { status: Number(m[1]), headers, text, json });
      }
    };
    sock.on('data', (d) => { buf = Buffer.concat([buf, d]); tryParse(false); });
    sock.on('end', () => tryParse(true));
    sock.on('error', (e) => { if (buf.length) tryParse(true); else finish(e); });
    sock.on('connect', () => sock.write(data));
  });
}

describe('bad input (default body cap)', { timeout: 120_000 }, () => {
  let s;
  before(async () => { s = await startServer(); }, { timeout: 20_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('malformed JSON → 400', async () => {
    for (const body of ['{"slug":', '{', '{"slug" "x"}', "{'slug':'x'}", '{"slug":"mj1","name_th":"x",}',
      '{"slug":"mj2","name_th":"x"', 'nul', '{"slug":"mj3","name_th":"x\u0001"}']) {
      const r = await unchanged(s, () => post(s, body));
      assertProblem(r, 400);
    }
  });

  it('duplicate keys → 400 naming the duplicate', async () => {
    const r = await unchanged(s, () => post(s, '{"slug":"a1","slug":"a2","name_th":"x"}'));
    const p = assertProblem(r, 400);
    assert.match(p.detail, /duplicate/i);
    assertProblem(await s.api('GET', `${AGENCIES}/a1`), 404);
    assertProblem(await s.api('GET', `${AGENCIES}/a2`), 404);
  });

  it('invalid UTF-8 → 400', async () => {
    const wrap = (slug, bytes) => Buffer.concat([
      Buffer.from(`{"slug":"${slug}","name_th":"ab`), Buffer.from(bytes), Buffer.from('cd"}'),
    ]);
    const cases = [
      wrap('utf1', [0xc3, 0x28]), // bad continuation
      wrap('utf2', [0xc0, 0xaf]), // overlong
      wrap('utf3', [0xed, 0xa0, 0x80]), // UTF-16 surrogate
      wrap('utf4', [0xff]), // never valid
      wrap('utf5', [0xe0, 0xb8]), // truncated Thai ก (e0 b8 81)
      wrap('utf6', [0xf4, 0x90, 0x80, 0x80]), // above U+10FFFF
    ];
    for (const b of cases) {
      const r = await unchanged(s, () => post(s, b));
      assertProblem(r, 400);
    }
  });

  it('trailing data → 400; trailing whitespace is fine', async () => {
    for (const body of ['{"slug":"tr1","name_th":"x"} x', '{"slug":"tr2","name_th":"x"}{}',
      '{"slug":"tr3","name_th":"x"},', '{"slug":"tr4","name_th":"x"}\u0000']) {
      const r = await unchanged(s, () => post(s, body));
      assertProblem(r, 400);
    }
    const ok = await post(s, '{"slug":"tr-ws","name_th":"x"} \n\t\r\n');
    assert.equal(assertJson(ok, 201).slug, 'tr-ws');
  });

  it('deep nesting → 400 (no crash)', async () => {
    const bodies = [
      '['.repeat(5000),
      '['.repeat(5000) + ']'.repeat(5000),
      '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
      '{"slug":"deep","name_th":"x","name_en":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
    ];
    for (const b of bodies) {
      const r = await unchanged(s, () => post(s, b));
      assertProblem(r, 400);
    }
    assert.equal((await s.api('GET', '/healthz', { token: null })).status, 200);
  });

  it('JSON that is not an object → 400', async () => {
    for (const body of ['[]', '"x"', 'null', '42', 'true', '[{"slug":"arr","name_th":"x"}]']) {
      const r = await unchanged(s, () => post(s, body));
      assertProblem(r, 400);
    }
  });

  it('unknown field → 400 with errors[0].field "colour"', async () => {
    const r = await unchanged(s, () => post(s, '{"slug":"ok1","name_th":"x","colour":"red"}'));
    const p = assertProblem(r, 400);
    assert.ok(Array.isArray(p.errors) && p.errors.length > 0, r.text);
    assert.equal(p.errors[0].field, 'colour');
    assertProblem(await s.api('GET', `${AGENCIES}/ok1`), 404);
  });

  it('wrong types → 400 on that field', async () => {
    const cases = [
      ['{"slug":5,"name_th":"x"}', 'slug'],
      ['{"slug":null,"name_th":"x"}', 'slug'],
      ['{"slug":"wt1","name_th":["x"]}', 'name_th'],
      ['{"slug":"wt2","name_th":{"th":"x"}}', 'name_th'],
      ['{"slug":"wt3","name_th":"x","name_en":false}', 'name_en'],
    ];
    for (const [body, field] of cases) {
      const r = await unchanged(s, () => post(s, body));
      assertFieldError(r, field);
    }
  });

  it('missing required field → 400 on name_th with a Thai message', async () => {
    const r = await unchanged(s, () => post(s, '{"slug":"miss1"}'));
    const e = assertFieldError(r, 'name_th');
    assert.match(e.message_th, /[\u0E00-\u0E7F]/, `message_th has no Thai: ${e.message_th}`);
    const r2 = await unchanged(s, () => post(s, '{}'));
    assertFieldError(r2, 'slug');
    assertFieldError(r2, 'name_th');
  });

  it('empty or whitespace body on POST → 400', async () => {
    for (const body of ['', ' ', '\n']) {
      const r = await unchanged(s, () => post(s, body));
      assertProblem(r, 400);
    }
  });

  it('Content-Type other than application/json → 415; parameters accepted', async () => {
    const body = '{"slug":"ct1","name_th":"x"}';
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx',
      'multipart/form-data; boundary=x', 'application/xml']) {
      const r = await unchanged(s, () => post(s, body, { 'content-type': ct }));
      assertProblem(r, 415);
    }
    // no Content-Type at all (raw request: fetch would add text/plain)
    const raw = await unchanged(s, () => s.raw('POST', AGENCIES, {
      headers: { authorization: `Bearer ${s.token}`, 'content-length': Buffer.byteLength(body) },
      body,
    }));
    assertProblem(raw, 415);
    const ok = await post(s, body, { 'content-type': 'application/json; charset=utf-8' });
    assert.equal(assertJson(ok, 201).slug, 'ct1');
  });

  it('request headers up to 12 KB are served; far larger ones → 431 and the server keeps serving', async () => {
    // each connection's memory pool (src/server/server.c CONN_POOL) holds the request's headers
    const pad = (n) => 'ก'.repeat(n / 9).split('').map(encodeURIComponent).join('').slice(0, n);
    const ok = await socketRequest(s.port, `GET /api/v1/whoami HTTP/1.1\r\nHost: x\r\n`
      + `Authorization: Bearer ${s.token}\r\nX-Pad: ${'a'.repeat(12_000)}\r\nConnection: close\r\n\r\n`);
    assert.equal(ok.status, 200);
    const q = await s.api('GET', `/api/v1/agencies?limit=10&x=${pad(8_000)}`);
    assert.equal(q.status, 200);
    const big = await socketRequest(s.port, `GET /healthz HTTP/1.1\r\nHost: x\r\n`
      + `X-Pad: ${'a'.repeat(64_000)}\r\nConnection: close\r\n\r\n`);
    assert.equal(big.status, 431);
    assert.equal((await s.api('GET', '/healthz', { token: null })).status, 200);
  });

  it('unknown routes → 404 problem', async () => {
    for (const [m, p] of [['GET', '/api/v1/nope'], ['POST', '/api/v1/nope'], ['GET', '/nope'],
      ['GET', '/api/v2/agencies'], ['GET', '/api/v1/agencies/demo/extra'], ['GET', '/api/v1']]) {
      const r = await s.api(m, p, m === 'POST' ? { body: {} } : {});
      assertProblem(r, 404);
    }
  });

  it('known path, other method → 405 with Allow', async () => {
    const allow = (r) => new Set((r.headers.get('allow') || '').split(',').map((x) => x.trim()).filter(Boolean));
    const cases = [
      ['PUT', AGENCIES, ['GET', 'POST']],
      ['DELETE', AGENCIES, ['GET', 'POST']],
      ['DELETE', `${AGENCIES}/demo`, ['GET']],
      ['PATCH', '/api/v1/tokens/0193b6b2-7c1e-7a3b-8f3e-2d1c0b9a8f7e', ['GET', 'DELETE']],
      ['GET', '/api/v1/users/admin/disable', ['POST']],
      ['POST', '/healthz', ['GET']],
    ];
    for (const [m, p, want] of cases) {
      const r = await unchanged(s, () => s.api(m, p));
      assertProblem(r, 405);
      const got = allow(r);
      for (const w of want) assert.ok(got.has(w), `${m} ${p}: Allow "${r.headers.get('allow')}" lacks ${w}`);
      assert.ok(!got.has(m), `${m} ${p}: Allow lists the refused method`);
    }
    assert.equal(assertJson(await s.api('GET', `${AGENCIES}/demo`), 200).slug, 'demo');
  });

  it('path traversal on static paths → 404, never a file', async () => {
    const paths = [
      '/assets/../../etc/passwd',
      '/assets/../../../../../../etc/passwd',
      '/assets/%2e%2e/%2e%2e/etc/passwd',
      '/assets/%2E%2E/%2E%2E/%2E%2E/etc/passwd',
      '/assets/..%2fkhomun.db',
      '/assets/..%2f..%2f..%2fetc%2fpasswd',
      '/assets/..%2F..%2Fdata%2Fkhomun.db',
      '/assets/app.css/../../../etc/passwd',
      '/assets/..\\..\\etc\\passwd',
      '/assets/%252e%252e/etc/passwd',
      '/assets/app.css%00.html',
      '/assets/',
      '/../etc/passwd',
    ];
    for (const p of paths) {
      const r = await s.raw('GET', p);
      assert.equal(r.status, 404, `${p} → ${r.status}`);
      assertProblem(r, 404);
      assert.ok(!r.text.includes('root:'), `${p} leaked /etc/passwd`);
      assert.ok(!r.text.includes('SQLite format'), `${p} leaked a database`);
    }
  });
});

describe('body cap (--max-body 1024)', { timeout: 60_000 }, () => {
  let s;
  before(async () => { s = await startServer({ args: ['--max-body', '1024'] }); }, { timeout: 20_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  const sized = (slug, n) => {
    const b = `{"slug":"${slug}","name_th":"ขนาด"}`;
    const len = Buffer.byteLength(b);
    assert.ok(n >= len);
    return b + ' '.repeat(n - len);
  };

  it('exactly 1024 bytes is accepted; 1025 → 413', async () => {
    const ok = await post(s, sized('cap-1024', 1024));
    assert.equal(assertJson(ok, 201).slug, 'cap-1024');
    const r = await unchanged(s, () => post(s, sized('cap-1025', 1025)));
    assertProblem(r, 413);
  });

  it('2048 bytes → 413 and the server keeps serving', async () => {
    const r = await unchanged(s, () => post(s, sized('cap-2048', 2048)));
    assertProblem(r, 413);
    assert.equal((await s.api('GET', '/healthz', { token: null })).status, 200);
    const ok = await post(s, '{"slug":"after-413","name_th":"ยังทำงานอยู่"}');
    assert.equal(assertJson(ok, 201).slug, 'after-413');
  });

  it('chunked body over the cap → 413; under the cap → accepted', async () => {
    const big = sized('chunk-big', 2048);
    const chunks = [];
    for (let i = 0; i < big.length; i += 200) chunks.push(big.slice(i, i + 200));
    const headers = {
      authorization: `Bearer ${s.token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked',
    };
    const r = await unchanged(s, () => s.raw('POST', AGENCIES, { headers, chunks }));
    assertProblem(r, 413);
    const small = '{"slug":"chunk-ok","name_th":"ส่งแบบ chunked"}';
    const ok = await s.raw('POST', AGENCIES, { headers, chunks: [small.slice(0, 10), small.slice(10, 30), small.slice(30)] });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.slug, 'chunk-ok');
    assert.equal(ok.json.name_th, 'ส่งแบบ chunked');
  });

  it('a Content-Length over the cap is refused at once, without waiting for the body', async () => {
    const head = [
      'POST /api/v1/agencies HTTP/1.1', 'Host: 127.0.0.1', `Authorization: Bearer ${s.token}`,
      'Content-Type: application/json', 'Content-Length: 10485760', 'Connection: close', '', '{"slug":',
    ].join('\r\n');
    const r = await unchanged(s, () => socketRequest(s.port, head, 3000));
    assertProblem(r, 413);
    assert.equal((await s.api('GET', '/healthz', { token: null })).status, 200);
  });
});
