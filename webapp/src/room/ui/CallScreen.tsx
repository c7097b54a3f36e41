// In the call: top bar (room, people, link), the video grid, the controls, the side panel,
// and the reconnecting banner.
import { useEffect, useState } from 'preact/hooks';
import { CloseIcon, LockIcon, RecordIcon, UsersIcon, WifiOffIcon } from '../../common/icons.js';
import { useStore } from '../../common/store.js';
import type { RoomModel } from '../model/RoomModel.js';
import type { RoomState } from '../model/types.js';
import { ControlBar } from './ControlBar.js';
import { ShareLink } from './ShareLink.js';
import { SidePanel } from './SidePanel.js';
import { Stage } from './Stage.js';

export function CallScreen({ s, model }: { s: RoomState; model: RoomModel }) {
  const [showInvite, setShowInvite] = useState(false);
  const alone = s.participants.filter((p) => !p.isSelf).length === 0;
  const devices = useStore(model.devices.store);
  const rec = useStore(model.recording.store);

  useEffect(() => {
    const onVis = () => { if (document.visibilityState === 'visible') model.markRead(); };
    document.addEventListener('visibilitychange', onVis);
    return () => document.removeEventListener('visibilitychange', onVis);
  }, [model]);

  return (
    <div class={`call${s.panelOpen ? ' with-panel' : ''}`} data-phase={s.phase} data-connection={s.connection}>
      <header class="topbar">
        <div class="topbar-room">
          <a class="brand small" href="/" aria-label="Aerie start page">Aerie</a>
          <h1 class="room-title" title={s.room}>{s.room}</h1>
          {s.locked && <span class="pill locked" id="locked-indicator"><LockIcon /> Locked</span>}
          {rec.active && <span class="pill recording" id="recording-indicator" role="status" title="This call is being recorded"><RecordIcon /> Recording</span>}
        </div>
        <div class="topbar-right">
          <span class="pill" aria-label={`${s.participants.length} in the call`}><UsersIcon /> {s.participants.length}</span>
          <button type="button" class="btn secondary small" id="btn-invite" aria-expanded={showInvite ? 'true' : 'false'} aria-controls="invite"
            onClick={() => setShowInvite(!showInvite)}>Invite</button>
        </div>
      </header>
      {(showInvite || (alone && s.phase === 'in-call' && s.connection === 'connected')) && (
        <div class="invite" id="invite">
          {alone && <p class="invite-hint">You are the only one here. Send this link to the people you want to talk to:</p>}
          <ShareLink url={s.shareUrl} compact={!alone} />
        </div>
      )}
      {s.connection !== 'connected' && (
        <div class="banner" role="status" id="connection-banner" data-state={s.connection}>
          {s.connection === 'offline' ? <WifiOffIcon /> : <span class="spinner" aria-hidden="true" />}
          <span>{s.connectionMessage || 'Reconnecting…'}</span>
        </div>
      )}
      {s.phase === 'joining' && (
        <div class="banner info" role="status" id="joining-banner"><span class="spinner" aria-hidden="true" /><span>Joining the room…</span></div>
      )}
      {devices.notice && (
        <div class="banner note" role="status" id="device-notice" key={devices.notice.id}>
          <span>{devices.notice.text}</span>
          <button type="button" class="icon-btn" aria-label="Dismiss" title="Dismiss" onClick={() => model.devices.dismissNotice()}><CloseIcon /></button>
        </div>
      )}
      {(rec.error || rec.saved) && (
        <div class="banner note" role="status" id="recording-note">
          <span>{rec.error ? `Recording: ${rec.error}.` : 'The recording is saved on the server. Its administrator can download it from the console (Recordings).'}</span>
          <button type="button" class="icon-btn" aria-label="Dismiss" title="Dismiss" onClick={() => model.recording.dismiss()}><CloseIcon /></button>
        </div>
      )}
      <div class="call-body">
        <main class="call-main" aria-label="Video">
          <Stage participants={s.participants} grid={s.grid} speakerKey={s.speakerKey} onPrev={() => model.prevPage()} onNext={() => model.nextPage()} />
        </main>
        <SidePanel s={s} model={model} />
      </div>
      <ControlBar s={s} model={model} />
    </div>
  );
}
