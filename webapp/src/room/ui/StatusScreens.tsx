// Full-page screens for when the user is not in the call: a locked or full room, after
// leaving, and errors they must act on. Each focuses its heading so keyboard and screen reader
// users land on the news.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { carriedQuery } from '../../common/config.js';
import { LockIcon, UsersIcon } from '../../common/icons.js';
import type { RoomModel } from '../model/RoomModel.js';
import type { RoomState } from '../model/types.js';

function Screen({ id, icon, title, children }: { id: string; icon?: ComponentChildren; title: string; children: ComponentChildren }) {
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => { h.current?.focus(); }, [title]);
  return (
    <main class="status-screen" id={id} aria-labelledby={`${id}-title`}>
      <div class="status-card">
        {icon && <div class="status-icon" aria-hidden="true">{icon}</div>}
        <h1 id={`${id}-title`} ref={h} tabIndex={-1}>{title}</h1>
        {children}
      </div>
    </main>
  );
}

const home = () => `/${carriedQuery()}`;

export function BlockedScreen({ s, model }: { s: RoomState; model: RoomModel }) {
  const full = s.blocked?.reason === 'full';
  return (
    <Screen id="blocked" icon={full ? <UsersIcon /> : <LockIcon />} title={full ? 'This room is full' : 'This room is locked'}>
      <p class="status-text" data-reason={s.blocked?.reason}>
        {full
          ? `There is no space left in “${s.room}”. Try again when someone has left, or start a new room.`
          : `The people in “${s.room}” have locked it, so nobody new can join right now. Ask them to unlock it, then try again.`}
      </p>
      {s.blocked?.message && <p class="status-detail">The server said: {s.blocked.message}</p>}
      <div class="status-actions">
        <button type="button" class="btn primary" id="btn-try-again" onClick={() => model.tryAgain()}>Try again</button>
        <a class="btn secondary" href={home()}>Start a new room</a>
      </div>
    </Screen>
  );
}

export function LeftScreen({ s, model }: { s: RoomState; model: RoomModel }) {
  return (
    <Screen id="left" title="You left the call">
      <p class="status-text">You are no longer in “{s.room}”.</p>
      <div class="status-actions">
        <button type="button" class="btn primary" id="btn-rejoin" onClick={() => model.backToSetup()}>Rejoin</button>
        <a class="btn secondary" href={home()}>Back to the start page</a>
      </div>
    </Screen>
  );
}

export function ErrorScreen({ s }: { s: RoomState }) {
  return (
    <Screen id="error" title="This room cannot open">
      <p class="status-text">{s.error}</p>
      <div class="status-actions">
        <button type="button" class="btn primary" onClick={() => location.reload()}>Reload</button>
        <a class="btn secondary" href={home()}>Back to the start page</a>
      </div>
    </Screen>
  );
}

export function LoadingScreen() {
  return (
    <main class="status-screen" aria-busy="true">
      <div class="status-card"><span class="spinner big" aria-hidden="true" /><p class="status-text">Opening the room…</p></div>
    </main>
  );
}
