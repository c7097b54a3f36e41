// Chat and files in one panel: messages and transfers share one timeline (the order things
// happened in), and one "To" picker sends either to everyone or to one person.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatBytes, formatTime } from '../../common/format.js';
import { ClipIcon, CloseIcon, FileIcon, SendIcon } from '../../common/icons.js';
import type { RoomModel } from '../model/RoomModel.js';
import type { ChatMessage, RoomState, TransferEntry, TransferRow } from '../model/types.js';

export function SidePanel({ s, model }: { s: RoomState; model: RoomModel }) {
  const [text, setText] = useState('');
  const [target, setTarget] = useState<string>('');
  const [problem, setProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const list = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const textInput = useRef<HTMLInputElement>(null);
  const others = s.participants.filter((p) => !p.isSelf);
  const connected = s.phase === 'in-call' && s.connection === 'connected';

  // Someone picked as the recipient left: back to everyone.
  useEffect(() => {
    if (target && !others.some((p) => p.key === target)) setTarget('');
  }, [others.map((p) => p.key).join(','), target]);

  // Follow new entries when the reader is at the bottom already.
  const atBottom = useRef(true);
  useEffect(() => {
    const el = list.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [s.feed]);

  // Opening the panel (not its being open from the start on a wide screen) moves the focus in.
  const wasOpen = useRef(s.panelOpen);
  useEffect(() => {
    if (s.panelOpen && !wasOpen.current) textInput.current?.focus();
    wasOpen.current = s.panelOpen;
  }, [s.panelOpen]);

  const submit = (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return;
    if (model.sendChat(text, target || null)) { setText(''); setProblem(null); } else setProblem('Not sent: you are not connected right now.');
  };

  const sendFiles = (files: FileList | null) => {
    if (!files) return;
    for (const f of Array.from(files)) {
      const err = model.sendFile(f, target || null);
      setProblem(err);
      if (err) break;
    }
    if (fileInput.current) fileInput.current.value = '';
  };

  return (
    <aside id="side-panel" class={`panel${s.panelOpen ? ' open' : ''}${dragging ? ' dragging' : ''}`} aria-label="Chat and files"
      hidden={!s.panelOpen}
      onKeyDown={(e) => { if (e.key === 'Escape') { model.setPanelOpen(false); document.getElementById('btn-chat')?.focus(); } }}
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => { e.preventDefault(); setDragging(false); sendFiles(e.dataTransfer?.files ?? null); }}>
      <header class="panel-head">
        <h2>Chat and files</h2>
        <button type="button" class="icon-btn" id="btn-close-panel" onClick={() => { model.setPanelOpen(false); document.getElementById('btn-chat')?.focus(); }} aria-label="Close chat">
          <CloseIcon />
        </button>
      </header>
      <div class="feed" ref={list} role="log" aria-live="polite" aria-label="Messages and files"
        onScroll={(e) => { const el = e.currentTarget as HTMLElement; atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40; }}>
        {s.feed.length === 0 && <p class="feed-empty">No messages yet. Say hello, or drop a file here to share it.</p>}
        <ol class="feed-list">
          {s.feed.map((f) => (f.kind === 'message' ? <Message key={f.id} m={f} /> : <Transfer key={f.id} t={f} model={model} />))}
        </ol>
      </div>
      <form class="composer" onSubmit={submit}>
        <div class="composer-to">
          <label for="chat-target">To</label>
          <select id="chat-target" value={target} onChange={(e) => setTarget((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">Everyone</option>
            {others.map((p) => <option key={p.key} value={p.key}>{p.name} (private)</option>)}
          </select>
        </div>
        <div class="composer-row">
          <input ref={fileInput} id="file-input" type="file" class="visually-hidden" tabIndex={-1} multiple
            onChange={(e) => sendFiles((e.currentTarget as HTMLInputElement).files)} />
          <button type="button" class="icon-btn" id="btn-attach" disabled={!connected}
            onClick={() => fileInput.current?.click()} aria-label={target ? 'Send a file privately' : 'Send a file to everyone'} title="Send a file">
            <ClipIcon />
          </button>
          <label class="visually-hidden" for="chat-input">Message</label>
          <input ref={textInput} id="chat-input" type="text" autocomplete="off" maxLength={2000} placeholder={target ? 'Private message…' : 'Message everyone…'}
            value={text} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit" class="icon-btn primary" id="btn-send" disabled={!connected || !text.trim()} aria-label="Send message">
            <SendIcon />
          </button>
        </div>
        {problem && <p class="composer-problem" role="alert">{problem}</p>}
      </form>
    </aside>
  );
}

function Message({ m }: { m: ChatMessage }) {
  return (
    <li class={`msg${m.isSelf ? ' self' : ''}${m.isPrivate ? ' private' : ''}`} data-private={m.isPrivate ? 'true' : 'false'}>
      <div class="msg-meta">
        <span class="msg-from">{m.isSelf ? 'You' : m.fromName}</span>
        {m.isPrivate && <span class="msg-private">{m.isSelf ? `privately to ${m.toName}` : 'privately to you'}</span>}
        <time class="msg-time" dateTime={new Date(m.ts).toISOString()}>{formatTime(m.ts)}</time>
      </div>
      <p class="msg-text">{m.text}</p>
    </li>
  );
}

const STATUS_WORDS: Record<TransferRow['status'], string> = {
  waiting: 'waiting for them to accept', request: 'wants to send you this file', transferring: 'sending',
  done: 'done', declined: 'declined', cancelled: 'cancelled', failed: 'failed',
};

function Transfer({ t, model }: { t: TransferEntry; model: RoomModel }) {
  const incoming = t.direction === 'download';
  const row = t.rows[0];
  return (
    <li class={`msg transfer${incoming ? '' : ' self'}`} data-transfer={t.transferId} data-direction={t.direction}>
      <div class="msg-meta">
        <span class="msg-from">{incoming ? t.fromName : 'You'}</span>
        <span class="msg-private">{incoming ? (t.isPrivate ? 'sent you a file privately' : 'shared a file') : t.isPrivate ? 'sent a file privately' : 'shared a file'}</span>
        <time class="msg-time" dateTime={new Date(t.ts).toISOString()}>{formatTime(t.ts)}</time>
      </div>
      <div class="file-card">
        <FileIcon />
        <div class="file-info">
          <span class="file-name">{t.name}</span>
          <span class="file-size">{formatBytes(t.size)}</span>
        </div>
      </div>
      {incoming && row && (
        <div class="transfer-row" data-peer={row.peerId} data-status={row.status}>
          {row.status === 'request' && (
            <div class="transfer-actions">
              <button type="button" class="btn primary small" data-action="accept" onClick={() => model.answerTransfer(t.id, true)}>Accept</button>
              <button type="button" class="btn secondary small" data-action="decline" onClick={() => model.answerTransfer(t.id, false)}>Decline</button>
            </div>
          )}
          {row.status !== 'request' && <Progress row={row} label={`Receiving ${t.name}`} />}
          {row.status === 'transferring' && (
            <button type="button" class="link-btn" onClick={() => model.cancelTransfer(t.id, row.peerId)}>Cancel</button>
          )}
          {row.status === 'done' && t.url && (
            <a class="btn primary small download" href={t.url} download={t.name} data-action="download">Download {t.name}</a>
          )}
        </div>
      )}
      {!incoming && t.rows.map((r) => (
        <div class="transfer-row" key={r.peerId} data-peer={r.peerId} data-status={r.status}>
          <span class="transfer-to">To {r.peerName}</span>
          <Progress row={r} label={`Sending ${t.name} to ${r.peerName}`} />
          {(r.status === 'transferring' || r.status === 'waiting') && (
            <button type="button" class="link-btn" onClick={() => model.cancelTransfer(t.id, r.peerId)}>Cancel</button>
          )}
        </div>
      ))}
    </li>
  );
}

function Progress({ row, label }: { row: TransferRow; label: string }) {
  const ended = row.status !== 'transferring' && row.status !== 'done' && row.status !== 'waiting';
  return (
    <div class="progress-wrap">
      <progress class={`progress${ended ? ' ended' : ''}`} max={100} value={row.percentage} aria-label={label} data-percentage={row.percentage} />
      <span class="progress-text">
        {row.status === 'transferring' || row.status === 'done' ? `${row.percentage}%` : ''} {STATUS_WORDS[row.status]}
        {row.error ? ` (${row.error})` : ''}
      </span>
    </div>
  );
}
