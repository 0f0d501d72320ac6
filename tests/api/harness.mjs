// Harness for the HTTP API tests: starts a real `khomun serve` on a random port over a fresh data
// directory and gives the tests a small client. Node 20 built-ins only (no npm packages).
//
//   const s = await startServer();            // init + serve
//   const r = await s.api('GET', '/api/v1/whoami');
//   await s.stop();                            // SIGTERM, asserts exit code 0, removes the dir
//
// Environment:
//   KHOMUN_BIN      path to the binary (default <repo>/build/khomun)
//   KHOMUN_TEST_PG  a PostgreSQL URI (bash scripts/pg.sh sets it): every data directory then
//                   gets a fresh database on that server (CREATE DATABASE via psql, dropped
//                   when the test is done), passed as `--db` to `init`, `serve` and the CLI

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KHOMUN_BIN = process.env.KHOMUN_BIN || path.join(REPO, 'build', 'khomun');
export const PG = process.env.KHOMUN_TEST_PG || '';

// PostgreSQL databases outlive data directories and are shared by every one of them, so each
// data directory made here gets its own database: data dir → URI.
const pgDbs = new Map();
const dbArgs = (dataDir) => (pgDbs.has(dataDir) ? ['--db', pgDbs.get(dataDir)] : []);

function psql(sql) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', PG, '-c', sql], {
    encoding: 'utf8', timeout: 30_000,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`psql ${sql}: exit ${r.status}: ${r.stderr}`);
}

// A fresh, empty database on the KHOMUN_TEST_PG server; returns its URI.
function createPgDb() {
  const name = `khm_api_${process.pid}_${crypto.getRandomValues(new Uint32Array(1))[0].toString(36)}`;
  psql(`CREATE DATABASE ${name} TEMPLATE template0`);
  const u = new URL(PG);
  u.pathname = `/${name}`;
  return u.toString();
}

function dropPgDb(dataDir) {
  const uri = pgDbs.get(dataDir);
  if (!uri) return;
  pgDbs.delete(dataDir);
  const name = new URL(uri).pathname.slice(1);
  try { psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* best effort */ }
}

export const READY_TIMEOUT_MS = 10_000;
export const STOP_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 5_000;

// The brief's route table: method, path, scope, audit event.
export const ROUTES = [
  ['GET', '/healthz', 'public', 'health.check'],
  ['GET', '/readyz', 'public', 'health.ready'],
  ['GET', '/api/v1/version', 'public', 'system.version'],
  ['GET', '/api/v1/openapi.json', 'public', 'system.openapi'],
  ['GET', '/api/v1/whoami', 'read-metadata:user', 'auth.whoami'],
  ['POST', '/api/v1/decide', 'read-metadata:user', 'decision.evaluate'],
  ['GET', '/api/v1/agencies', 'read-metadata:agency', 'agency.list'],
  ['POST', '/api/v1/agencies', 'administer:agency', 'agency.create'],
  ['GET', '/api/v1/agencies/{id}', 'read-metadata:agency', 'agency.read'],
  ['PUT', '/api/v1/agencies/{id}', 'administer:agency', 'agency.update'],
  ['GET', '/api/v1/users', 'read-metadata:user', 'user.list'],
  ['POST', '/api/v1/users', 'administer:user', 'user.create'],
  ['GET', '/api/v1/users/{id}', 'read-metadata:user', 'user.read'],
  ['POST', '/api/v1/users/{id}/disable', 'administer:user', 'user.disable'],
  ['POST', '/api/v1/users/{id}/enable', 'administer:user', 'user.enable'],
  ['GET', '/api/v1/tokens', 'read-metadata:token', 'token.list'],
  ['POST', '/api/v1/tokens', 'administer:token', 'token.create'],
  ['GET', '/api/v1/tokens/{id}', 'read-metadata:token', 'token.read'],
  ['DELETE', '/api/v1/tokens/{id}', 'administer:token', 'token.revoke'],
  ['GET', '/api/v1/datasets', 'read-metadata:system', 'dataset.list'],
  ['POST', '/api/v1/datasets', 'write:dataset', 'dataset.create'],
  ['GET', '/api/v1/datasets/{id}', 'read-metadata:dataset', 'dataset.read'],
  ['PUT', '/api/v1/datasets/{id}', 'write:dataset', 'dataset.update'],
  ['DELETE', '/api/v1/datasets/{id}', 'write:dataset', 'dataset.archive'],
  ['GET', '/api/v1/datasets/{id}/classification', 'read-metadata:dataset', 'dataset.classification'],
  ['POST', '/api/v1/datasets/{id}/classification', 'classify:dataset', 'dataset.classify'],
  ['GET', '/api/v1/ropa', 'read-metadata:ropa', 'ropa.list'],
  ['POST', '/api/v1/ropa', 'write:ropa', 'ropa.create'],
  ['GET', '/api/v1/ropa/completeness', 'read-metadata:ropa', 'ropa.completeness'],
  ['GET', '/api/v1/ropa/export', 'read-metadata:ropa', 'ropa.export'],
  ['GET', '/api/v1/ropa/{id}', 'read-metadata:ropa', 'ropa.read'],
  ['PUT', '/api/v1/ropa/{id}', 'write:ropa', 'ropa.update'],
  ['DELETE', '/api/v1/ropa/{id}', 'write:ropa', 'ropa.delete'],
  ['POST', '/api/v1/ropa/{id}/refusals', 'write:ropa', 'ropa.refusal_add'],
  ['GET', '/api/v1/datasets/{id}/datamap', 'read-metadata:dataset', 'dataset.datamap'],
  ['GET', '/api/v1/datasets/{id}/quality', 'read-metadata:dataset', 'dataset.quality'],
  ['POST', '/api/v1/datasets/{id}/quality', 'write:dataset', 'dataset.quality_compute'],
  ['GET', '/api/v1/datasets/{id}/resources', 'read-metadata:dataset', 'resource.list'],
  ['POST', '/api/v1/datasets/{id}/resources', 'write:dataset', 'resource.upload'],
  ['GET', '/api/v1/datasets/{id}/resources/{rid}', 'read-metadata:dataset', 'resource.read'],
  ['DELETE', '/api/v1/datasets/{id}/resources/{rid}', 'write:dataset', 'resource.delete'],
  ['GET', '/api/v1/datasets/{id}/resources/{rid}/download', 'read-data:dataset', 'resource.download'],
  ['POST', '/api/v1/datasets/{id}/resources/{rid}/scan', 'write:dataset', 'resource.scan'],
  ['POST', '/api/v1/datasets/{id}/scan', 'write:dataset', 'dataset.scan'],
  ['POST', '/api/v1/scan', 'read-data:scanner', 'scan.run'],
  ['GET', '/api/v1/audit', 'audit-read:audit', 'audit.list'],
  ['GET', '/api/v1/audit/verify', 'audit-read:audit', 'audit.verify'],
  ['GET', '/api/v1/requests', 'read-metadata:request', 'request.list'],
  ['POST', '/api/v1/requests', 'write:request', 'request.create'],
  ['GET', '/api/v1/requests/{id}', 'read-metadata:request', 'request.read'],
  ['POST', '/api/v1/requests/{id}/transition', 'write:request', 'request.transition'],
  ['POST', '/api/v1/requests/{id}/notes', 'write:request', 'request.note'],
  ['POST', '/api/v1/requests/{id}/discover', 'write:request', 'request.discover'],
  ['GET', '/api/v1/requests/{id}/package', 'read-metadata:request', 'request.package'],
  ['GET', '/api/v1/breaches', 'read-metadata:breach', 'breach.list'],
  ['POST', '/api/v1/breaches', 'write:breach', 'breach.report'],
  ['GET', '/api/v1/breaches/{id}', 'read-metadata:breach', 'breach.read'],
  ['PUT', '/api/v1/breaches/{id}', 'write:breach', 'breach.update'],
  ['POST', '/api/v1/breaches/{id}/actions', 'write:breach', 'breach.action'],
  ['POST', '/api/v1/breaches/{id}/notify-office', 'write:breach', 'breach.notify_office'],
  ['POST', '/api/v1/breaches/{id}/notify-subjects', 'write:breach', 'breach.notify_subjects'],
  ['POST', '/api/v1/breaches/{id}/close', 'write:breach', 'breach.close'],
  ['POST', '/api/v1/consents/receipts/verify', 'public', 'consent.receipt_verify'],
  ['GET', '/api/v1/purposes', 'read-metadata:purpose', 'purpose.list'],
  ['POST', '/api/v1/purposes', 'write:purpose', 'purpose.create'],
  ['GET', '/api/v1/purposes/{id}', 'read-metadata:purpose', 'purpose.read'],
  ['PUT', '/api/v1/purposes/{id}', 'write:purpose', 'purpose.update'],
  ['DELETE', '/api/v1/purposes/{id}', 'write:purpose', 'purpose.retire'],
  ['GET', '/api/v1/consents', 'read-metadata:consent', 'consent.history'],
  ['POST', '/api/v1/consents', 'write:consent', 'consent.grant'],
  ['POST', '/api/v1/consents/withdraw', 'write:consent', 'consent.withdraw'],
  ['GET', '/api/v1/consents/check', 'read-data:consent', 'consent.check'],
  ['POST', '/api/v1/consents/check', 'read-data:consent', 'consent.check_batch'],
  ['GET', '/', 'public', 'ui.index'],
  ['GET', '/assets/{path}', 'public', 'ui.asset'],
].map(([method, p, scope, event]) => ({ method, path: p, scope, event }));

// Events of routes flagged KHM_ROUTE_AUDIT_AGGREGATE: their successes are counted into one
// aggregated event per caller, purpose, answer and client each window (docs/audit.md).
export const AGGREGATED_EVENTS = new Set(['consent.check']);

// A complete, valid GD-Catalog metadata object (thai-rules.md §3.2–3.3) for a dataset of the given
// data category and level (Thai values), as the catalog tests and the matrix create them.
export function gdcMetadata(category = 'ข้อมูลสาธารณะ', level = 'เปิดเผย', title = 'ชุดข้อมูลทดสอบ') {
  return {
    data_type: 'ข้อมูลระเบียน',
    title,
    maintainer: 'กองยุทธศาสตร์และแผนงาน',
    maintainer_email: 'data@agency.go.th',
    tag_string: ['งบประมาณ', 'budget'],
    notes: 'ชุดข้อมูลสำหรับการทดสอบระบบบัญชีข้อมูล',
    objective: ['พันธกิจหน่วยงาน'],
    update_frequency_unit: 'ปี',
    geo_coverage: 'ประเทศ',
    data_source: 'กองยุทธศาสตร์และแผนงาน',
    data_format: ['CSV'],
    data_category: category,
    data_classification: level,
    license_id: 'Open Data Common',
  };
}

export const ROLES = ['admin', 'dpo', 'owner', 'steward', 'custodian', 'analyst', 'auditor'];
export const CLEARANCES = ['public', 'internal', 'confidential', 'secret', 'top_secret'];
export const ADMIN_SCOPES = [
  'self', 'agency:read', 'agency:write', 'user:read', 'user:write', 'token:read', 'token:write',
  'audit:read',
];

export const UUID7_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const TOKEN_RE = /^khm_[A-Za-z0-9_-]{43}$/;

const PROBLEM_TYPES = {
  400: 'urn:khomun:problem:validation',
  401: 'urn:khomun:problem:unauthorized',
  403: 'urn:khomun:problem:forbidden',
  404: 'urn:khomun:problem:not-found',
  405: 'urn:khomun:problem:method-not-allowed',
  409: 'urn:khomun:problem:conflict',
  412: 'urn:khomun:problem:stale',
  413: 'urn:khomun:problem:too-large',
  415: 'urn:khomun:problem:unsupported-media-type',
  428: 'urn:khomun:problem:precondition-required',
  500: 'urn:khomun:problem:internal',
  503: 'urn:khomun:problem:unavailable',
};

// Servers still running when the test process exits are killed, and every temp dir made here is
// removed (also after a failed test), unless KHOMUN_TEST_KEEP is set (for debugging).
const live = new Set();
const roots = new Set();
process.on('exit', () => {
  for (const s of live) {
    try { s.proc.kill('SIGKILL'); } catch { /* already gone */ }
  }
  if (process.env.KHOMUN_TEST_KEEP) {
    if (roots.size) process.stderr.write(`kept test data: ${[...roots].join(' ')}\n`);
    if (pgDbs.size) process.stderr.write(`kept databases: ${[...pgDbs.values()].join(' ')}\n`);
    return;
  }
  for (const d of [...pgDbs.keys()]) dropPgDb(d);
  for (const r of roots) {
    try { fs.rmSync(r, { recursive: true, force: true }); } catch { /* ignore */ }
  }
});

function checkBinary() {
  if (!fs.existsSync(KHOMUN_BIN)) {
    throw new Error(`khomun binary not found at ${KHOMUN_BIN}: run \`make\` or set KHOMUN_BIN`);
  }
}

// Runs a CLI command synchronously. `--data DIR` is appended when dataDir is given (and `--db`
// with that directory's database on PostgreSQL, unless args has one).
export function runCli(args, { dataDir, env = {}, input, timeoutMs = 10_000 } = {}) {
  checkBinary();
  const argv = [...args];
  if (dataDir) argv.push('--data', dataDir);
  if (dataDir && !args.includes('--db')) argv.push(...dbArgs(dataDir));
  const r = spawnSync(KHOMUN_BIN, argv, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    input,
    timeout: timeoutMs,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// Initialises a fresh data directory; returns { root, dataDir, init } where init is the parsed
// `khomun init --format json` output ({agency, user, token, ...}).
export function initDataDir() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'khomun-api-'));
  roots.add(root);
  // `init` creates the directory itself (0700), so it is a not-yet-existing child of the temp root.
  const dataDir = path.join(root, 'data');
  let r;
  try {
    if (PG) pgDbs.set(dataDir, createPgDb());
    r = runCli(['init', '--format', 'json'], { dataDir });
  } catch (e) {
    dropPgDb(dataDir);
    fs.rmSync(root, { recursive: true, force: true });
    throw e;
  }
  if (r.status !== 0) {
    dropPgDb(dataDir);
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(`khomun init exited ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  let init;
  try {
    init = JSON.parse(r.stdout);
  } catch (e) {
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(`khomun init --format json printed invalid JSON (${e.message}):\n${r.stdout}`);
  }
  if (typeof init.token !== 'string' || !TOKEN_RE.test(init.token)) {
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(`khomun init JSON has no valid "token" field:\n${r.stdout}`);
  }
  return { root, dataDir, init };
}

function toHeaders(rawHeaders) {
  const h = new Headers();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) h.append(rawHeaders[i], rawHeaders[i + 1]);
  return h;
}

function parseJson(text) {
  if (text === '') return undefined;
  try { return JSON.parse(text); } catch { return undefined; }
}

// A request over node:http: the path is sent verbatim (no URL normalisation, unlike fetch), no
// header is added except Host (and Content-Length / Transfer-Encoding as node needs).
// `chunks`: an array of strings/Buffers written one by one (chunked when no content-length).
export function rawRequest(base, method, reqPath, { headers = {}, body, chunks } = {}) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = http.request({
      host: u.hostname, port: u.port, method, path: reqPath, headers, agent: false,
    }, (res) => {
      const bufs = [];
      res.on('data', (b) => bufs.push(b));
      res.on('end', () => {
        settled = true;
        const text = Buffer.concat(bufs).toString('utf8');
        resolve({ status: res.statusCode, headers: toHeaders(res.rawHeaders), text, json: parseJson(text) });
      });
      res.on('error', (e) => { if (!settled) { settled = true; reject(e); } });
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`raw ${method} ${reqPath} timed out`)));
    // The server may answer (e.g. 413) and close before the whole body is written; a write error
    // after that is not a failure, the response decides.
    req.on('error', (e) => {
      setTimeout(() => { if (!settled) { settled = true; reject(e); } }, 200);
    });
    if (chunks) {
      for (const c of chunks) req.write(c);
      req.end();
    } else {
      req.end(body);
    }
  });
}

// Starts `khomun serve`. Options:
//   args: extra serve arguments; env: extra environment;
//   reuse: a stopped server (stopped with keepDataDir) whose data dir and token to reuse.
export async function startServer(opts = {}) {
  checkBinary();
  let root, dataDir, init;
  if (opts.reuse) {
    ({ root, dataDir, init } = opts.reuse);
  } else {
    ({ root, dataDir, init } = initDataDir());
  }
  const token = init.token;
  const env = { ...process.env };
  delete env.KHOMUN_FAKE_NOW_OFFSET;
  delete env.KHOMUN_DATA;
  Object.assign(env, opts.env || {});
  const argv = ['serve', '--data', dataDir, '--listen', '127.0.0.1:0', '--threads', '2',
    ...dbArgs(dataDir), ...(opts.args || [])];
  const proc = spawn(KHOMUN_BIN, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => resolve({ code, signal }));
  });
  let exitInfo = null;
  exited.then((x) => { exitInfo = x; });

  const handle = { proc, root };
  live.add(handle);

  let base;
  try {
    base = await new Promise((resolve, reject) => {
      const re = /listening on http:\/\/(127\.0\.0\.1:\d+)/;
      const timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS);
      const check = () => {
        const m = re.exec(stderr);
        if (m) { clearTimeout(timer); resolve(`http://${m[1]}`); }
      };
      proc.stderr.on('data', check);
      proc.on('error', (e) => { clearTimeout(timer); reject(e); });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`exited early (code ${code}, signal ${signal})`));
      });
      check();
    });
  } catch (e) {
    proc.kill('SIGKILL');
    await exited;
    live.delete(handle);
    if (!opts.reuse) {
      dropPgDb(dataDir);
      fs.rmSync(root, { recursive: true, force: true });
    }
    throw new Error(`khomun serve did not become ready: ${e.message}\nargs: ${argv.join(' ')}\n` +
      `stderr:\n${stderr}`);
  }

  let stopped = null;
  const server = {
    base, token, dataDir, root, init, proc,
    db: pgDbs.get(dataDir) || null, // the PostgreSQL URI, or null (SQLite in dataDir)
    get port() { return Number(new URL(base).port); },
    stderrText: () => stderr,
    exitInfo: () => exitInfo,

    // Access-log lines (JSON objects with msg "request") seen so far.
    logLines() {
      const out = [];
      for (const line of stderr.split('\n')) {
        const t = line.trim();
        if (!t.startsWith('{')) continue;
        let o;
        try { o = JSON.parse(t); } catch { continue; }
        out.push(o);
      }
      return out;
    },

    // Polls stderr until pred(stderrText) is true.
    async waitForStderr(pred, timeoutMs = 3000) {
      const end = Date.now() + timeoutMs;
      while (!pred(stderr)) {
        if (Date.now() > end) throw new Error(`timed out waiting for server stderr; got:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },

    // fetch-based client. opts: body (JSON-encoded), rawBody (string/Buffer, sent as is with
    // Content-Type application/json unless headers override), token (null = no Authorization),
    // headers (a null value removes a default header).
    async api(method, p, o = {}) {
      const headers = {};
      const tok = o.token === undefined ? token : o.token;
      if (tok !== null) headers.authorization = `Bearer ${tok}`;
      let body;
      if (o.rawBody !== undefined) {
        body = o.rawBody;
        headers['content-type'] = 'application/json';
      } else if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] = 'application/json';
      }
      for (const [k, v] of Object.entries(o.headers || {})) {
        if (v === null) delete headers[k.toLowerCase()];
        else headers[k.toLowerCase()] = v;
      }
      let res, text;
      try {
        res = await fetch(base + p, {
          method, headers, body, redirect: 'manual',
          signal: AbortSignal.timeout(o.timeoutMs ?? REQUEST_TIMEOUT_MS),
        });
        text = await res.text();
      } catch (e) {
        const cause = e.cause ? ` (${e.cause.code || ''} ${e.cause.message || e.cause})` : '';
        const err = new Error(`${method} ${p}: ${e.name}: ${e.message}${cause}`, { cause: e });
        err.name = e.name; // keep TimeoutError / TypeError recognisable
        throw err;
      }
      return { status: res.status, headers: res.headers, text, json: parseJson(text) };
    },

    raw(method, p, o = {}) { return rawRequest(base, method, p, o); },

    // SIGTERM, wait for exit (≤ timeoutMs), assert exit code 0, remove the temp dir unless
    // keepDataDir. Returns { code, signal, elapsedMs }.
    async stop({ keepDataDir = false, timeoutMs = STOP_TIMEOUT_MS } = {}) {
      if (stopped) return stopped;
      stopped = (async () => {
        const t0 = Date.now();
        if (exitInfo === null) proc.kill('SIGTERM');
        let timer;
        const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), timeoutMs); });
        const res = await Promise.race([exited, timeout]);
        clearTimeout(timer);
        const elapsedMs = Date.now() - t0;
        if (res === null) {
          proc.kill('SIGKILL');
          await exited;
        }
        live.delete(handle);
        if (!keepDataDir && !process.env.KHOMUN_TEST_KEEP) {
          dropPgDb(dataDir);
          fs.rmSync(root, { recursive: true, force: true });
        }
        assert.ok(res !== null, `server did not exit within ${timeoutMs} ms of SIGTERM\nstderr:\n${stderr}`);
        assert.equal(res.signal, null, `server died of signal ${res.signal}\nstderr:\n${stderr}`);
        assert.equal(res.code, 0, `server exit code ${res.code} (want 0)\nstderr:\n${stderr}`);
        assert.doesNotMatch(stderr, /AddressSanitizer|LeakSanitizer|ThreadSanitizer|runtime error:/,
          `sanitizer report in server stderr:\n${stderr}`);
        return { ...res, elapsedMs };
      })();
      return stopped;
    },
  };
  return server;
}

// Asserts an RFC 9457 problem response and returns its body.
//   opts.type (default from status), opts.detail (exact), opts.detailMatch (RegExp),
//   opts.instance (exact)
export function assertProblem(res, status, opts = {}) {
  const ctx = `response: ${res.status} ${res.text}`;
  assert.equal(res.status, status, ctx);
  assert.match(res.headers.get('content-type') || '', /^application\/problem\+json(\s*;.*)?$/, ctx);
  const p = res.json;
  assert.ok(p && typeof p === 'object' && !Array.isArray(p), `problem body is not a JSON object: ${res.text}`);
  assert.equal(p.type, opts.type ?? PROBLEM_TYPES[status], ctx);
  assert.equal(typeof p.title, 'string', ctx);
  assert.ok(p.title.length > 0, ctx);
  assert.equal(p.status, status, ctx);
  assert.equal(typeof p.detail, 'string', ctx);
  assert.ok(p.detail.length > 0, ctx);
  assert.equal(typeof p.request_id, 'string', ctx);
  assert.equal(p.request_id, res.headers.get('x-request-id'), `request_id != X-Request-Id; ${ctx}`);
  if (opts.detail !== undefined) assert.equal(p.detail, opts.detail, ctx);
  if (opts.detailMatch !== undefined) assert.match(p.detail, opts.detailMatch, ctx);
  if (opts.instance !== undefined) assert.equal(p.instance, opts.instance, ctx);
  if (status === 400) {
    assert.ok(!('errors' in p) || Array.isArray(p.errors), ctx);
  } else {
    assert.ok(!('errors' in p), `errors only appears on validation problems; ${ctx}`);
  }
  return p;
}

// Asserts a 400 validation problem with an `errors` entry for `field` (each entry must carry
// field, message and message_th); returns that entry.
export function assertFieldError(res, field) {
  const p = assertProblem(res, 400);
  const ctx = `response: ${res.status} ${res.text}`;
  assert.ok(Array.isArray(p.errors) && p.errors.length > 0, `validation problem without errors; ${ctx}`);
  for (const e of p.errors) {
    assert.equal(typeof e.field, 'string', ctx);
    assert.equal(typeof e.message, 'string', ctx);
    assert.ok(e.message.length > 0, ctx);
    assert.equal(typeof e.message_th, 'string', ctx);
    assert.ok(e.message_th.length > 0, ctx);
  }
  const e = p.errors.find((x) => x.field === field);
  assert.ok(e, `no error for field "${field}"; ${ctx}`);
  return e;
}

export function assertUnauthorized(res, detail) {
  const p = assertProblem(res, 401, { detail });
  assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="khomun"');
  return p;
}

export function assertJson(res, status) {
  assert.equal(res.status, status, `response: ${res.status} ${res.text}`);
  assert.match(res.headers.get('content-type') || '', /^application\/json(\s*;.*)?$/,
    `content-type ${res.headers.get('content-type')}`);
  assert.ok(res.json !== undefined, `body is not JSON: ${res.text}`);
  return res.json;
}

export function assertTimeNear(t, expectMs, toleranceMs, what = 'time') {
  assert.match(t, TIME_RE, `${what} ${t} is not RFC 3339 UTC with ms`);
  const d = Math.abs(Date.parse(t) - expectMs);
  assert.ok(d <= toleranceMs, `${what} ${t} is ${d} ms away from ${new Date(expectMs).toISOString()}`);
}

// All items of a list route (≤ 500 expected in tests).
export async function listAll(s, p) {
  const sep = p.includes('?') ? '&' : '?';
  const r = await s.api('GET', `${p}${sep}limit=500`);
  const j = assertJson(r, 200);
  assert.ok(Array.isArray(j.items), r.text);
  assert.equal(j.next_cursor, null, 'more than 500 items in a test list');
  return j.items;
}

// Follows next_cursor with the given page size; returns { items, pages }.
export async function paginate(s, p, limit) {
  const sep = p.includes('?') ? '&' : '?';
  const items = [];
  const pages = [];
  let cursor = null;
  for (let i = 0; i < 1000; i++) {
    const q = `${p}${sep}limit=${limit}` + (cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`);
    const r = await s.api('GET', q);
    const j = assertJson(r, 200);
    assert.deepEqual(Object.keys(j).sort(), ['items', 'next_cursor'], r.text);
    assert.ok(Array.isArray(j.items), r.text);
    assert.ok(j.items.length <= limit, `page larger than limit ${limit}: ${j.items.length}`);
    pages.push(j.items.length);
    items.push(...j.items);
    if (j.next_cursor === null) return { items, pages };
    assert.equal(typeof j.next_cursor, 'string', r.text);
    assert.ok(j.next_cursor.length > 0, r.text);
    assert.equal(j.items.length, limit, `a non-final page must be full: ${r.text}`);
    cursor = j.next_cursor;
  }
  throw new Error('pagination did not terminate');
}

export function randomToken() {
  const b = crypto.getRandomValues(new Uint8Array(32));
  return 'khm_' + Buffer.from(b).toString('base64url');
}

export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
