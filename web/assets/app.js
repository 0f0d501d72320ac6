// Khomun landing page. CSP default-src 'self': no inline code; server data as text only.
const $ = (id) => document.getElementById(id);
const TOKEN_KEY = 'khomun.token';
const LANG_KEY = 'khomun.lang';
const ROLES = {
  admin: ['ผู้ดูแลระบบ', 'Administrator'],
  dpo: ['เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล', 'Data Protection Officer'],
  owner: ['เจ้าของข้อมูล', 'Data owner'],
  steward: ['บริกรข้อมูล', 'Data steward'],
  custodian: ['ผู้ดูแลข้อมูล', 'Data custodian'],
  analyst: ['นักวิเคราะห์ข้อมูล', 'Data analyst'],
  auditor: ['ผู้ตรวจสอบ', 'Auditor'],
};
// Thai for the 401 details of docs/api/README.md.
const DETAIL_TH = {
  'missing bearer token': 'ไม่ได้ใส่โทเค็น',
  'malformed bearer token': 'รูปแบบโทเค็นไม่ถูกต้อง',
  'unknown token': 'ไม่พบโทเค็นนี้',
  'token expired': 'โทเค็นหมดอายุแล้ว',
  'token revoked': 'โทเค็นถูกเพิกถอนแล้ว',
  'user disabled': 'บัญชีผู้ใช้ถูกระงับ',
};

function el(tag, cls, ...kids) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  e.append(...kids.filter((k) => k != null));
  return e;
}
const tagged = (e, lang) => ((e.lang = lang), e);
// Both languages are rendered; CSS shows <html lang>'s.
function bi(th, en) {
  const f = document.createDocumentFragment();
  f.append(tagged(el('span', null, th), 'th'), tagged(el('span', null, en), 'en'));
  return f;
}
function when(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const o = { dateStyle: 'medium', timeStyle: 'short' };
  const t = el('time', null, bi(d.toLocaleString('th-TH', o), d.toLocaleString('en-GB', o)));
  t.dateTime = iso;
  return t;
}
function rows(pairs) {
  const dl = el('dl');
  for (const [k, v] of pairs) dl.append(el('dt', null, k), el('dd', null, v));
  return dl;
}

async function api(path, token) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  let res;
  try {
    res = await fetch(path, { headers, cache: 'no-store' });
  } catch {
    throw { status: 0 };
  }
  let body = null;
  if (/json/.test(res.headers.get('content-type') || '')) body = await res.json().catch(() => null);
  if (!res.ok || body === null) throw { status: res.status, body };
  return body;
}
function errorBox(title, e) {
  const box = el('div', 'err', el('strong', null, title));
  box.setAttribute('role', 'alert');
  if (e.status === 0) {
    box.append(el('p', null, bi('ติดต่อเซิร์ฟเวอร์ไม่ได้ ตรวจสอบว่า khomun serve กำลังทำงาน',
      'Cannot reach the server. Check that khomun serve is running.')));
    return box;
  }
  const d = e.body?.detail;
  box.append(el('p', null, `HTTP ${e.status}${e.body?.title ? ' ' + e.body.title : ''}${d ? ' — ' + d : ''}`));
  if (DETAIL_TH[d]) box.append(tagged(el('p', null, DETAIL_TH[d]), 'th'));
  if (e.body?.request_id) box.append(el('small', null, 'request_id: ' + e.body.request_id));
  return box;
}

async function checkStatus() {
  const box = $('status');
  box.setAttribute('aria-busy', 'true');
  const [ver, ready] = await Promise.allSettled([api('/api/v1/version'), api('/readyz')]);
  const v = ver.value, r = ready.value;
  box.replaceChildren();
  if (!v && !r) {
    box.append(errorBox(bi('ไม่ทราบสถานะเซิร์ฟเวอร์', 'Server status unknown'), ver.reason));
  } else {
    const ok = r?.status === 'ready';
    box.append(rows([
      [bi('รุ่นโปรแกรม', 'Version'), v ? `${v.name} ${v.version} (API ${v.api})` : '—'],
      [bi('ฐานข้อมูล', 'Backend'), v?.backend ?? r?.backend ?? '—'],
      [bi('รุ่นสคีมา', 'Schema version'), String(v?.schema_version ?? r?.schema_version ?? '—')],
      [bi('ความพร้อม', 'Ready'), el('span', 'badge ' + (ok ? 'ok' : 'no'),
        ok ? bi('✓ พร้อมใช้งาน', '✓ Ready') : bi('✗ ไม่พร้อม', '✗ Not ready'))],
      [bi('ตรวจเมื่อ', 'Checked'), when(new Date().toISOString())],
    ]));
    if (!ok && ready.reason) box.append(errorBox(bi('เซิร์ฟเวอร์ยังไม่พร้อม', 'Server not ready'), ready.reason));
  }
  box.setAttribute('aria-busy', 'false');
}

// Web storage may throw (disabled, private mode): then nothing is kept.
function kv(area, op, key, val) {
  try { return window[area][op](key, val); } catch { return null; }
}
const store = {
  get: () => kv('sessionStorage', 'getItem', TOKEN_KEY),
  set: (t) => kv('sessionStorage', 'setItem', TOKEN_KEY, t),
  clear: () => kv('sessionStorage', 'removeItem', TOKEN_KEY),
};
async function whoami(token) {
  const who = $('who');
  who.replaceChildren(el('p', 'muted', bi('กำลังตรวจสอบโทเค็น…', 'Checking the token…')));
  try {
    const w = await api('/api/v1/whoami', token);
    const u = w.user || {}, a = w.agency || {}, exp = w.token?.expires_at;
    const role = ROLES[u.role];
    who.replaceChildren(rows([
      [bi('ผู้ใช้', 'User'), `${u.display_name || u.name} (${u.name})`],
      [bi('บทบาท', 'Role'), role ? bi(`${role[0]} (${u.role})`, `${role[1]} (${u.role})`) : u.role],
      [bi('หน่วยงาน', 'Agency'), el('span', null, a.name_th, a.name_en ? el('br') : null, a.name_en)],
      [bi('โทเค็นหมดอายุ', 'Token expires'), exp ? when(exp) : bi('ไม่มีวันหมดอายุ', 'Never')],
    ]));
    store.set(token);
    $('signout').hidden = false;
  } catch (e) {
    if (e.status === 401) store.clear();
    $('signout').hidden = !store.get();
    who.replaceChildren(errorBox(bi('เข้าสู่ระบบไม่สำเร็จ', 'Sign-in failed'), e));
  }
}

function setLang(lang, save) {
  document.documentElement.lang = lang;
  document.title = lang === 'th' ? 'ข้อมูล · Khomun' : 'Khomun · ข้อมูล';
  for (const b of $('langs').children) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  if (save) kv('localStorage', 'setItem', LANG_KEY, lang);
}

setLang(kv('localStorage', 'getItem', LANG_KEY) === 'en' ? 'en' : 'th', false);
$('langs').hidden = false;
$('langs').addEventListener('click', (ev) => {
  const b = ev.target.closest('[data-lang]');
  if (b) setLang(b.dataset.lang, true);
});
$('recheck').addEventListener('click', checkStatus);
$('signin').addEventListener('submit', (ev) => {
  ev.preventDefault();
  whoami($('token').value.trim()); // empty: the server answers "missing bearer token"
});
$('signout').addEventListener('click', () => {
  store.clear();
  $('token').value = '';
  $('who').replaceChildren();
  $('signout').hidden = true;
});
checkStatus();
const prev = store.get();
if (prev) whoami(prev);
