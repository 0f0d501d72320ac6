// Cross-check of the Thai national ID rule (TH_TNIN, thai-rules.md §4.1) against an independent
// implementation: the npm package thai-id-validator (pinned in tests/package.json), whose whole
// rule is "13 digits and (11 − Σ d_i·(14−i) mod 11) mod 10 == d_13" — no first-digit rule.
//
// A deterministic sample of 13-digit numbers (half with the right check digit, the rest with
// every wrong one, every first digit, plain and grouped 1-2345-67890-12-1) is written one per
// line after a context word and scanned by `khomun scan --format jsonl --show-values
// --input-format text`. The rules differ in one place: khomun does not report a first digit of
// 0 (a juristic person: TH_JURISTIC_ID, same check digit) or 9 as TH_TNIN. So:
//   first digit 1–8: the lines khomun reports as TH_TNIN  == the lines the package accepts;
//   first digit 0:   no TH_TNIN; the lines reported as TH_JURISTIC_ID == the lines it accepts;
//   first digit 9:   nothing is reported, though the package accepts about half of them.
// Plain numbers starting with 4 that pass Luhn but are not valid IDs are 13-digit Visa numbers:
// they are expected as CREDIT_CARD (docs/detectors/CREDIT_CARD.md), and nothing else is.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const KHOMUN_BIN = process.env.KHOMUN_BIN || 'build/khomun';
const BASES = 50_000; // each gives its valid number and one wrong check digit
const FULL = 1_000; // of which the first FULL also give every other wrong check digit
const CONTEXT = 'เลขประจำตัวประชาชน';

// xorshift32: the same sample on every run and every machine
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

// The check digit by thai-rules.md §4.1, only to build the sample: what counts as valid is
// decided by the package, never by this function.
function checkDigit(twelve) {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelve[i]) * (13 - i);
  return (11 - (sum % 11)) % 10;
}

const group = (n) => `${n[0]}-${n.slice(1, 5)}-${n.slice(5, 10)}-${n.slice(10, 12)}-${n[12]}`;

function makeSample() {
  const next = rng(0x7a1d2562);
  const sample = []; // { digits, text }; line i + 1 of the file holds sample[i]
  for (let b = 0; b < BASES; b++) {
    let twelve = String(b % 10); // every first digit, equally often
    for (let i = 1; i < 12; i++) twelve += String(next() % 10);
    const good = checkDigit(twelve);
    const wrong = [];
    for (let w = 1; w <= 9; w++) wrong.push((good + w) % 10);
    const checks = [good, ...(b < FULL ? wrong : [wrong[b % 9]])];
    for (const c of checks) {
      const digits = twelve + c;
      sample.push({ digits, text: Math.floor(b / 10) % 2 ? group(digits) : digits });
    }
  }
  return sample;
}

const firstDigit = (s) => Number(s.digits[0]);
const setOf = (sample, pred) => new Set(sample.flatMap((s, i) => (pred(s) ? [i + 1] : [])));

// expected: the line numbers the reference accepts (named in `what`); actual: those reported
function assertSameLines(actual, expected, what, sample) {
  const missing = [...expected].filter((l) => !actual.has(l));
  const extra = [...actual].filter((l) => !expected.has(l));
  const show = (ls) => ls.slice(0, 5).map((l) => `line ${l}: ${sample[l - 1].text}`).join('; ');
  assert.ok(missing.length === 0 && extra.length === 0,
    `${what}: ${missing.length} expected but not reported (${show(missing)}); ` +
    `${extra.length} reported but not expected (${show(extra)})`);
}

describe('TH_TNIN against thai-id-validator', { timeout: 120_000 }, () => {
  let dir;
  let sample;
  let accepted; // line numbers the package accepts
  const found = { TH_TNIN: new Set(), TH_JURISTIC_ID: new Set() };
  const other = [];

  before(async () => {
    let isValidThaiID;
    try {
      ({ default: isValidThaiID } = await import('thai-id-validator'));
    } catch (e) {
      throw new Error(`thai-id-validator is not installed (cd tests && npm ci): ${e.message}`);
    }
    assert.equal(typeof isValidThaiID, 'function');
    sample = makeSample();
    accepted = setOf(sample, (s) => isValidThaiID(s.digits));

    dir = mkdtempSync(join(tmpdir(), 'khomun-cross-'));
    const file = join(dir, 'ids.txt');
    writeFileSync(file, sample.map((s) => `${CONTEXT} ${s.text}\n`).join(''));
    const out = execFileSync(KHOMUN_BIN,
      ['scan', '--format', 'jsonl', '--show-values', '--input-format', 'text', file],
      { encoding: 'utf8', maxBuffer: 1 << 30 });
    for (const line of out.split('\n')) {
      if (!line) continue;
      const r = JSON.parse(line);
      if (r.kind !== 'finding') continue;
      const s = sample[r.line - 1];
      assert.ok(s, `finding on line ${r.line}, outside the sample`);
      assert.equal(r.value, s.text, `line ${r.line}: the value reported is not the whole number`);
      if (found[r.type]) {
        assert.ok(!found[r.type].has(r.line), `line ${r.line}: ${r.type} reported twice`);
        found[r.type].add(r.line);
      } else {
        other.push(r);
      }
    }
  }, { timeout: 100_000 });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('the sample: >= 100,000 numbers, about half valid, every first digit, every wrong check digit', () => {
    assert.ok(sample.length >= 100_000, `${sample.length} numbers`);
    const share = accepted.size / sample.length;
    assert.ok(share > 0.45 && share < 0.5, `share accepted ${share}`);
    for (let f = 0; f <= 9; f++) {
      const withF = sample.filter((s) => firstDigit(s) === f);
      const offsets = new Set(withF.map((s) =>
        (Number(s.digits[12]) - checkDigit(s.digits.slice(0, 12)) + 10) % 10));
      assert.equal(offsets.size, 10, `first digit ${f}: ${[...offsets]} of the ten check digits`);
      assert.ok(withF.some((s) => s.text.includes('-')) && withF.some((s) => !s.text.includes('-')),
        `first digit ${f}: plain and grouped forms`);
    }
  });

  it('other types: only 13-digit Visa numbers (4…, Luhn) that are not valid IDs, as CREDIT_CARD', () => {
    // docs/detectors/CREDIT_CARD.md: a 13-digit number valid as both is reported as TH_TNIN
    const luhn = (d) => [...d].reverse().reduce((sum, c, i) => {
      const v = Number(c) * (i % 2 ? 2 : 1);
      return sum + (v > 9 ? v - 9 : v);
    }, 0) % 10 === 0;
    const bad = other.filter((o) => {
      const s = sample[o.line - 1];
      return o.type !== 'CREDIT_CARD' || s.digits[0] !== '4' || !luhn(s.digits) || accepted.has(o.line);
    });
    assert.deepEqual(bad.slice(0, 10).map((o) => `line ${o.line}: ${o.type} ${o.value}`), []);
    const cards = setOf(sample, (s) => s.digits[0] === '4' && !s.text.includes('-') && luhn(s.digits));
    const expectedCards = new Set([...cards].filter((l) => !accepted.has(l)));
    assertSameLines(new Set(other.map((o) => o.line)), expectedCards, 'CREDIT_CARD vs Luhn', sample);
  });

  it('first digit 1-8: TH_TNIN exactly where thai-id-validator accepts', () => {
    const person = (s) => firstDigit(s) >= 1 && firstDigit(s) <= 8;
    const expected = new Set([...accepted].filter((l) => person(sample[l - 1])));
    assert.ok(expected.size > 30_000, `${expected.size} valid person numbers`);
    assertSameLines(found.TH_TNIN, expected, 'TH_TNIN vs thai-id-validator', sample);
  });

  it('first digit 0: never TH_TNIN; TH_JURISTIC_ID exactly where thai-id-validator accepts', () => {
    const expected = new Set([...accepted].filter((l) => firstDigit(sample[l - 1]) === 0));
    assert.ok(expected.size > 4_000, `${expected.size} valid numbers starting with 0`);
    assertSameLines(found.TH_JURISTIC_ID, expected, 'TH_JURISTIC_ID vs thai-id-validator', sample);
    const tnin0 = [...found.TH_TNIN].filter((l) => firstDigit(sample[l - 1]) === 0);
    assert.deepEqual(tnin0, [], 'TH_TNIN reported for a first digit 0');
  });

  it('first digit 9: thai-id-validator accepts about half, khomun reports none (a rule difference)', () => {
    const nine = (l) => firstDigit(sample[l - 1]) === 9;
    const acceptedNine = [...accepted].filter(nine);
    assert.ok(acceptedNine.length > 4_000, `${acceptedNine.length} valid numbers starting with 9`);
    const reported = [...found.TH_TNIN, ...found.TH_JURISTIC_ID].filter(nine);
    assert.deepEqual(reported, [], 'a number starting with 9 was reported');
  });
});
