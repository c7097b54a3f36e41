// The call's controls. Toggle buttons say what they will do and carry aria-pressed for what
// is on now, so a screen reader hears both.
import { CameraIcon, CameraOffIcon, ChatIcon, LeaveIcon, LockIcon, MicIcon, MicOffIcon, ScreenIcon, UnlockIcon } from '../../common/icons.js';
import type { RoomModel } from '../model/RoomModel.js';
import type { RoomState } from '../model/types.js';

export function ControlBar({ s, model }: { s: RoomState; model: RoomModel }) {
  const connected = s.phase === 'in-call' && s.connection === 'connected';
  const canShare = typeof navigator.mediaDevices?.getDisplayMedia === 'function';
  return (
    <div class="controls" role="toolbar" aria-label="Call controls">
      <button type="button" id="btn-mic" class={`ctl${s.audioMuted ? ' off' : ''}`} aria-pressed={s.audioMuted ? 'true' : 'false'}
        disabled={!s.hasAudio || s.phase !== 'in-call'} onClick={() => model.toggleAudio()}
        title={s.hasAudio ? (s.audioMuted ? 'Unmute microphone' : 'Mute microphone') : 'No microphone'}>
        {s.audioMuted ? <MicOffIcon /> : <MicIcon />}
        <span class="ctl-label">{s.audioMuted ? 'Unmute' : 'Mute'}</span>
      </button>
      <button type="button" id="btn-camera" class={`ctl${s.videoMuted ? ' off' : ''}`} aria-pressed={s.videoMuted ? 'true' : 'false'}
        disabled={!s.hasVideo || s.phase !== 'in-call'} onClick={() => model.toggleVideo()}
        title={s.hasVideo ? (s.videoMuted ? 'Turn camera on' : 'Turn camera off') : 'No camera'}>
        {s.videoMuted ? <CameraOffIcon /> : <CameraIcon />}
        <span class="ctl-label">{s.videoMuted ? 'Start video' : 'Stop video'}</span>
      </button>
      {canShare && (
        <button type="button" id="btn-screen" class={`ctl wide-only${s.sharingScreen ? ' on' : ''}`} aria-pressed={s.sharingScreen ? 'true' : 'false'}
          disabled={!connected} onClick={() => model.toggleScreen()} title={s.sharingScreen ? 'Stop sharing your screen' : 'Share your screen'}>
          <ScreenIcon />
          <span class="ctl-label">{s.sharingScreen ? 'Stop sharing' : 'Share screen'}</span>
        </button>
      )}
      <button type="button" id="btn-lock" class={`ctl${s.locked ? ' on' : ''}`} aria-pressed={s.locked ? 'true' : 'false'}
        disabled={!connected} onClick={() => model.toggleLock()}
        title={s.locked ? 'Unlock the room: let new people in' : 'Lock the room: nobody new can join'}>
        {s.locked ? <LockIcon /> : <UnlockIcon />}
        <span class="ctl-label">{s.locked ? 'Unlock' : 'Lock'}</span>
      </button>
      <button type="button" id="btn-chat" class={`ctl${s.panelOpen ? ' on' : ''}`} aria-pressed={s.panelOpen ? 'true' : 'false'}
        aria-controls="side-panel" onClick={() => model.setPanelOpen(!s.panelOpen)}
        title={s.panelOpen ? 'Hide chat and files' : 'Show chat and files'}
        aria-label={`Chat and files${s.unread ? `, ${s.unread} unread` : ''}`}>
        <ChatIcon />
        <span class="ctl-label">Chat</span>
        {s.unread > 0 && <span class="unread" id="unread-count" aria-hidden="true">{s.unread > 99 ? '99+' : s.unread}</span>}
      </button>
      <button type="button" id="btn-leave" class="ctl leave" onClick={() => model.leave()} title="Leave the call">
        <LeaveIcon />
        <span class="ctl-label">Leave</span>
      </button>
    </div>
  );
}
