// Aerie developer console: the Recordings section, over the admin API's /recordings
// (docs/admin-api.md). Loaded after console.js and uses its helpers (api, el, enc, $, TOKEN_KEY,
// showError). Lists every recording (room, app key, start, length, files with their sizes),
// downloads a file with the admin token (fetched here, then saved from memory: a plain link
// could not carry the token), and deletes a recording after a confirmation. Refreshed every
// 5 s while the console is shown, and at once when it appears.
'use strict';

const RECORDINGS_POLL_MS = 5000;
const recordingsState = { list: [], timer: null, loaded: false };

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

// The recording's length from its start and end (each file is about as long); null when unknown.
function recordingLength(rec) {
  if (rec.active) return 'recording…';
  if (!rec.endedAt) return 'cut short';  // the server stopped first: the files hold what was written
  const ms = Date.parse(rec.endedAt) - Date.parse(rec.startedAt);
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

async function refreshRecordings() {
  const { recordings } = await api('GET', '/recordings');
  recordingsState.list = recordings;
  recordingsState.loaded = true;
  renderRecordings();
}

function renderRecordings() {
  const body = $('recordings-body');
  body.replaceChildren();
  // Newest first.
  const list = [...recordingsState.list].sort((a, b) => (b.startedAt || '').localeCompare(a.startedAt || ''));
  for (const rec of list) {
    const files = el('ul', { class: 'rec-files' });
    for (const f of rec.files) {
      files.append(el('li', { dataset: { file: f.name } },
        el('span', { class: 'key', text: f.name }), ' ',
        el('span', { class: 'muted rec-size', text: formatBytes(f.bytes) }), ' ',
        el('button', { class: 'download', text: 'Download', onclick: (e) => downloadRecording(rec, f, e.target) })));
    }
    if (!rec.files.length) files.append(el('li', { class: 'muted', text: 'no files' }));
    body.append(el('tr', { dataset: { recording: rec.id } },
      el('td', { class: 'rec-room', text: rec.room }),
      el('td', {}, el('span', { class: 'key muted', text: rec.appKey })),
      el('td', { class: 'rec-date', text: rec.startedAt ? new Date(rec.startedAt).toLocaleString() : '–' }),
      el('td', { class: 'rec-length', text: recordingLength(rec) }),
      el('td', {}, files),
      el('td', {}, rec.active ? el('span', { class: 'badge', text: 'under way' })
        : el('button', { class: 'delete danger', text: 'Delete', onclick: () => deleteRecording(rec) })),
    ));
  }
  if (!body.children.length) {
    body.append(el('tr', {}, el('td', { colspan: '6', class: 'muted', text: recordingsState.loaded ? 'No recordings.' : 'Loading…' })));
  }
}

// The file through the admin API (with the token), then saved by the browser under its name.
async function downloadRecording(rec, file, button) {
  const old = button.textContent;
  button.disabled = true;
  button.textContent = 'Downloading…';
  try {
    const res = await fetch(`${API}/recordings/${enc(rec.id)}/${enc(file.name)}`, {
      headers: { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) }, cache: 'no-store', credentials: 'omit',
    });
    if (!res.ok) throw new Error(`Download of ${file.name} failed: HTTP ${res.status}`);
    const url = URL.createObjectURL(await res.blob());
    const a = el('a', { href: url, download: file.name, class: 'hidden' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    showError('recordings-error', null);
  } catch (e) {
    showError('recordings-error', e);
  } finally {
    button.disabled = false;
    button.textContent = old;
  }
}

async function deleteRecording(rec) {
  const n = rec.files.length;
  if (!window.confirm(`Delete the recording of room “${rec.room}” (${n} file${n === 1 ? '' : 's'})? This cannot be undone.`)) return;
  try {
    await api('DELETE', `/recordings/${enc(rec.id)}`);
    showError('recordings-error', null);
  } catch (e) {
    showError('recordings-error', e);
  }
  await refreshRecordings().catch((e) => showError('recordings-error', e));
}

function startRecordingsPolling() {
  if (recordingsState.timer) return;
  const tick = async () => {
    recordingsState.timer = null;
    if (!sessionStorage.getItem(TOKEN_KEY) || $('console').classList.contains('hidden')) return;
    if (!document.hidden) {
      try { await refreshRecordings(); } catch { /* shown on the next user action */ }
    }
    recordingsState.timer = setTimeout(tick, RECORDINGS_POLL_MS);
  };
  tick();
}

// The console appears (signed in) or goes (signed out): start or stop with it.
new MutationObserver(() => {
  if ($('console').classList.contains('hidden')) {
    if (recordingsState.timer) clearTimeout(recordingsState.timer);
    recordingsState.timer = null;
    recordingsState.list = [];
    recordingsState.loaded = false;
    renderRecordings();
  } else {
    startRecordingsPolling();
  }
}).observe($('console'), { attributes: true, attributeFilter: ['class'] });
$('recordings-refresh').addEventListener('click', () => refreshRecordings().catch((e) => showError('recordings-error', e)));
if (!$('console').classList.contains('hidden')) startRecordingsPolling();
