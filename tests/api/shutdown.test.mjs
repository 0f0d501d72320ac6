// Graceful shutdown: SIGTERM with requests in flight and with idle connections; the store is
// closed cleanly and reopens.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';

import { assertJson, sleep, startServer } from './harness.mjs';

describe('graceful shutdown', { timeout: 60_000 }, () => {
  let s;
  before(async () => { s = await startServer(); }, { timeout: 20_000 });
  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('SIGTERM with 20 whoami requests in flight: responses are 200, exit 0 within 5 s, data reopens', async (t) => {
    const created = assertJson(await s.api('POST', '/api/v1/agencies', {
      body: { slug: 'before-stop', name_th: 'ก่อนหยุดบริการ' },
    }), 201);

    const reqs = Array.from({ length: 20 }, () => s.api('GET', '/api/v1/whoami').then(
      (r) => ({ ok: true, r }),
      (e) => ({ ok: false, e }),
    ));
    await sleep(5); // let the connections open and the requests go out
    const stopped = s.stop({ keepDataDir: true, timeoutMs: 5_000 });
    const results = await Promise.all(reqs);
    const { elapsedMs } = await stopped; // asserts exit code 0 within 5 s
    assert.ok(elapsedMs <= 5_000, `exit took ${elapsedMs} ms`);

    let answered = 0;
    for (const x of results) {
      if (x.ok) {
        answered++;
        assert.equal(x.r.status, 200, `in-flight request answered ${x.r.status}: ${x.r.text}`);
        assert.equal(x.r.json.user.name, 'admin');
      } else {
        // refused or reset connections are fine; a hang until our own timeout is not
        assert.notEqual(x.e?.name, 'TimeoutError', 'a request hung across shutdown');
      }
    }
    // Not asserted as a minimum (timing), but reported for the record.
    t.diagnostic(`${answered}/20 in-flight requests answered before exit`);

    // restart on the same directory: the admin token and the record are still there
    const s2 = await startServer({ reuse: s });
    s = s2; // `after` stops (and cleans up) whichever is running
    const w = await s2.api('GET', '/api/v1/whoami');
    assert.equal(assertJson(w, 200).user.name, 'admin');
    const g = await s2.api('GET', '/api/v1/agencies/before-stop');
    assert.deepEqual(assertJson(g, 200), created);
  });

  it('an idle keep-alive connection does not hold up shutdown', async () => {
    // one finished request on a kept-alive socket, then an idle socket that never sends
    const sock = net.connect(s.port, '127.0.0.1');
    await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
    sock.on('error', () => {});
    sock.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await new Promise((resolve) => {
      let got = '';
      sock.on('data', (d) => { got += d; if (/\r\n\r\n[\s\S]*"ok"/.test(got)) resolve(); });
      setTimeout(resolve, 2000);
    });
    const idle = net.connect(s.port, '127.0.0.1');
    await new Promise((resolve, reject) => { idle.once('connect', resolve); idle.once('error', reject); });
    idle.on('error', () => {});
    try {
      const { elapsedMs } = await s.stop({ keepDataDir: true, timeoutMs: 5_000 });
      assert.ok(elapsedMs <= 5_000, `exit took ${elapsedMs} ms`);
    } finally {
      sock.destroy();
      idle.destroy();
    }
    s = await startServer({ reuse: s });
    assert.equal((await s.api('GET', '/api/v1/whoami')).status, 200);
  });
});
