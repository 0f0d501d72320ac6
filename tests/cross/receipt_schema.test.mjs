// Consent receipts (docs/consent-receipts.md) checked by independent implementations:
//   - receipts made by the real library (the unit-test program writes them with the published
//     TEST key: KHM_RECEIPT_FIXTURES=DIR build/tests/unit/pdpa/receipt) validate with ajv against
//     the Kantara Consent Receipt v1.1 schema written from the specification's required fields
//     (docs/schemas/kantara-consent-receipt-v1.1.schema.json) and against Khomun's document schema;
//   - their signatures verify with Node's own Ed25519 and a JCS made of JSON.stringify over
//     sorted keys (ECMAScript sorts strings by UTF-16 code units, as RFC 8785 asks), and a receipt
//     signed by Node verifies with `khomun consent verify` — so the scheme is what the docs say,
//     not only what the C code does;
//   - tampering with each of several fields makes `khomun consent verify` exit 10 naming why.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import Ajv from 'ajv';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KHOMUN_BIN = resolve(REPO, process.env.KHOMUN_BIN || 'build/khomun');
const GENERATOR = join(dirname(KHOMUN_BIN), 'tests', 'unit', 'pdpa', 'receipt');
const SCHEMAS = join(REPO, 'docs', 'schemas');
const FILES = ['given-th.json', 'withdrawn-en.json'];
const TEST_SEED = Buffer.concat([Buffer.from('khomun receipt TEST key, public'), Buffer.alloc(1)]);

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const jcs = (v) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x)
  ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
const rawPublicKey = (hex) => createPublicKey({
  key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(hex, 'hex')]),
  format: 'der', type: 'spki',
});
const testPrivateKey = () => createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), TEST_SEED]),
  format: 'der', type: 'pkcs8',
});

function khomunVerify(file, ...args) {
  const r = spawnSync(KHOMUN_BIN, ['consent', 'verify', file, '--format', 'json', ...args],
    { encoding: 'utf8', timeout: 10_000 });
  return { status: r.status, report: r.stdout ? JSON.parse(r.stdout) : null, stderr: r.stderr };
}

describe('consent receipts: Kantara v1.1 schema (ajv) and an independent signature check', () => {
  let dir;
  const docs = {};
  let kantara, khomun;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'khomun-receipts-'));
    const g = spawnSync(GENERATOR, [], { env: { ...process.env, KHM_RECEIPT_FIXTURES: dir }, encoding: 'utf8' });
    assert.equal(g.status, 0, `${GENERATOR} (make unit first): ${g.stderr} ${g.error ?? ''}`);
    for (const f of FILES) docs[f] = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    const kschema = JSON.parse(readFileSync(join(SCHEMAS, 'kantara-consent-receipt-v1.1.schema.json'), 'utf8'));
    ajv.addSchema(kschema);
    kantara = ajv.getSchema(kschema.$id);
    khomun = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'khomun-consent-receipt.schema.json'), 'utf8')));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('receipts from the library validate against the Kantara v1.1 schema and Khomun\'s', () => {
    for (const f of FILES) {
      assert.ok(kantara(docs[f].receipt), `${f}: ${JSON.stringify(kantara.errors)}`);
      assert.ok(khomun(docs[f]), `${f}: ${JSON.stringify(khomun.errors)}`);
    }
  });

  it('the schema is not vacuous: each Kantara-required member removed, or of the wrong type, fails it', () => {
    const rec = docs['given-th.json'].receipt;
    for (const k of kantara.schema.required) {
      const copy = structuredClone(rec);
      delete copy[k];
      assert.equal(kantara(copy), false, `without ${k}`);
    }
    const bad = [
      (r) => { r.consentTimestamp = '2026-01-01'; },
      (r) => { r.sensitive = 'yes'; },
      (r) => { r.piiControllers = []; },
      (r) => { delete r.piiControllers[0].email; },
      (r) => { delete r.services[0].purposes[0].thirdPartyName; }, // oneOf: disclosure needs a name
      (r) => { r.services[0].purposes[0].piiCategory = ['Official ID']; },
    ];
    for (const change of bad) {
      const copy = structuredClone(rec);
      change(copy);
      assert.equal(kantara(copy), false, change.toString());
    }
  });

  it('the signature verifies with Node\'s Ed25519 over b64url(header) "." JCS(receipt) (RFC 7797)', () => {
    for (const f of FILES) {
      const { receipt, jws } = docs[f];
      const [h, payload, sig] = jws.split('.');
      assert.equal(payload, '', 'detached payload');
      assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url')),
        { alg: 'EdDSA', b64: false, crit: ['b64'], kid: receipt.piiControllers[0].piiControllerId });
      const input = Buffer.from(`${h}.${jcs(receipt)}`, 'utf8');
      assert.ok(verify(null, input, rawPublicKey(receipt.publicKey), Buffer.from(sig, 'base64url')), f);
      const changed = Buffer.from(`${h}.${jcs({ ...receipt, consentEvent: 'x' })}`, 'utf8');
      assert.equal(verify(null, changed, rawPublicKey(receipt.publicKey), Buffer.from(sig, 'base64url')), false);
    }
  });

  it('a receipt signed by Node (same scheme, same TEST key) verifies with khomun consent verify', () => {
    const receipt = structuredClone(docs['withdrawn-en.json'].receipt);
    receipt.consentReceiptID = '019a2b3c-4d5e-7f60-8a1b-2c3d4e5f0000';
    receipt.purposeNote = 'ภาษาไทย 😀 "quoted" \u0001'; // escapes and a non-BMP character
    const h = b64url(JSON.stringify({ alg: 'EdDSA', b64: false, crit: ['b64'], kid: 'demo' }));
    const sig = sign(null, Buffer.from(`${h}.${jcs(receipt)}`, 'utf8'), testPrivateKey());
    const file = join(dir, 'node-signed.json');
    writeFileSync(file, JSON.stringify({ receipt, jws: `${h}..${b64url(sig)}` }, null, 3));
    const r = khomunVerify(file, '--key', receipt.publicKey);
    assert.equal(r.status, 0, JSON.stringify(r.report?.problems) + r.stderr);
    assert.equal(r.report.valid, true);
    assert.equal(r.report.key_pinned, true);
  });

  it('each tampered field makes khomun consent verify exit 10 and say why', () => {
    const cases = [
      ['consent event', (d) => { d.receipt.consentEvent = 'given'; }, ['bad-signature jws.signature'], 'withdrawn-en.json'],
      ['principal', (d) => { d.receipt.piiPrincipalId = '1'.repeat(64); }, ['bad-signature jws.signature']],
      ['timestamp', (d) => { d.receipt.consentTimestamp -= 3600; }, ['bad-signature jws.signature']],
      ['Thai controller name', (d) => { d.receipt.piiControllers[0].piiController = 'กรมควบคุมโลก'; }, ['bad-signature jws.signature']],
      ['purpose category', (d) => { d.receipt.services[0].purposes[0].purposeCategory = ['6 - Marketing']; }, ['bad-signature jws.signature']],
      ['a recipient hidden', (d) => { d.receipt.services[0].purposes[0].thirdPartyDisclosure = false; }, ['bad-signature jws.signature']],
      ['DPO removed', (d) => { d.receipt.dpo = null; }, ['bad-signature jws.signature']],
      ['spiCat removed', (d) => { delete d.receipt.spiCat; }, ['missing-field receipt.spiCat', 'bad-signature jws.signature']],
      ['version', (d) => { d.receipt.version = 'KI-CR-v1.0.0'; }, ['wrong-version receipt.version', 'bad-signature jws.signature']],
      ['kid', (d) => { d.jws = `${b64url(JSON.stringify({ alg: 'EdDSA', b64: false, crit: ['b64'], kid: 'other' }))}..${d.jws.split('..')[1]}`; },
        ['kid-mismatch jws.header.kid', 'bad-signature jws.signature']],
      ['signature cut', (d) => { d.jws = d.jws.slice(0, -4); }, ['bad-base64url jws.signature']],
      ['signature shortened', (d) => { d.jws = `${d.jws.split('..')[0]}..${b64url(Buffer.alloc(63))}`; }, ['bad-jws jws.signature']],
      ['public key swapped', (d) => { d.receipt.publicKey = '2'.repeat(64); }, ['bad-signature jws.signature']],
    ];
    for (const [what, change, want, base = 'given-th.json'] of cases) {
      const d = structuredClone(docs[base]);
      change(d);
      const file = join(dir, 'tampered.json');
      writeFileSync(file, JSON.stringify(d, null, 2));
      const r = khomunVerify(file);
      assert.equal(r.status, 10, `${what}: exit ${r.status} ${r.stderr}`);
      assert.equal(r.report.valid, false, what);
      assert.deepEqual(r.report.problems.map((p) => `${p.code} ${p.path}`), want, what);
    }
  });
});
