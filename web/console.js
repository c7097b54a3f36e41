// Aerie developer console: a page over the admin API (/admin/v1/, docs/admin-api.md).
// Plain browser JavaScript, no build step. Everything from the server is put into the page as
// text (textContent), never as HTML. The admin token lives in sessionStorage, so it ends with
// the tab; secrets are shown once and never stored.
'use strict';

const API = '/admin/v1';
const TOKEN_KEY = 'aerieAdminToken';
const POLL_MS = 2000;
const MEDIA_MODES = ['mesh', 'sfu', 'auto'];  // an app's `mediaMode` (docs/admin-api.md)

const $ = (id) => document.getElementById(id);

const state = {
  apps: [],          // from GET /apps
  live: new Map(),   // realm key -> {peerCount, rooms}
  detailKey: null,   // key shown in the detail panel
  pollTimer: null,
};

// ---- admin API --------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(method, path, body) {
  const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(API + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
  });
  let json = null;
  try { json = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) {
    if (res.status === 401) signOut('The admin token was not accepted (rotated?). Sign in again.');
    throw new ApiError(res.status, json && json.error, (json && json.message) || `HTTP ${res.status}`);
  }
  return json;
}

const enc = encodeURIComponent;

// ---- helpers ----------------------------------------------------------------------------------

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

function splitDomains(text) {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

// A <select> of the media modes with `current` chosen.
function mediaSelect(current, props = {}) {
  const select = el('select', props);
  for (const mode of MEDIA_MODES) {
    const option = el('option', { value: mode, text: mode });
    option.selected = mode === current;
    select.append(option);
  }
  return select;
}

function statusOf(app) {
  if (app.revoked) return 'revoked';
  if (app.expiresAt && Date.parse(app.expiresAt) <= Date.now()) return 'expired';
  return 'active';
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    const old = button.textContent;
    button.textContent = 'Copied';
    setTimeout(() => { button.textContent = old; }, 1200);
  } catch {
    window.prompt('Copy this:', text);
  }
}

function showError(id, err) {
  $(id).textContent = err ? (err.message || String(err)) : '';
}

// ---- sign in / out ----------------------------------------------------------------------------

async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  try {
    await refreshApps();
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    throw e;
  }
  $('signin-panel').classList.add('hidden');
  $('console').classList.remove('hidden');
  $('signout').classList.remove('hidden');
  $('who').textContent = 'signed in as administrator';
  startPolling();
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  stopPolling();
  state.apps = [];
  state.live.clear();
  state.detailKey = null;
  hideSecret();
  $('console').classList.add('hidden');
  $('signout').classList.add('hidden');
  $('signin-panel').classList.remove('hidden');
  $('who').textContent = '';
  $('token').value = '';
  $('signin-error').textContent = message || '';
}

// ---- apps -------------------------------------------------------------------------------------

async function refreshApps() {
  const { apps } = await api('GET', '/apps');
  state.apps = apps;
  renderApps();
  if (state.detailKey) await renderDetail();
}

function primaryApps() {
  return state.apps.filter((a) => !a.parentKey);
}

function renderApps() {
  const body = $('apps-body');
  body.replaceChildren();
  for (const app of primaryApps()) {
    const status = statusOf(app);
    const aliases = state.apps.filter((a) => a.parentKey === app.appKey).length;
    const live = state.live.get(app.appKey);
    const domainsInput = el('input', { type: 'text', value: app.domains.join(' '), 'aria-label': 'domains' });
    const saveDomains = el('button', {
      text: 'Save',
      onclick: async () => {
        try {
          await api('PATCH', `/apps/${enc(app.appKey)}`, { domains: splitDomains(domainsInput.value) });
          showError('apps-error', null);
          await refreshApps();
        } catch (e) { showError('apps-error', e); }
      },
    });
    const media = mediaSelect(app.mediaMode || 'mesh', { class: 'media', 'aria-label': 'media mode' });
    media.addEventListener('change', async () => {
      try {
        await api('PATCH', `/apps/${enc(app.appKey)}`, { mediaMode: media.value });
        showError('apps-error', null);
        await refreshApps();
      } catch (e) {
        media.value = app.mediaMode || 'mesh';
        showError('apps-error', e);
      }
    });
    // An auto app's switch point: through the SFU past this many peers (empty: the server's).
    const k = el('input', {
      type: 'number', min: '0', max: '100', class: 'auto-sfu-peers', placeholder: 'default',
      value: app.autoSfuPeers ? String(app.autoSfuPeers) : '', 'aria-label': 'auto: through the SFU past this many peers',
      title: 'auto: the room goes through the SFU past this many peers, and back below it (empty: the server default, auto-sfu-peers)',
    });
    if (app.mediaMode !== 'auto') k.classList.add('hidden');
    k.addEventListener('change', async () => {
      try {
        await api('PATCH', `/apps/${enc(app.appKey)}`, { autoSfuPeers: k.value === '' ? 0 : Number(k.value) });
        showError('apps-error', null);
        await refreshApps();
      } catch (e) {
        k.value = app.autoSfuPeers ? String(app.autoSfuPeers) : '';
        showError('apps-error', e);
      }
    });
    const row = el('tr', { dataset: { key: app.appKey } },
      el('td', {}, el('span', { class: 'key', text: app.appKey })),
      el('td', { text: app.name }),
      el('td', {}, el('div', { class: 'domains-edit' }, domainsInput, saveDomains)),
      el('td', {}, el('div', { class: 'media-edit' }, media, k)),
      el('td', { class: 'status-' + status, text: status + (aliases ? ` · ${aliases} alias${aliases > 1 ? 'es' : ''}` : '') }),
      el('td', { class: 'live', text: live ? `${live.peerCount} peer${live.peerCount === 1 ? '' : 's'} in ${live.rooms.length} room${live.rooms.length === 1 ? '' : 's'}` : '–' }),
      el('td', {}, el('div', { class: 'row-actions' },
        el('button', { class: 'details', text: 'Snippet & aliases', onclick: () => openDetail(app.appKey) }),
        el('button', { class: 'rotate', text: 'Rotate secret', onclick: () => rotate(app) }),
        app.revoked ? null : el('button', { class: 'revoke danger', text: 'Revoke', onclick: () => revoke(app) }),
      )),
    );
    body.append(row);
  }
  if (!body.children.length) {
    body.append(el('tr', {}, el('td', { colspan: '7', class: 'muted', text: 'No app keys yet.' })));
  }
}

async function createApp(event) {
  event.preventDefault();
  const body = { name: $('create-name').value.trim(), domains: splitDomains($('create-domains').value) };
  const maxPeers = $('create-max-peers').value;
  if (maxPeers !== '') body.maxPeersPerRoom = Number(maxPeers);
  body.mediaMode = $('create-media').value;
  const k = $('create-auto-sfu-peers').value;
  if (body.mediaMode === 'auto' && k !== '') body.autoSfuPeers = Number(k);
  try {
    const app = await api('POST', '/apps', body);
    showError('create-error', null);
    $('create-form').reset();
    showSecret(app.appKey, app.secret);
    await refreshApps();
  } catch (e) { showError('create-error', e); }
}

async function revoke(app) {
  if (!window.confirm(`Revoke ${app.name} (${app.appKey})? Pages using it get error 4001, its aliases 4006.`)) return;
  try {
    await api('DELETE', `/apps/${enc(app.appKey)}`);
    showError('apps-error', null);
    await refreshApps();
  } catch (e) { showError('apps-error', e); }
}

async function rotate(app) {
  if (!window.confirm(`Replace the secret of ${app.name}? Credentials signed with the old one stop working.`)) return;
  try {
    const { appKey, secret } = await api('POST', `/apps/${enc(app.appKey)}/rotate-secret`);
    showSecret(appKey, secret);
  } catch (e) { showError('apps-error', e); }
}

// ---- the one-time secret ----------------------------------------------------------------------

function showSecret(appKey, secret) {
  $('secret-key').textContent = appKey;
  $('secret-value').textContent = secret;
  $('secret-panel').classList.remove('hidden');
  $('secret-panel').scrollIntoView({ behavior: 'smooth', block: 'nearest' });
}

function hideSecret() {
  $('secret-value').textContent = '';
  $('secret-key').textContent = '';
  $('secret-panel').classList.add('hidden');
}

// ---- detail: snippet and alias keys -----------------------------------------------------------

async function openDetail(appKey) {
  state.detailKey = appKey;
  $('detail-panel').classList.remove('hidden');
  await renderDetail();
  $('detail-panel').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

function closeDetail() {
  state.detailKey = null;
  $('detail-panel').classList.add('hidden');
}

// The seed's getting-started example (steps 2 to 4) with this key, the library from this
// server, and this server as roomServer ('//' + host: the page's own scheme).
function snippetFor(appKey, room) {
  const origin = location.origin;
  const q = (s) => JSON.stringify(s).replace(/</g, '\\u003c');
  return `<html>
<head>
    <title>WebRTC with SkylinkJS</title>

    <script src="${origin}/skylink.complete.min.js"></script>
</head>
<body>

  <video id="myvideo" style="transform: rotateY(-180deg);" autoplay muted></video>

<script>
var skylink = new Skylink();

skylink.on('peerJoined', function(peerId, peerInfo, isSelf) {
  if(isSelf) return; // We already have a video element for our video and don't need to create a new one.
  var vid = document.createElement('video');
  vid.autoplay = true;
  vid.muted = true; // Added to avoid feedback when testing locally
  vid.id = peerId;
  document.body.appendChild(vid);
});

skylink.on('incomingStream', function(peerId, stream, isSelf) {
  if(isSelf) return;
  var vid = document.getElementById(peerId);
  attachMediaStream(vid, stream);
});

skylink.on('peerLeft', function(peerId, peerInfo, isSelf) {
  var vid = document.getElementById(peerId);
  document.body.removeChild(vid);
});

skylink.on('mediaAccessSuccess', function(stream) {
  var vid = document.getElementById('myvideo');
  attachMediaStream(vid, stream);
});

skylink.init({
  apiKey: ${q(appKey)},
  defaultRoom: ${q(room)},
  roomServer: ${q('//' + location.host)}
});

skylink.joinRoom({
    audio: true,
    video: true
});
</script>
</body>
</html>
`;
}

function renderSnippet() {
  if (!state.detailKey) return;
  $('snippet').textContent = snippetFor(state.detailKey, $('snippet-room').value || 'lobby');
}

async function renderDetail() {
  const app = state.apps.find((a) => a.appKey === state.detailKey);
  if (!app) return closeDetail();
  $('detail-key').textContent = `${app.name} (${app.appKey})`;
  renderSnippet();
  const body = $('aliases-body');
  body.replaceChildren();
  for (const alias of state.apps.filter((a) => a.parentKey === app.appKey)) {
    const status = statusOf(alias);
    body.append(el('tr', { dataset: { key: alias.appKey } },
      el('td', {}, el('span', { class: 'key', text: alias.appKey })),
      el('td', { text: alias.domains.join(' ') }),
      el('td', { text: alias.expiresAt ? new Date(alias.expiresAt).toLocaleString() : 'never' }),
      el('td', { class: 'status-' + status, text: status }),
      el('td', {}, el('div', { class: 'row-actions' },
        el('button', { text: 'Snippet', onclick: () => { $('snippet').textContent = snippetFor(alias.appKey, $('snippet-room').value || 'lobby'); } }),
        alias.revoked ? null : el('button', { class: 'danger', text: 'Revoke', onclick: () => revoke(alias) }),
      )),
    ));
  }
  if (!body.children.length) {
    body.append(el('tr', {}, el('td', { colspan: '5', class: 'muted', text: 'No alias keys.' })));
  }
}

async function createAlias(event) {
  event.preventDefault();
  if (!state.detailKey) return;
  const body = { domains: splitDomains($('alias-domains').value) };
  const expires = $('alias-expires').value;
  if (expires) body.expiresAt = new Date(expires).toISOString();  // local time -> UTC
  try {
    const alias = await api('POST', `/apps/${enc(state.detailKey)}/aliases`, body);
    showError('alias-error', null);
    $('alias-form').reset();
    showSecret(alias.appKey, alias.secret);
    await refreshApps();
  } catch (e) { showError('alias-error', e); }
}

// ---- live rooms (polling) ---------------------------------------------------------------------

async function pollRooms() {
  const active = primaryApps().filter((a) => statusOf(a) === 'active');
  const results = await Promise.allSettled(
    active.map((a) => api('GET', `/apps/${enc(a.appKey)}/rooms`).then((r) => [a.appKey, r])));
  state.live.clear();
  for (const r of results) if (r.status === 'fulfilled') state.live.set(r.value[0], r.value[1]);
  renderRooms();
  // Only the "Live" column changes: update it in place so inputs being edited keep their text.
  for (const row of $('apps-body').querySelectorAll('tr[data-key]')) {
    const live = state.live.get(row.dataset.key);
    const cell = row.querySelector('td.live');
    if (cell) cell.textContent = live ? `${live.peerCount} peer${live.peerCount === 1 ? '' : 's'} in ${live.rooms.length} room${live.rooms.length === 1 ? '' : 's'}` : '–';
  }
}

function renderRooms() {
  const box = $('rooms');
  box.replaceChildren();
  for (const app of primaryApps()) {
    const live = state.live.get(app.appKey);
    if (!live || !live.rooms.length) continue;
    const list = el('table', {},
      el('thead', {}, el('tr', {}, el('th', { text: 'Room' }), el('th', { text: 'Peers' }), el('th', { text: '' }), el('th', { text: '' }))));
    const tbody = el('tbody');
    for (const room of live.rooms) {
      tbody.append(el('tr', { dataset: { room: room.name } },
        el('td', { text: room.name }),
        el('td', { class: 'peer-count', text: String(room.peerCount) }),
        el('td', {}, room.locked ? el('span', { class: 'badge locked', text: 'locked' }) : null),
        el('td', {}, el('button', {
          text: room.locked ? 'Unlock' : 'Lock',
          onclick: async () => {
            try {
              await api('POST', `/apps/${enc(app.appKey)}/rooms/${enc(room.name)}/lock`, { locked: !room.locked });
              await pollRooms();
            } catch (e) { showError('apps-error', e); }
          },
        })),
      ));
    }
    list.append(tbody);
    box.append(el('div', { class: 'rooms-app', dataset: { key: app.appKey } },
      el('strong', { text: app.name }), ' ', el('span', { class: 'key muted', text: app.appKey }), list));
  }
  if (!box.children.length) box.append(el('p', { class: 'muted', text: 'No live rooms.' }));
}

function startPolling() {
  stopPolling();
  const tick = async () => {
    if (!sessionStorage.getItem(TOKEN_KEY)) return;
    if (!document.hidden) {
      try { await pollRooms(); } catch { /* shown on the next user action */ }
    }
    state.pollTimer = setTimeout(tick, POLL_MS);
  };
  tick();
}

function stopPolling() {
  if (state.pollTimer) clearTimeout(state.pollTimer);
  state.pollTimer = null;
}

// ---- wiring -----------------------------------------------------------------------------------

$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError('signin-error', null);
  try {
    await signIn($('token').value.trim());
  } catch (e) {
    showError('signin-error', e.status === 401 ? new Error('That is not the admin token.') : e);
  }
});
$('signout').addEventListener('click', () => signOut());
$('create-form').addEventListener('submit', createApp);
$('alias-form').addEventListener('submit', createAlias);
$('detail-close').addEventListener('click', closeDetail);
$('snippet-room').addEventListener('input', renderSnippet);
$('snippet-copy').addEventListener('click', (e) => copy($('snippet').textContent, e.target));
$('secret-copy').addEventListener('click', (e) => copy($('secret-value').textContent, e.target));
$('secret-dismiss').addEventListener('click', hideSecret);

if (sessionStorage.getItem(TOKEN_KEY)) {
  signIn(sessionStorage.getItem(TOKEN_KEY)).catch(() => signOut());
}
