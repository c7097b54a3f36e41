// The call's controls. Toggles follow the ARIA pattern: a fixed name ("Mute") and aria-pressed
// for the state ("Mute, pressed" = muted), with the state also shown by colour and icon; the
// tooltip says what a click will do.
import { useState } from 'preact/hooks';
import { CameraIcon, CameraOffIcon, ChatIcon, LeaveIcon, LockIcon, MicIcon, MicOffIcon, RecordIcon, ScreenIcon, SlidersIcon, StopIcon, UnlockIcon } from '../../common/icons.js';
import { useStore } from '../../common/store.js';
import type { RoomModel } from '../model/RoomModel.js';
import type { RoomState } from '../model/types.js';
import { DeviceMenu } from './DeviceMenu.js';

export function ControlBar({ s, model }: { s: RoomState; model: RoomModel }) {
  const connected = s.phase === 'in-call' && s.connection === 'connected';
  const canShare = typeof navigator.mediaDevices?.getDisplayMedia === 'function';
  const devices = useStore(model.devices.store);
  const rec = useStore(model.recording.store);
  const [menu, setMenu] = useState(false);
  return (
    <div class="controls" role="group" aria-label="Call controls">
      {menu && <DeviceMenu model={model} onClose={() => setMenu(false)} />}
      <button type="button" id="btn-mic" class={`ctl${s.audioMuted ? ' off' : ''}`} aria-pressed={s.audioMuted ? 'true' : 'false'}
        disabled={!s.hasAudio || s.phase !== 'in-call'} onClick={() => model.toggleAudio()}
        title={s.hasAudio ? (s.audioMuted ? 'Unmute microphone' : 'Mute microphone') : 'No microphone'}>
        {s.audioMuted ? <MicOffIcon /> : <MicIcon />}
        <span class="ctl-label">Mute</span>
      </button>
      <button type="button" id="btn-camera" class={`ctl${s.videoMuted ? ' off' : ''}`} aria-pressed={s.videoMuted ? 'true' : 'false'}
        disabled={!s.hasVideo || s.phase !== 'in-call'} onClick={() => model.toggleVideo()}
        title={s.hasVideo ? (s.videoMuted ? 'Turn camera on' : 'Turn camera off') : 'No camera'}>
        {s.videoMuted ? <CameraOffIcon /> : <CameraIcon />}
        <span class="ctl-label">Camera off</span>
      </button>
      {devices.supported && (
        <button type="button" id="btn-devices" class={`ctl${menu ? ' on' : ''}`} aria-expanded={menu ? 'true' : 'false'} aria-controls="device-menu"
          disabled={s.phase !== 'in-call'} onClick={() => setMenu(!menu)} title="Choose the camera and microphone">
          <SlidersIcon />
          <span class="ctl-label">Devices</span>
        </button>
      )}
      {canShare && (
        <button type="button" id="btn-screen" class={`ctl wide-only${s.sharingScreen ? ' on' : ''}`} aria-pressed={s.sharingScreen ? 'true' : 'false'}
          disabled={!connected} onClick={() => model.toggleScreen()} title={s.sharingScreen ? 'Stop sharing your screen' : 'Share your screen'}>
          <ScreenIcon />
          <span class="ctl-label">Share screen</span>
        </button>
      )}
      <button type="button" id="btn-lock" class={`ctl${s.locked ? ' on' : ''}`} aria-pressed={s.locked ? 'true' : 'false'}
        disabled={!connected} onClick={() => model.toggleLock()}
        title={s.locked ? 'Unlock the room: let new people in' : 'Lock the room: nobody new can join'}>
        {s.locked ? <LockIcon /> : <UnlockIcon />}
        <span class="ctl-label">Lock</span>
      </button>
      {rec.available && rec.isOwner && (
        // The room's owner only (the person longest in it): start and stop recording the call.
        <button type="button" id="btn-record" class={`ctl${rec.active ? ' recording' : ''}`} aria-pressed={rec.active ? 'true' : 'false'}
          disabled={!connected || rec.pending !== null} onClick={() => model.recording.toggle()}
          title={rec.active ? 'Stop recording the call' : 'Record the call (everyone sees that it is recorded)'}>
          {rec.active ? <StopIcon /> : <RecordIcon />}
          <span class="ctl-label">{rec.active ? 'Stop recording' : 'Record'}</span>
        </button>
      )}
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
