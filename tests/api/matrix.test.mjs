// The authorization matrix (issue 6): every route × every caller (× every target, for routes
// that name a record) → the expected outcome, generated from the route table so that a new route
// cannot skip it. The expectations are declared per scope ("<action>:<kind>" or "public"), not per
// route, and follow the default policy (docs/policy.md, "The default policy" and "Deciding for the
// routes"). One server; sequential requests; fresh names from a counter (deterministic).
//
// A cell's outcome is one of
//   allowed          the route's normal success (2xx), or 404 when the target does not exist;
//                    a write really happened; the audit event is a success "allowed by rule R"
//   denied           403 urn:khomun:problem:forbidden, detail "<action> <kind> is not allowed for the
//                    role '<role>': … (rule default-deny, policy …)"; nothing changed; the audit
//                    event has outcome "denied"
//   unauthenticated  401 with the authenticator's detail; nothing changed; audit outcome "denied"
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { readFileSync } from 'node:fs';

import {
  AGGREGATED_EVENTS, ROLES, ROUTES, TOKEN_RE, assertJson, assertProblem, assertUnauthorized, gdcMetadata,
  listAll, sleep, startServer,
} from './harness.mjs';

// ---- the expectations, per scope ----------------------------------------------------------------
//
// A row: auth (false: the route is public, no authentication and the Authorization header is
// ignored — router.c only authenticates non-public routes); targets: for each target, the allow
// rules of the default policy that can decide it, in the policy file's order (the first rule
// that covers the caller's role decides, as khm_access_decide() walks allow rules in file order).
// No rule covers the role → denied (default-deny: no deny rule of the default policy names these
// actions on these kinds). Without a token, any non-public scope is unauthenticated (401): the
// router authenticates before it decides.
//
// Targets: `collection` (a route without an {id}); `self` (whoami, decide: the caller's own user,
// khm_resolve_self); for {id} routes, by kind —
//   user:   self (own id), self-name (own login name), peer (another user of the caller's agency),
//           foreign (a user of another agency), unknown (no such user)
//   token:  self (the token making the request), self-spare (another token of the caller's user),
//           peer, foreign, unknown
//   agency: self (own agency by id), self-slug, foreign, foreign-slug, unknown
const RECEIPT = JSON.parse(readFileSync(new URL('../fixtures/receipts/given-th.json', import.meta.url), 'utf8'));
const ANYONE = 'anyone';
const AUTHENTICATED = 'authenticated';
const ADMIN = [['admin'], 'admin-administer'];

const EXPECT = {
  // policy.md, Deciding for the routes: GET /healthz, /readyz, version, openapi.json, /, /assets/…
  // → read-metadata system; rule system-public (anyone, also anonymous).
  public: {
    auth: false,
    cite: 'system-public (anyone: read-metadata on system)',
    targets: { collection: [[ANYONE, 'system-public']], asset: [[ANYONE, 'system-public']] },
  },
  // whoami / decide: user = the caller (self-read, every authenticated role); users list: no id
  // (admin); users/{id}: admin, or self — "decide before loading, so a 403 does not tell whether
  // the user exists" (so unknown is 403 for non-admins, 404 for admin).
  'read-metadata:user': {
    auth: true,
    cite: 'admin-administer (admin: read-metadata user) + self-read (authenticated, self)',
    targets: {
      collection: [ADMIN],
      self: [ADMIN, [AUTHENTICATED, 'self-read']],
      'self-name': [ADMIN, [AUTHENTICATED, 'self-read']],
      peer: [ADMIN],
      foreign: [ADMIN],
      unknown: [ADMIN],
    },
  },
  // tokens list: admin; tokens/{id}: admin, or the caller's own token / a token of the caller's
  // user (self-read's `self`: "its own token, or a token of the caller's user").
  'read-metadata:token': {
    auth: true,
    cite: 'admin-administer (admin: read-metadata token) + self-read (authenticated, self)',
    targets: {
      collection: [ADMIN],
      self: [ADMIN, [AUTHENTICATED, 'self-read']],
      'self-spare': [ADMIN, [AUTHENTICATED, 'self-read']],
      peer: [ADMIN],
      foreign: [ADMIN],
      unknown: [ADMIN],
    },
  },
  // agencies list: no id, no owner (admin); agencies/{id}: admin, or own agency (own-agency-read,
  // same_agency: id and owner = the agency's uuid, a slug resolved first).
  'read-metadata:agency': {
    auth: true,
    cite: 'admin-administer (admin: read-metadata agency) + own-agency-read (authenticated, same agency)',
    targets: {
      collection: [ADMIN],
      self: [ADMIN, [AUTHENTICATED, 'own-agency-read']],
      'self-slug': [ADMIN, [AUTHENTICATED, 'own-agency-read']],
      foreign: [ADMIN],
      'foreign-slug': [ADMIN],
      unknown: [ADMIN],
    },
  },
  // administer on agency / user / token: admin-administer (admin), with no agency condition — the
  // installation's administrator, so an admin of another agency is allowed too.
  'administer:agency': {
    auth: true,
    cite: 'admin-administer (admin: administer agency), any agency (PUT /api/v1/agencies/{id} too)',
    targets: {
      collection: [ADMIN], self: [ADMIN], 'self-slug': [ADMIN], foreign: [ADMIN],
      'foreign-slug': [ADMIN], unknown: [ADMIN],
    },
  },
  'administer:user': {
    auth: true,
    cite: 'admin-administer (admin: administer user); no self rule for administer',
    targets: {
      collection: [ADMIN], self: [ADMIN], 'self-name': [ADMIN], peer: [ADMIN], foreign: [ADMIN],
      unknown: [ADMIN],
    },
  },
  'administer:token': {
    auth: true,
    cite: 'admin-administer (admin: administer token); no self rule for administer',
    targets: {
      collection: [ADMIN], self: [ADMIN], 'self-spare': [ADMIN], peer: [ADMIN], foreign: [ADMIN],
      unknown: [ADMIN],
    },
  },
  // audit-read: auditor, admin, dpo (§1.12); no agency condition.
  'audit-read:audit': {
    auth: true,
    cite: 'audit-read (auditor, admin, dpo: audit-read audit)',
    targets: { collection: [[['auditor', 'admin', 'dpo'], 'audit-read']] },
  },
  // GET /api/v1/datasets: open to every authenticated caller (system-public); the rows are
  // decided one by one (datasets-list.md).
  'read-metadata:system': {
    auth: 'optional',
    cite: 'admin-administer (admin, first in the file) + system-public (anyone)',
    targets: { collection: [ADMIN, [ANYONE, 'system-public']] },
  },
  // Datasets (policy.md, the dataset rules; targets relative to the caller: own = the caller's
  // agency, foreign = the other one; every caller has clearance internal):
  //   public (ข้อมูลสาธารณะ/เปิดเผย): public-data-read, anyone;
  //   internal (ข้อมูลใช้ภายใน/ชั้นเผยแพร่ภายในองค์กร): internal-staff-read, own agency;
  //   confidential (ข้อมูลส่วนบุคคล/ลับ): classified-read needs clearance confidential (none
  //   has it), so only dpo-personal-metadata (dpo of the agency; personal data);
  //   unknown: the level is unknown, the level rules deny.
  'read-metadata:dataset': {
    auth: 'optional',
    cite: 'public-data-read, internal-staff-read, dpo-personal-metadata',
    targets: {
      'own-public': [[ANYONE, 'public-data-read']],
      'own-internal': [[AUTHENTICATED, 'internal-staff-read']],
      'own-confidential': [[['dpo'], 'dpo-personal-metadata']],
      'foreign-public': [[ANYONE, 'public-data-read']],
      'foreign-internal': [],
      unknown: [],
    },
  },
  // read-data (a resource's download): public-data-read (anyone), internal-staff-read (own
  // agency); classified-read needs clearance confidential (none has it). The matrix sends a
  // purpose with a lawful basis (X-Khomun-Purpose-Basis), so the deny rule
  // personal-data-needs-basis does not decide the personal dataset (resources.test.mjs does).
  'read-data:dataset': {
    auth: 'optional',
    cite: 'public-data-read, internal-staff-read (read-data, with a purpose basis)',
    targets: {
      'own-public': [[ANYONE, 'public-data-read']],
      'own-internal': [[AUTHENTICATED, 'internal-staff-read']],
      'own-confidential': [],
      'foreign-public': [[ANYONE, 'public-data-read']],
      'foreign-internal': [],
      unknown: [],
    },
  },
  // write: dataset-write — owner, steward, custodian of the agency, clearance ≥ level.
  'write:dataset': {
    auth: true,
    cite: 'dataset-write (owner, steward, custodian; same agency; clearance ≥ level)',
    targets: {
      collection: [[['owner', 'steward', 'custodian'], 'dataset-write']],
      'own-public': [[['owner', 'steward', 'custodian'], 'dataset-write']],
      'own-internal': [[['owner', 'steward', 'custodian'], 'dataset-write']],
      'own-confidential': [],
      'foreign-public': [],
      'foreign-internal': [],
      unknown: [],
    },
  },
  // classify: classify-by-owner (owner of the agency), then classify-by-admin (any agency).
  'classify:dataset': {
    auth: true,
    cite: 'classify-by-owner (owner, same agency) + classify-by-admin (admin)',
    targets: {
      'own-public': [[['owner'], 'classify-by-owner'], [['admin'], 'classify-by-admin']],
      'own-internal': [[['owner'], 'classify-by-owner'], [['admin'], 'classify-by-admin']],
      'own-confidential': [[['owner'], 'classify-by-owner'], [['admin'], 'classify-by-admin']],
      'foreign-public': [[['admin'], 'classify-by-admin']],
      'foreign-internal': [[['admin'], 'classify-by-admin']],
      unknown: [[['admin'], 'classify-by-admin']],
    },
  },
  // PDPA records (issue 5; policy.md, the pdpa rules): the agency's data-subject requests and
  // breach register. Collections are the caller's own agency's (khm_resolve_own_agency); {id}
  // routes decide on the record as stored (own: the caller's agency, foreign: the other one;
  // unknown: no owner, so the same-agency rules deny). pdpa-dpo-manage (dpo, admin: read-metadata
  // + write, same agency) comes before pdpa-auditor-read (auditor: read-metadata) and
  // breach-report-by-staff (owner, steward, custodian, analyst: write breach).
  'read-metadata:request': {
    auth: true,
    cite: 'pdpa-dpo-manage (dpo, admin; same agency) + pdpa-auditor-read (auditor; same agency)',
    targets: {
      collection: [[['dpo', 'admin'], 'pdpa-dpo-manage'], [['auditor'], 'pdpa-auditor-read']],
      own: [[['dpo', 'admin'], 'pdpa-dpo-manage'], [['auditor'], 'pdpa-auditor-read']],
      foreign: [],
      unknown: [],
    },
  },
  'write:request': {
    auth: true,
    cite: 'pdpa-dpo-manage (dpo, admin; same agency)',
    targets: {
      collection: [[['dpo', 'admin'], 'pdpa-dpo-manage']],
      own: [[['dpo', 'admin'], 'pdpa-dpo-manage']],
      foreign: [],
      unknown: [],
    },
  },
  'read-metadata:breach': {
    auth: true,
    cite: 'pdpa-dpo-manage (dpo, admin; same agency) + pdpa-auditor-read (auditor; same agency)',
    targets: {
      collection: [[['dpo', 'admin'], 'pdpa-dpo-manage'], [['auditor'], 'pdpa-auditor-read']],
      own: [[['dpo', 'admin'], 'pdpa-dpo-manage'], [['auditor'], 'pdpa-auditor-read']],
      foreign: [],
      unknown: [],
    },
  },
  // staff report a breach and add actions (breach-report-by-staff); changing the assessment,
  // recording notifications and closing are the DPO's: those handlers refuse what only that rule
  // allowed (HANDLER_DENY below; h_breaches.c, policy.md)
  'write:breach': {
    auth: true,
    cite: 'pdpa-dpo-manage (dpo, admin; same agency) + breach-report-by-staff (owner, steward, custodian, analyst; same agency)',
    targets: {
      collection: [[['dpo', 'admin'], 'pdpa-dpo-manage'],
        [['owner', 'steward', 'custodian', 'analyst'], 'breach-report-by-staff']],
      own: [[['dpo', 'admin'], 'pdpa-dpo-manage'],
        [['owner', 'steward', 'custodian', 'analyst'], 'breach-report-by-staff']],
      foreign: [],
      unknown: [],
    },
  },
  // The record of processing (PDPA s.39; policy.md, the PDPA rules): the caller's own agency's
  // (collections: khm_resolve_own_agency) or the activity's agency ({id}: khm_resolve_ropa).
  // pdpa-dpo-manage (dpo, admin of the agency: read-metadata + write), pdpa-auditor-read
  // (auditor of the agency: read-metadata). own = an activity of the caller's agency, foreign =
  // of the other; unknown: no agency, so the same-agency rules deny.
  'read-metadata:ropa': {
    auth: true,
    cite: 'pdpa-dpo-manage (dpo, admin; same agency) + pdpa-auditor-read (auditor; same agency)',
    targets: {
      collection: [[['dpo', 'admin'], 'pdpa-dpo-manage'], [['auditor'], 'pdpa-auditor-read']],
      own: [[['dpo', 'admin'], 'pdpa-dpo-manage'], [['auditor'], 'pdpa-auditor-read']],
      foreign: [],
      unknown: [],
    },
  },
  'write:ropa': {
    auth: true,
    cite: 'pdpa-dpo-manage (dpo, admin; same agency)',
    targets: {
      collection: [[['dpo', 'admin'], 'pdpa-dpo-manage']],
      own: [[['dpo', 'admin'], 'pdpa-dpo-manage']],
      foreign: [],
      unknown: [],
    },
  },
  // POST /api/v1/scan: the people who handle data (rule scanner-use); not the auditor.
  'read-data:scanner': {
    auth: true,
    cite: 'scanner-use (admin, dpo, owner, steward, custodian, analyst: read-data scanner)',
    targets: {
      collection: [[['admin', 'dpo', 'owner', 'steward', 'custodian', 'analyst'], 'scanner-use']],
    },
  },
};

// Routes whose handler refuses what one allow rule granted, because the route table's one
// action cannot tell reporting a breach from managing it (h_breaches.c; policy.md): the cell is
// denied with that rule named in the detail.
const HANDLER_DENY = {
  'PUT /api/v1/breaches/{id}': 'breach-report-by-staff',
  'POST /api/v1/breaches/{id}/notify-office': 'breach-report-by-staff',
  'POST /api/v1/breaches/{id}/notify-subjects': 'breach-report-by-staff',
  'POST /api/v1/breaches/{id}/close': 'breach-report-by-staff',
};

// PDPA purposes and consents (policy.md, the PDPA rules; all same_agency, and every route
// decides on the caller's own agency: collections by khm_resolve_own_agency, purposes/{id} by
// khm_resolve_purpose, which looks a purpose up in the caller's agency only — one of another
// agency is "none here", allowed to ask and answered 404, telling nothing about others).
const DPO_MANAGE = [['dpo', 'admin'], 'pdpa-dpo-manage'];
EXPECT['read-metadata:purpose'] = {
  auth: true,
  cite: 'pdpa-staff-read-purposes (authenticated, same agency)',
  targets: {
    collection: [[AUTHENTICATED, 'pdpa-staff-read-purposes']],
    own: [[AUTHENTICATED, 'pdpa-staff-read-purposes']],
    foreign: [[AUTHENTICATED, 'pdpa-staff-read-purposes']],
  },
};
EXPECT['write:purpose'] = {
  auth: true,
  cite: 'pdpa-dpo-manage (dpo, admin; same agency)',
  targets: { collection: [DPO_MANAGE], own: [DPO_MANAGE], foreign: [DPO_MANAGE] },
};
EXPECT['read-metadata:consent'] = {
  auth: true,
  cite: 'pdpa-dpo-manage (dpo, admin) + pdpa-auditor-read (auditor) + consent-record-by-systems (custodian)',
  targets: {
    collection: [DPO_MANAGE, [['auditor'], 'pdpa-auditor-read'], [['custodian'], 'consent-record-by-systems']],
  },
};
EXPECT['write:consent'] = {
  auth: true,
  cite: 'pdpa-dpo-manage (dpo, admin) + consent-record-by-systems (custodian)',
  targets: { collection: [DPO_MANAGE, [['custodian'], 'consent-record-by-systems']] },
};
EXPECT['read-data:consent'] = {
  auth: true,
  cite: 'consent-record-by-systems (custodian) + consent-check (dpo, admin, owner, steward, custodian, analyst)',
  targets: {
    collection: [[['custodian'], 'consent-record-by-systems'],
      [['dpo', 'admin', 'owner', 'steward', 'custodian', 'analyst'], 'consent-check']],
  },
};

// Routes without {id} that act on the caller's own record (resolver khm_resolve_self).
const SELF_ROUTES = new Set(['GET /api/v1/whoami', 'POST /api/v1/decide']);

const TARGETS_BY_KIND = {
  user: ['self', 'self-name', 'peer', 'foreign', 'unknown'],
  token: ['self', 'self-spare', 'peer', 'foreign', 'unknown'],
  agency: ['self', 'self-slug', 'foreign', 'foreign-slug', 'unknown'],
  purpose: ['own', 'foreign'],
  dataset: ['own-public', 'own-internal', 'own-confidential', 'foreign-public', 'foreign-internal',
    'unknown'],
  request: ['own', 'foreign', 'unknown'],
  breach: ['own', 'foreign', 'unknown'],
  ropa: ['own', 'foreign', 'unknown'],
};

// The dataset targets: agency (relative to the caller) and classification.
const DATASET_TARGETS = {
  'own-public': ['own', 'ข้อมูลสาธารณะ', 'เปิดเผย'],
  'own-internal': ['own', 'ข้อมูลใช้ภายใน', 'ชั้นเผยแพร่ภายในองค์กร'],
  'own-confidential': ['own', 'ข้อมูลส่วนบุคคล', 'ลับ'],
  'foreign-public': ['foreign', 'ข้อมูลสาธารณะ', 'เปิดเผย'],
  'foreign-internal': ['foreign', 'ข้อมูลใช้ภายใน', 'ชั้นเผยแพร่ภายในองค์กร'],
};
const CATEGORY_NAME = { 'ข้อมูลสาธารณะ': 'public', 'ข้อมูลใช้ภายใน': 'internal', 'ข้อมูลส่วนบุคคล': 'personal' };

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000'; // a well-formed UUIDv7 nobody has

function routeKey(r) { return `${r.method} ${r.path}`; }

function targetsFor(route) {
  const key = routeKey(route);
  if (SELF_ROUTES.has(key)) return ['self'];
  if (route.path.includes('{path}')) return ['asset'];
  if (!route.path.includes('{id}')) return ['collection'];
  const kind = route.scope.split(':')[1];
  const t = TARGETS_BY_KIND[kind];
  if (!t) throw new Error(`${key}: no target list for resource kind '${kind}' (add one to TARGETS_BY_KIND)`);
  return t;
}

function covers(who, role) {
  if (who === ANYONE) return true;
  if (who === AUTHENTICATED) return role !== null;
  return who.includes(role);
}

// The expected outcome of a cell, or throws naming the route when the table has no answer.
function expectation(route, caller, target) {
  const row = EXPECT[route.scope];
  if (!row) {
    throw new Error(`no expectation row for scope '${route.scope}' (route ${routeKey(route)}): ` +
      'add it to EXPECT in tests/api/matrix.test.mjs, citing docs/policy.md');
  }
  const grants = row.targets[target];
  if (!grants) {
    throw new Error(`scope '${route.scope}' has no expectation for target '${target}' ` +
      `(route ${routeKey(route)})`);
  }
  // auth 'optional' (KHM_ROUTE_OPTAUTH): without a token the caller is anonymous (role null);
  // a token that is sent must be good, so a bad one is still 401
  const anonymous = !caller.authed && caller.opts?.token === null && !caller.opts?.headers;
  if (row.auth === 'optional' && anonymous) {
    for (const [who, rule] of grants) if (covers(who, null)) return { outcome: 'allowed', rule };
    return { outcome: 'denied' };
  }
  if (row.auth && !caller.authed) return { outcome: 'unauthenticated', detail: caller.detail401 };
  for (const [who, rule] of grants) {
    if (covers(who, row.auth ? caller.role : null)) {
      if (HANDLER_DENY[routeKey(route)] === rule) return { outcome: 'denied', denyRule: rule };
      return { outcome: 'allowed', rule };
    }
  }
  return { outcome: 'denied' };
}

// ---- the test ---------------------------------------------------------------------------------

describe('authorization matrix: every route × every caller × every target', { timeout: 120_000 }, () => {
  let s;
  let seq = 0;
  const fresh = (p) => `${p}-${++seq}`;
  const agencies = {}; // slug → record
  const victims = {}; // agency slug → { user, token } — the peer/foreign records of reads
  const creators = {}; // agency slug → { token (a steward's), ownerToken } — datasets of the matrix
  const pdpa = {}; // slug → a DPO's token — requests and breaches of the matrix
  const callers = [];
  const purposes = {}; // agency slug → the "mx-consent" purpose
  const adminTok = {}; // agency slug → an admin token of it
  let policyVersion;

  // Setup helpers, all with the installation's admin token (s.token, not a matrix caller).
  async function mkUser(agency, role = 'steward', name = fresh(`u-${agency}`)) {
    return assertJson(await s.api('POST', '/api/v1/users', { body: { name, agency, role } }), 201);
  }
  async function mkToken(user, name = fresh('t')) {
    const t = assertJson(await s.api('POST', '/api/v1/tokens', { body: { user, name } }), 201);
    assert.match(t.token, TOKEN_RE);
    return t;
  }
  async function getUser(id) { return assertJson(await s.api('GET', `/api/v1/users/${id}`), 200); }
  async function getToken(id) { return assertJson(await s.api('GET', `/api/v1/tokens/${id}`), 200); }
  const otherOf = (slug) => (slug === 'demo' ? 'other' : 'demo');

  before(async () => {
    s = await startServer();
    agencies.demo = assertJson(await s.api('GET', '/api/v1/agencies/demo'), 200);
    agencies.other = assertJson(await s.api('POST', '/api/v1/agencies', {
      body: { slug: 'other', name_th: 'หน่วยงานอื่น', name_en: 'Another agency' },
    }), 201);

    async function authedCaller(label, agency, role) {
      const user = await mkUser(agency, role, `m-${label}`);
      const tok = await mkToken(user.id, `m-${label}`);
      const spare = await mkToken(user.id, `m-${label}-spare`);
      return {
        label, agency, role, authed: true, user, userId: user.id, userName: user.name,
        token: tok.token, tokenId: tok.id, spareTokenId: spare.id,
      };
    }
    for (const role of ROLES) callers.push(await authedCaller(role, 'demo', role));
    callers.push(await authedCaller('other-admin', 'other', 'admin'));
    callers.push(await authedCaller('other-analyst', 'other', 'analyst'));

    // Callers that fail authentication, for every 401 case of docs/api/README.md.
    const header = (h) => ({ headers: { authorization: h } });
    callers.push({ label: 'anonymous', agency: 'demo', role: null, authed: false,
      opts: { token: null }, detail401: 'missing bearer token' });
    callers.push({ label: 'garbage-token', agency: 'demo', role: null, authed: false,
      opts: header('Bearer garbage'), detail401: 'malformed bearer token' });
    callers.push({ label: 'unknown-token', agency: 'demo', role: null, authed: false,
      opts: { token: `khm_${'A'.repeat(42)}Q` }, detail401: 'unknown token' });
    const revoked = await authedCaller('revoked-admin', 'demo', 'admin');
    assertJson(await s.api('DELETE', `/api/v1/tokens/${revoked.tokenId}`), 200);
    callers.push({ ...revoked, authed: false, detail401: 'token revoked' });
    const disabled = await authedCaller('disabled-admin', 'demo', 'admin');
    assertJson(await s.api('POST', `/api/v1/users/${disabled.userId}/disable`), 200);
    callers.push({ ...disabled, authed: false, detail401: 'user disabled' });
    for (const c of callers) if (!c.opts) c.opts = { token: c.token };

    for (const slug of ['demo', 'other']) {
      const user = await mkUser(slug, 'steward', `v-${slug}`);
      victims[slug] = { user, token: await mkToken(user.id, `v-${slug}`) };
      // datasets of the matrix are created by a steward of their agency, checked by its owner
      const mk = async (role, name) => assertJson(await s.api('POST', '/api/v1/users', {
        body: { name, agency: slug, role, clearance: 'top_secret' },
      }), 201);
      const st = await mk('steward', `c-${slug}`);
      const ow = await mk('owner', `o-${slug}`);
      const dpo = await mk('dpo', `d-${slug}`);
      creators[slug] = {
        token: (await mkToken(st.id)).token, ownerToken: (await mkToken(ow.id)).token,
        dpoToken: (await mkToken(dpo.id)).token,
      };
      // the agency's DPO makes and checks the requests and breaches of the matrix
      const pdpo = await mk('dpo', `p-${slug}`);
      pdpa[slug] = (await mkToken(pdpo.id)).token;
    }

    const d = await s.api('POST', '/api/v1/decide', {
      body: { input: { action: 'read-metadata', resource: { kind: 'system' } } },
    });
    policyVersion = assertJson(d, 200).result.policy_version;

    // a consent-basis purpose "mx-consent" in each agency, made by that agency's admin
    adminTok.demo = s.token;
    adminTok.other = (await mkToken((await mkUser('other', 'admin', 'pdpa-admin-other')).id)).token;
    for (const slug of ['demo', 'other']) {
      purposes[slug] = assertJson(await s.api('POST', '/api/v1/purposes', { token: adminTok[slug], body: {
        code: 'mx-consent', name_th: 'ทดสอบสิทธิ์', basis: 'consent', retention_days: 30,
        consent_text_th: 'ยินยอม' } }), 201);
    }
    assert.match(policyVersion, /^default\.1\+sha256:[0-9a-f]{16}$/);
  }, { timeout: 30_000 });

  after(async () => { await s?.stop(); }, { timeout: 10_000 });

  it('ROUTES (harness) is the server\'s own route table, as published in GET /api/v1/openapi.json', async () => {
    const r = await s.api('GET', '/api/v1/openapi.json', { token: null });
    const doc = assertJson(r, 200);
    const published = [];
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        if (!['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(m)) continue;
        published.push(`${m.toUpperCase()} ${p} ${op['x-khomun-scope']} ${op['x-khomun-event']}`);
      }
    }
    const ours = ROUTES.map((x) => `${x.method} ${x.path} ${x.scope} ${x.event}`);
    const missing = published.filter((x) => !ours.includes(x));
    const extra = ours.filter((x) => !published.includes(x));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] },
      'harness ROUTES differs from the server\'s table (missing: on the server only; extra: in ROUTES only)');
    assert.equal(new Set(ours).size, ours.length, 'duplicate rows in ROUTES');
  });

  it('every scope of the route table has an expectation row, and every row is used', () => {
    for (const route of ROUTES) {
      for (const target of targetsFor(route)) {
        // throws, naming the route, when the row or the target is missing
        expectation(route, callers[0], target);
      }
    }
    const used = new Set(ROUTES.map((r) => r.scope));
    for (const scope of Object.keys(EXPECT)) assert.ok(used.has(scope), `EXPECT row '${scope}' is used by no route`);
  });

  // ---- per-route requests: path, a valid body, and the write's effect ----
  //
  // prepare(caller, target) → { path, body?, ok (the success status), id? (the record a read must
  // return), before?(), verify?(allowed) (a write happened / nothing changed), cleanup?() }.

  function readTargetId(kind, target, c) {
    const peer = victims[c.agency];
    const foreign = victims[otherOf(c.agency)];
    switch (`${kind}/${target}`) {
      case 'user/self': return [c.userId, c.userId];
      case 'user/self-name': return [c.userName, c.userId];
      case 'user/peer': return [peer.user.id, peer.user.id];
      case 'user/foreign': return [foreign.user.id, foreign.user.id];
      case 'user/unknown': return [UNKNOWN_ID, null];
      case 'token/self': return [c.tokenId, c.tokenId];
      case 'token/self-spare': return [c.spareTokenId, c.spareTokenId];
      case 'token/peer': return [peer.token.id, peer.token.id];
      case 'token/foreign': return [foreign.token.id, foreign.token.id];
      case 'token/unknown': return [UNKNOWN_ID, null];
      case 'agency/self': return [agencies[c.agency].id, agencies[c.agency].id];
      case 'agency/self-slug': return [c.agency, agencies[c.agency].id];
      case 'agency/foreign': return [agencies[otherOf(c.agency)].id, agencies[otherOf(c.agency)].id];
      case 'agency/foreign-slug': return [otherOf(c.agency), agencies[otherOf(c.agency)].id];
      case 'agency/unknown': return ['no-such-agency', null];
      default: throw new Error(`no target '${target}' for kind '${kind}'`);
    }
  }

  const count = async (p) => (await listAll(s, p)).length;

  const SUBJECT = { subject: '1101700230708', subject_type: 'tnin', purpose: 'mx-consent' };
  const agencyOf = (c) => c.agency || 'demo';
  const BUILDERS = {
    'POST /api/v1/ropa': (c) => {
      const code = fresh('mx-ropa');
      const agency = c.agency || 'demo';
      let n0;
      return {
        path: '/api/v1/ropa', ok: 201, body: ropaBody(code),
        async before() { n0 = await ropaCount(agency); },
        async verify(allowed) {
          assert.equal(await ropaCount(agency), n0 + (allowed ? 1 : 0), `activity ${code} created`);
        },
      };
    },
    'PUT /api/v1/agencies/{id}': (c, target) => {
      const req = { ok: 200 };
      if (target === 'unknown') {
        return { ...req, path: '/api/v1/agencies/no-such-agency', id: null,
          headers: { 'if-match': '"1"' }, body: { name_th: 'ไม่มี' } };
      }
      const [seg, id] = readTargetId('agency', target, c);
      let v0;
      req.path = `/api/v1/agencies/${encodeURIComponent(seg)}`;
      req.id = id;
      req.before = async () => {
        const r = await s.api('GET', `/api/v1/agencies/${id}`);
        const a = assertJson(r, 200);
        v0 = a.version;
        req.headers = { 'if-match': r.headers.get('etag') };
        req.body = { name_th: a.name_th, website: `https://${fresh('w')}.example.go.th` };
      };
      req.verify = async (allowed) => {
        const a = assertJson(await s.api('GET', `/api/v1/agencies/${id}`), 200);
        assert.equal(a.version, v0 + (allowed ? 1 : 0), 'agency changed');
      };
      return req;
    },
    'POST /api/v1/purposes': () => ({
      path: '/api/v1/purposes', ok: 201,
      body: { code: fresh('mx-p'), name_th: 'ภารกิจ', basis: 's24(4)', retention_days: 30 },
    }),
    'GET /api/v1/purposes/{id}': (c, target) => (target === 'own'
      ? { path: `/api/v1/purposes/${purposes[agencyOf(c)].id}`, ok: 200, id: purposes[agencyOf(c)].id }
      : { path: `/api/v1/purposes/${purposes[otherOf(agencyOf(c))].id}`, ok: 200, id: null }),
    'PUT /api/v1/purposes/{id}': (c, target) => {
      const body = { name_th: 'ภารกิจแก้ไข', basis: 's24(4)', retention_days: 60 };
      if (target === 'foreign') {
        return { path: `/api/v1/purposes/${purposes[otherOf(agencyOf(c))].id}`, ok: 200, id: null,
          headers: { 'if-match': '"1"' }, body };
      }
      const req = { ok: 200, headers: { 'if-match': '"1"' }, body };
      req.before = async () => {
        const p = assertJson(await s.api('POST', '/api/v1/purposes', { token: adminTok[agencyOf(c)],
          body: { code: fresh('mx-u'), name_th: 'ภารกิจ', basis: 's24(4)', retention_days: 30 } }), 201);
        req.path = `/api/v1/purposes/${p.id}`;
        req.pid = p.id;
      };
      req.verify = async (allowed) => {
        const now = assertJson(await s.api('GET', `/api/v1/purposes/${req.pid}`, { token: adminTok[agencyOf(c)] }), 200);
        assert.equal(now.version, allowed ? 2 : 1, 'purpose updated');
      };
      return req;
    },
    'DELETE /api/v1/purposes/{id}': (c, target) => {
      if (target === 'foreign') {
        return { path: `/api/v1/purposes/${purposes[otherOf(agencyOf(c))].id}`, ok: 200, id: null,
          headers: { 'if-match': '"1"' } };
      }
      const req = { ok: 200, headers: { 'if-match': '"1"' } };
      req.before = async () => {
        const p = assertJson(await s.api('POST', '/api/v1/purposes', { token: adminTok[agencyOf(c)],
          body: { code: fresh('mx-r'), name_th: 'ภารกิจ', basis: 's24(4)', retention_days: 30 } }), 201);
        req.path = `/api/v1/purposes/${p.id}`;
        req.pid = p.id;
      };
      req.verify = async (allowed) => {
        const now = assertJson(await s.api('GET', `/api/v1/purposes/${req.pid}`, { token: adminTok[agencyOf(c)] }), 200);
        assert.equal(now.retired_at !== null, allowed, 'purpose retired');
      };
      return req;
    },
    'GET /api/v1/consents': () => ({ path: '/api/v1/consents?subject=1101700230708&subject_type=tnin', ok: 200 }),
    'GET /api/v1/consents/check': () => ({
      path: '/api/v1/consents/check?subject=1101700230708&subject_type=tnin&purpose=mx-consent', ok: 200,
    }),
    'POST /api/v1/consents/check': () => ({ path: '/api/v1/consents/check', ok: 200, body: { checks: [SUBJECT] } }),
    'POST /api/v1/consents': () => ({
      path: '/api/v1/consents', ok: 201, body: { ...SUBJECT, method: 'electronic' },
    }),
    'POST /api/v1/consents/withdraw': (c) => ({
      path: '/api/v1/consents/withdraw', ok: 200, body: SUBJECT,
      async before() {
        assertJson(await s.api('POST', '/api/v1/consents', { token: adminTok[agencyOf(c)],
          body: { ...SUBJECT, method: 'electronic' } }), 201);
      },
    }),
    'GET /assets/{path}': () => ({ path: '/assets/app.js', ok: 200 }),
    'POST /api/v1/datasets': (c) => {
      const name = fresh('ds-new');
      return {
        path: '/api/v1/datasets', ok: 201,
        body: { name, metadata: gdcMetadata('ข้อมูลสาธารณะ', 'เปิดเผย', `ใหม่ ${name}`) },
        async verify(allowed) {
          const r = await s.api('GET', `/api/v1/datasets/${name}`, {
            token: creators[c.agency || 'demo'].ownerToken,
          });
          assert.equal(r.status, allowed ? 200 : 403, `dataset ${name} created: ${r.text.slice(0, 200)}`);
        },
      };
    },
    // public: a valid signed receipt (tests/fixtures/receipts) verifies for every caller
    'POST /api/v1/consents/receipts/verify': () => ({
      path: '/api/v1/consents/receipts/verify', ok: 200, body: RECEIPT,
      async verify(_allowed, res) { assert.equal(res.json.valid, true, res.text.slice(0, 300)); },
    }),
    'POST /api/v1/scan': () => ({
      path: '/api/v1/scan?name=note.json', ok: 200, body: { note: 'โทร 081-234-5678' },
    }),
    'POST /api/v1/decide': () => ({
      path: '/api/v1/decide', ok: 200,
      body: { input: { action: 'read-metadata', resource: { kind: 'system' } } },
    }),
    'POST /api/v1/agencies': () => {
      const slug = fresh('mx-agency');
      let n0;
      return {
        path: '/api/v1/agencies', ok: 201, body: { slug, name_th: `หน่วยงาน ${slug}` },
        async before() { n0 = await count('/api/v1/agencies'); },
        async verify(allowed) {
          assert.equal(await count('/api/v1/agencies'), n0 + (allowed ? 1 : 0), 'agency count');
          assert.equal((await s.api('GET', `/api/v1/agencies/${slug}`)).status, allowed ? 200 : 404,
            `agency ${slug} ${allowed ? 'not created' : 'created'}`);
        },
      };
    },
    'POST /api/v1/users': (c) => {
      const name = fresh('mx-user');
      let n0;
      return {
        path: '/api/v1/users', ok: 201, body: { name, agency: c.agency, role: 'analyst' },
        async before() { n0 = await count('/api/v1/users'); },
        async verify(allowed) {
          assert.equal(await count('/api/v1/users'), n0 + (allowed ? 1 : 0), 'user count');
          assert.equal((await s.api('GET', `/api/v1/users/${name}`)).status, allowed ? 200 : 404,
            `user ${name} ${allowed ? 'not created' : 'created'}`);
        },
      };
    },
    'POST /api/v1/tokens': (c) => {
      const name = fresh('mx-token');
      const user = c.userId ?? victims.demo.user.id;
      let n0;
      return {
        path: '/api/v1/tokens', ok: 201, body: { user, name },
        async before() { n0 = await count('/api/v1/tokens'); },
        async verify(allowed, res) {
          assert.equal(await count('/api/v1/tokens'), n0 + (allowed ? 1 : 0), 'token count');
          const mine = (await listAll(s, `/api/v1/tokens?user=${user}`)).filter((t) => t.name === name);
          assert.equal(mine.length, allowed ? 1 : 0, `token ${name}`);
          if (allowed) assert.match(res.json.token, TOKEN_RE);
        },
      };
    },
    'POST /api/v1/users/{id}/disable': (c, target) => disableEnable(c, target, true),
    'POST /api/v1/users/{id}/enable': (c, target) => disableEnable(c, target, false),
    'DELETE /api/v1/tokens/{id}': (c, target) => {
      let id;
      let owner;
      return {
        ok: 200,
        async before() {
          switch (target) {
            case 'self': id = c.tokenId; owner = null; break; // the very token making the request
            case 'self-spare': owner = c.userId; break;
            case 'peer': owner = victims[c.agency].user.id; break;
            case 'foreign': owner = victims[otherOf(c.agency)].user.id; break;
            case 'unknown': id = UNKNOWN_ID; break;
            default: throw new Error(`no target '${target}'`);
          }
          if (owner) id = (await mkToken(owner)).id;
          this.path = `/api/v1/tokens/${id}`;
          this.id = target === 'unknown' ? null : id;
          this.revoked0 = target === 'unknown' ? null : (await getToken(id)).revoked_at;
        },
        async verify(allowed) {
          if (target === 'unknown') return;
          const t = await getToken(id);
          if (allowed) assert.notEqual(t.revoked_at, null, `token ${id} not revoked`);
          else assert.equal(t.revoked_at, this.revoked0, `token ${id} changed by a refused revoke`);
        },
        async cleanup(allowed) {
          // an admin that revoked its own token gets a new one
          if (allowed && target === 'self') {
            const t = await mkToken(c.userId, `m-${c.label}-${seq}`);
            c.token = t.token;
            c.tokenId = t.id;
            c.opts = { token: t.token };
          }
        },
      };
    },
  };

  // disable/enable: peer and foreign are fresh users (for enable, disabled first), so each
  // allowed call visibly changes one; self is the caller (re-enabled afterwards if it disabled
  // itself).
  function disableEnable(c, target, disable) {
    let id;
    let want0;
    return {
      ok: 200,
      async before() {
        switch (target) {
          case 'self': id = c.userId; this.path = `/api/v1/users/${c.userId}`; break;
          case 'self-name': id = c.userId; this.path = `/api/v1/users/${c.userName}`; break;
          case 'peer': id = (await mkUser(c.agency)).id; this.path = `/api/v1/users/${id}`; break;
          case 'foreign': id = (await mkUser(otherOf(c.agency))).id; this.path = `/api/v1/users/${id}`; break;
          case 'unknown': id = null; this.path = `/api/v1/users/${UNKNOWN_ID}`; break;
          default: throw new Error(`no target '${target}'`);
        }
        this.path += disable ? '/disable' : '/enable';
        this.id = id;
        if (id && !disable && (target === 'peer' || target === 'foreign')) {
          assertJson(await s.api('POST', `/api/v1/users/${id}/disable`), 200);
        }
        want0 = id ? (await getUser(id)).disabled : null;
      },
      async verify(allowed) {
        if (!id) return;
        const u = await getUser(id);
        assert.equal(u.disabled, allowed ? disable : want0,
          `user ${id}: disabled=${u.disabled} after ${allowed ? 'an allowed' : 'a refused'} ${disable ? 'disable' : 'enable'}`);
        if (allowed && disable && id === c.userId) {
          // it took effect at once: the caller's own token is now refused
          assertUnauthorized(await s.api('GET', '/api/v1/whoami', c.opts), 'user disabled');
        }
      },
      async cleanup(allowed) {
        if (allowed && disable && id === c.userId) {
          assertJson(await s.api('POST', `/api/v1/users/${id}/enable`), 200);
        }
      },
    };
  }

  // A fresh dataset of a target (created by a steward of that agency, the setup's own caller),
  // so every write cell acts on a dataset nobody changed; { id, name, etag }.
  async function freshDataset(c, target) {
    const [where, category, level] = DATASET_TARGETS[target];
    const agency = where === 'own' ? c.agency : otherOf(c.agency);
    const name = fresh(`ds-${agency}`);
    const r = await s.api('POST', '/api/v1/datasets', {
      token: creators[agency].token,
      body: { name, metadata: gdcMetadata(category, level, `ชุดข้อมูล ${name}`) },
    });
    const d = assertJson(r, 201);
    return { id: d.id, name, etag: r.headers.get('etag'), agency, category, level };
  }
  // GET a dataset as its agency's creator sees it (for verify)
  const peek = async (ds) => assertJson(await s.api('GET', `/api/v1/datasets/${ds.id}`, {
    token: creators[ds.agency].ownerToken,
  }), 200);

  // A resource of a fresh dataset (a small CSV uploaded by the dataset's creator).
  const RES_CSV = 'ปี,งบประมาณ\n2567,1000\n';
  async function freshResource(ds) {
    const r = await s.api('POST', `/api/v1/datasets/${ds.id}/resources?name=m.csv`, {
      token: creators[ds.agency].token, rawBody: RES_CSV, headers: { 'content-type': 'text/csv' },
    });
    return assertJson(r, 201);
  }
  const resourceIds = async (ds) => assertJson(await s.api('GET', `/api/v1/datasets/${ds.id}/resources?limit=500`, {
    token: creators[ds.agency].ownerToken,
  }), 200).items.map((x) => x.id);

  // The resource routes (…/resources, …/resources/{rid}…, and …/scan of the whole dataset): an
  // upload needs a body and a name; {rid} is a resource of the fresh dataset (the dataset scan
  // gets one too, to see it scanned again or not); read-data sends a purpose.
  function resourceRequest(route, c, target) {
    const key = routeKey(route);
    const datasetScan = key === 'POST /api/v1/datasets/{id}/scan';
    const req = { ok: key.startsWith('POST /api/v1/datasets/{id}/resources') && !key.endsWith('/scan') ? 201 : 200 };
    const upload = key === 'POST /api/v1/datasets/{id}/resources';
    const fill = (id, rid) => route.path.replace('{id}', id).replace('{rid}', rid) + (upload ? '?name=m.json' : '');
    req.headers = route.scope.startsWith('read-data:') ? { 'x-khomun-purpose-basis': 's24(4)' } : {};
    if (upload) req.body = { note: 'ข้อมูลทดสอบ' };
    if (target === 'unknown') {
      req.path = fill(UNKNOWN_ID, UNKNOWN_ID);
      req.id = null;
      return req;
    }
    req.before = async () => {
      const ds = await freshDataset(c, target);
      req.ds = ds;
      if (route.path.includes('{rid}') || datasetScan) req.rid = (await freshResource(ds)).id;
      req.path = fill(ds.id, req.rid);
      if (key === 'GET /api/v1/datasets/{id}/resources/{rid}') req.id = req.rid;
      if (req.rid) {
        const rs = await s.api('GET', `/api/v1/datasets/${ds.id}/resources/${req.rid}`, { token: creators[ds.agency].ownerToken });
        req.updated0 = assertJson(rs, 200).updated_at;
      }
    };
    req.verify = async (allowed) => {
      const ids = await resourceIds(req.ds);
      if (upload) assert.equal(ids.length, allowed ? 1 : 0, 'uploaded');
      if (key.startsWith('DELETE ')) assert.equal(ids.includes(req.rid), !allowed, 'deleted');
      if (key.endsWith('/scan')) {
        const r = assertJson(await s.api('GET', `/api/v1/datasets/${req.ds.id}/resources/${req.rid}`, {
          token: creators[req.ds.agency].ownerToken,
        }), 200);
        assert.equal(r.updated_at !== req.updated0, allowed, 'scanned again');
      }
      if (route.method === 'GET') assert.equal((await peek(req.ds)).version, 1);
    };
    return req;
  }

  function datasetRequest(route, c, target) {
    const key = routeKey(route);
    if (route.path.includes('/resources') || route.path.endsWith('/datamap') || route.path.endsWith('/scan')) {
      return resourceRequest(route, c, target);
    }
    const req = { ok: 200 };
    if (target === 'unknown') {
      req.path = route.path.replace('{id}', UNKNOWN_ID);
      req.id = null;
      req.headers = { 'if-match': '"1"' };
      if (key.startsWith('PUT ')) req.body = { metadata: gdcMetadata() };
      if (key === 'POST /api/v1/datasets/{id}/classification') {
        req.body = { category: 'public', reason: 'matrix' };
      }
      return req;
    }
    req.before = async () => {
      const ds = await freshDataset(c, target);
      req.ds = ds;
      req.path = route.path.replace('{id}', ds.id);
      req.headers = { 'if-match': ds.etag };
      if (key === 'GET /api/v1/datasets/{id}') req.id = ds.id;
      if (key.startsWith('PUT ')) {
        req.body = { metadata: gdcMetadata(ds.category, ds.level, `แก้ไข ${ds.name}`) };
      } else if (key === 'POST /api/v1/datasets/{id}/classification') {
        req.body = { category: CATEGORY_NAME[ds.category], level: ds.level, reason: 'matrix' };
      }
    };
    req.verify = async (allowed) => {
      const now = await peek(req.ds);
      if (key.startsWith('PUT ')) assert.equal(now.version, allowed ? 2 : 1, 'update happened');
      if (key.startsWith('DELETE ')) assert.equal(now.archived_at !== null, allowed, 'archived');
      if (key === 'POST /api/v1/datasets/{id}/quality') {
        // the score is stored (null: a dataset without files), the version stays
        assert.equal(now.quality.computed_at !== null, allowed, 'quality computed');
        assert.equal(now.version, 1);
      } else if (key.startsWith('POST ')) assert.equal(now.classification.confirmed, allowed, 'confirmed');
      if (route.method === 'GET') assert.equal(now.version, 1);
    };
    return req;
  }

  // A fresh request or breach of a target (made by that agency's DPO), so each write cell acts
  // on a record nobody changed; the write's effect is its version.
  const PDPA_BODY = {
    'POST /api/v1/requests/{id}/transition': () => ({ to: 'verified', method: 'matrix: ID card' }),
    'POST /api/v1/requests/{id}/notes': () => ({ text: 'matrix' }),
    'POST /api/v1/requests/{id}/discover': () => ({ subject: '1103702071811' }),
    'PUT /api/v1/breaches/{id}': () => ({
      aware_at: new Date(Date.now() - 3600_000).toISOString(), cia: ['integrity'],
      description: 'matrix (updated)', risk: 'risk',
    }),
    'POST /api/v1/breaches/{id}/actions': () => ({ text: 'matrix' }),
    'POST /api/v1/breaches/{id}/notify-office': () => ({}),
    'POST /api/v1/breaches/{id}/notify-subjects': () => ({ method: 'SMS' }),
    'POST /api/v1/breaches/{id}/close': () => ({ reason: 'matrix' }),
  };
  const newRequestBody = () => ({ type: 'access', channel: 'email', subject: '1103702071811' });
  const newBreachBody = () => ({
    aware_at: new Date(Date.now() - 7200_000).toISOString(), cia: ['confidentiality'],
    description: 'matrix', risk: 'high',
  });
  function pdpaRequest(route, c, target) {
    const key = routeKey(route);
    const kind = route.scope.split(':')[1];
    const coll = kind === 'request' ? '/api/v1/requests' : '/api/v1/breaches';
    const body = PDPA_BODY[key]?.();
    if (target === 'unknown') {
      return { path: route.path.replace('{id}', UNKNOWN_ID), id: null, body, ok: 200,
        headers: { 'if-match': '"1"' } };
    }
    const agency = target === 'own' ? (c.agency || 'demo') : otherOf(c.agency || 'demo');
    const req = { ok: route.method === 'GET' || key.endsWith('/transition') || key.startsWith('PUT ') ||
      key.includes('/notify-') || key.endsWith('/close') || key.endsWith('/discover') ? 200 : 201, body };
    req.before = async () => {
      const r = await s.api('POST', coll, { token: pdpa[agency], body: kind === 'request' ? newRequestBody() : newBreachBody() });
      const rec = assertJson(r, 201);
      req.rec = rec;
      if (key === 'GET /api/v1/requests/{id}/package') // a package exists once discovery ran
        assertJson(await s.api('POST', `/api/v1/requests/${rec.id}/discover`, { token: pdpa[agency], body: { subject: '1103702071811' } }), 200);
      req.path = route.path.replace('{id}', rec.id);
      req.headers = { 'if-match': `"${rec.version}"` };
      if (route.method === 'GET' && !key.endsWith('/package')) req.id = rec.id;
    };
    req.verify = async (allowed) => {
      const now = assertJson(await s.api('GET', `${coll}/${req.rec.id}`, { token: pdpa[agency] }), 200);
      const base = key.endsWith('/package') ? 2 : 1; // discovery kept the package: version 2
      assert.equal(now.version, allowed && route.method !== 'GET' ? 2 : base, `${kind} version`);
    };
    return req;
  }
  function pdpaCreate(kind) {
    return (c) => {
      const agency = c.agency || 'demo';
      const coll = kind === 'request' ? '/api/v1/requests' : '/api/v1/breaches';
      let n0;
      return {
        path: coll, ok: 201, body: kind === 'request' ? newRequestBody() : newBreachBody(),
        async before() { n0 = assertJson(await s.api('GET', `${coll}?limit=500`, { token: pdpa[agency] }), 200).items.length; },
        async verify(allowed) {
          const n = assertJson(await s.api('GET', `${coll}?limit=500`, { token: pdpa[agency] }), 200).items.length;
          assert.equal(n, n0 + (allowed ? 1 : 0), `${kind} count`);
        },
      };
    };
  }
  BUILDERS['POST /api/v1/requests'] = pdpaCreate('request');
  BUILDERS['POST /api/v1/breaches'] = pdpaCreate('breach');

  // ---- the record of processing: activities made by a DPO of their agency ----
  function ropaBody(code) {
    return {
      code, name_th: `กิจกรรม ${code}`, personal_data: ['PERSON'], purposes: ['service'],
      retention_period: '1 ปี', exempt_uses: [], security_measures: ['access-control'],
    };
  }
  async function ropaCount(agency) {
    const r = await s.api('GET', '/api/v1/ropa?limit=500', { token: creators[agency].dpoToken });
    return assertJson(r, 200).items.length;
  }
  const ropaPeek = async (agency, id) => assertJson(await s.api('GET', `/api/v1/ropa/${id}`, {
    token: creators[agency].dpoToken,
  }), 200);

  function ropaRequest(route, c, target) {
    const key = routeKey(route);
    const req = { ok: key.startsWith('POST ') ? 201 : 200 };
    const refusal = { refused_at: '2025-01-31T09:00:00+07:00', request_type: 'access',
      reason: 'matrix', legal_ground: 'มาตรา 30' };
    if (target === 'unknown') {
      req.path = route.path.replace('{id}', UNKNOWN_ID);
      req.id = null;
      req.headers = { 'if-match': '"1"' };
      if (key.startsWith('PUT ')) req.body = ropaBody('unknown');
      if (key.startsWith('POST ')) req.body = refusal;
      return req;
    }
    const agency = target === 'own' ? (c.agency || 'demo') : otherOf(c.agency || 'demo');
    req.before = async () => {
      const code = fresh('mx-act');
      const r = await s.api('POST', '/api/v1/ropa', { token: creators[agency].dpoToken, body: ropaBody(code) });
      const a = assertJson(r, 201);
      req.act = a;
      req.path = route.path.replace('{id}', a.id);
      req.headers = { 'if-match': r.headers.get('etag') };
      if (key === 'GET /api/v1/ropa/{id}') req.id = a.id;
      if (key.startsWith('PUT ')) req.body = { ...ropaBody(code), retention_period: '2 ปี' };
      if (key.startsWith('POST ')) req.body = refusal;
    };
    req.verify = async (allowed) => {
      const now = await ropaPeek(agency, req.act.id);
      if (key.startsWith('PUT ')) assert.equal(now.version, allowed ? 2 : 1, 'update happened');
      if (key.startsWith('DELETE ')) assert.equal(now.deleted_at !== null, allowed, 'deleted');
      if (key.startsWith('POST ')) assert.equal(now.refusals.length, allowed ? 1 : 0, 'refusal written');
      if (route.method === 'GET') assert.equal(now.version, 1);
    };
    return req;
  }

  function prepare(route, c, target) {
    const key = routeKey(route);
    if ((route.scope.endsWith(':request') || route.scope.endsWith(':breach')) && route.path.includes('{id}')) {
      return pdpaRequest(route, c, target);
    }
    if (route.scope.endsWith(':dataset') && route.path.includes('{id}')) {
      return datasetRequest(route, c, target);
    }
    if (route.scope.endsWith(':ropa') && route.path.includes('{id}')) {
      return ropaRequest(route, c, target);
    }
    const b = BUILDERS[key];
    if (b) return b(c, target);
    if (route.method !== 'GET') {
      throw new Error(`${key}: a write route needs a request builder in BUILDERS (a valid body and its effect)`);
    }
    if (!route.path.includes('{')) return { path: route.path, ok: 200 };
    const kind = route.scope.split(':')[1];
    const [seg, id] = readTargetId(kind, target, c);
    return { path: route.path.replace('{id}', encodeURIComponent(seg)), ok: 200, id };
  }

  const cells = []; // { route, caller, target, exp, status, requestId, detail }

  it('every cell answers as the policy says; refused writes change nothing, allowed writes happen', async (t) => {
    const t0 = Date.now();
    const failures = [];
    for (const route of ROUTES) {
      for (const c of callers) {
        for (const target of targetsFor(route)) {
          // callers without an identity have no own record to name in a path
          if (target.startsWith('self') && !c.userId && route.path.includes('{')) continue;
          const where = `${c.label} ${routeKey(route)} [${target}]`;
          try {
            const exp = expectation(route, c, target);
            const req = prepare(route, c, target);
            if (req.before) await req.before();
            const headers = { ...(c.opts.headers || {}), ...(req.headers || {}) };
            const res = await s.api(route.method, req.path, { ...c.opts, body: req.body, headers });
            const cell = { route, caller: c, target, exp, status: res.status,
              requestId: res.headers.get('x-request-id') };
            cells.push(cell);
            const allowed = exp.outcome === 'allowed';
            if (exp.outcome === 'unauthenticated') {
              assertUnauthorized(res, exp.detail);
              cell.detail = res.json.detail;
            } else if (exp.outcome === 'denied') {
              const p = assertProblem(res, 403, { type: 'urn:khomun:problem:forbidden' });
              const [action, kind] = route.scope.split(':');
              assert.ok(p.detail.startsWith(`${action} ${kind} is not allowed for the role '${c.role ?? 'anonymous'}'`), p.detail);
              assert.ok(p.detail.endsWith(`(rule ${exp.denyRule ?? 'default-deny'}, policy ${policyVersion})`), p.detail);
              cell.detail = p.detail;
            } else if (req.id === null) {
              // allowed, but there is no such record
              assertProblem(res, 404);
            } else {
              assert.equal(res.status, req.ok, `want ${req.ok}, got ${res.status} ${res.text.slice(0, 300)}`);
              if (req.id !== undefined) assert.equal(res.json?.id, req.id, `returned record: ${res.text.slice(0, 300)}`);
            }
            try {
              if (req.verify) await req.verify(allowed, res);
            } finally {
              if (req.cleanup) await req.cleanup(allowed);
            }
          } catch (e) {
            failures.push(`${where}: ${e.message.split('\n').slice(0, 3).join(' | ')}`);
          }
        }
      }
    }
    const n = cells.length;
    const by = (o) => cells.filter((x) => x.exp.outcome === o).length;
    t.diagnostic(`${n} cells (${by('allowed')} allowed, ${by('denied')} denied, ` +
      `${by('unauthenticated')} unauthenticated) over ${ROUTES.length} routes × ${callers.length} callers in ${Date.now() - t0} ms`);
    assert.deepEqual(failures, [], `${failures.length} of ${n} cells disagree:\n${failures.join('\n')}`);
    assert.ok(n > ROUTES.length * callers.length, `only ${n} cells`);
  });

  it('each refused request has its audit event (outcome "denied"); allowed ones name the deciding rule', async () => {
    assert.ok(cells.length > 0, 'the matrix did not run');
    const byEvent = new Map();
    for (const cell of cells) {
      if (!byEvent.has(cell.route.event)) byEvent.set(cell.route.event, []);
      byEvent.get(cell.route.event).push(cell);
    }
    const problems = [];
    let checked = 0;
    for (const [event, list] of byEvent) {
      const rows = new Map();
      const aggregates = []; // events of aggregated routes: no request id (docs/audit.md)
      // an aggregated route's successes are written once the window (1 s) ends
      if (AGGREGATED_EVENTS.has(event)) await sleep(1500);
      let cursor = null;
      do {
        const q = `/api/v1/audit?action=${encodeURIComponent(event)}&limit=500` +
          (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
        const j = assertJson(await s.api('GET', q), 200);
        for (const row of j.items) {
          assert.equal(row.action, event, `filter action=${event} returned ${row.action}`);
          if (row.request_id) rows.set(row.request_id, row);
          else if (row.reasons?.startsWith('aggregate: ')) aggregates.push(row);
        }
        cursor = j.next_cursor;
      } while (cursor);
      for (const cell of list) {
        const where = `${cell.caller.label} ${routeKey(cell.route)} [${cell.target}] (${cell.requestId})`;
        let row = rows.get(cell.requestId);
        const pub = cell.route.scope === 'public';
        try {
          if (AGGREGATED_EVENTS.has(event) && cell.status < 400) {
            // counted into its caller's aggregate, not an event of its own
            assert.equal(row, undefined, 'a success of an aggregated route has an event of its own');
            row = aggregates.find((e) => e.actor.user === (cell.caller.userId ?? null) && e.status === cell.status &&
              e.reasons.includes(`; allowed by rule ${cell.exp.rule} (policy ${policyVersion})`));
            assert.ok(row, 'no aggregated audit event naming the caller and the deciding rule');
            assert.equal(row.outcome, 'success', 'audit outcome');
            checked++;
            continue;
          }
          if (pub) {
            // public routes are not audited when they succeed (KHM_ROUTE_NOAUDIT)
            assert.equal(row, undefined, 'a successful public request was audited');
            continue;
          }
          assert.ok(row, 'no audit event');
          assert.equal(row.status, cell.status, 'audit status');
          checked++;
          if (cell.exp.outcome !== 'allowed') {
            assert.equal(row.outcome, 'denied', 'audit outcome');
            assert.equal(row.reasons, cell.detail, 'audit reasons = the problem detail');
            if (cell.exp.outcome === 'denied') assert.equal(row.actor.user, cell.caller.userId ?? null, 'audit actor');
          } else if (cell.status === 404) {
            assert.equal(row.outcome, 'failure', 'audit outcome');
          } else {
            assert.equal(row.outcome, 'success', 'audit outcome');
            assert.equal(row.actor.user, cell.caller.userId ?? null, 'audit actor');
            // decide's event carries the decision it was asked for, not the route's
            if (event !== 'decision.evaluate') {
              assert.equal(row.reasons, `allowed by rule ${cell.exp.rule} (policy ${policyVersion})`, 'deciding rule');
            }
          }
        } catch (e) {
          problems.push(`${where}: ${e.message.split('\n')[0]}`);
        }
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
    assert.ok(checked > 0);
  });

  it('public routes ignore the Authorization header (a garbage, unknown, revoked or disabled token is not checked)', () => {
    const pub = cells.filter((x) => x.route.scope === 'public');
    assert.ok(pub.length >= callers.length * ROUTES.filter((r) => r.scope === 'public').length);
    for (const x of pub) assert.equal(x.status, 200, `${x.caller.label} ${routeKey(x.route)}`);
  });

  // POST /api/v1/decide naming another user: the handler asks read-metadata on `policy`
  // (policy.md, Deciding for the routes; rule decide-for-others: admin, auditor).
  it('decide for another user: admin and auditor only (decide-for-others), from any agency', async () => {
    const wrong = [];
    for (const c of callers.filter((x) => x.authed)) {
      const r = await s.api('POST', '/api/v1/decide', {
        ...c.opts,
        body: { input: { user: victims.demo.user.name, action: 'read-metadata', resource: { kind: 'system' } } },
      });
      const allowed = ['admin', 'auditor'].includes(c.role);
      try {
        if (allowed) assert.equal(assertJson(r, 200).result.rule, 'system-public');
        else {
          const p = assertProblem(r, 403, { type: 'urn:khomun:problem:forbidden' });
          assert.match(p.detail, new RegExp(`^deciding for another user is not allowed for the role '${c.role}'`));
        }
      } catch (e) {
        wrong.push(`${c.label}: ${e.message.split('\n')[0]}`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});
