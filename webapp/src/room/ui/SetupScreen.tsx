// Before joining: see yourself, pick the camera and microphone, say your name.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useStore } from '../../common/store.js';
import { CameraIcon, CameraOffIcon, MicIcon, MicOffIcon } from '../../common/icons.js';
import type { Preview } from '../model/Preview.js';
import type { RoomModel } from '../model/RoomModel.js';
import type { RoomState } from '../model/types.js';
import { ShareLink } from './ShareLink.js';

const NAME_KEY = 'aerie.name';

export function SetupScreen({ s, model, preview }: { s: RoomState; model: RoomModel; preview: Preview }) {
  const p = useStore(preview.store);
  const video = useRef<HTMLVideoElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const [name, setName] = useState(() => { try { return localStorage.getItem(NAME_KEY) || ''; } catch { return ''; } });

  useEffect(() => {
    void preview.start();
    nameInput.current?.focus();
    return () => preview.stop();
  }, []);

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    if (v.srcObject !== p.stream) v.srcObject = p.stream;
    if (p.stream) v.play().catch(() => undefined);
  }, [p.stream]);

  const hasCam = !!p.stream?.getVideoTracks().length;
  const hasMic = !!p.stream?.getAudioTracks().length;

  const join = (e: Event) => {
    e.preventDefault();
    const clean = name.trim().slice(0, 40);
    try { localStorage.setItem(NAME_KEY, clean); } catch { /* no storage */ }
    const choice = {
      name: clean || 'Guest',
      audioDeviceId: p.microphoneId, videoDeviceId: p.cameraId,
      hasAudio: hasMic, hasVideo: hasCam,
      audioMuted: !p.microphoneOn, videoMuted: !p.cameraOn,
    };
    // Free the devices first: joinRoom() opens the chosen ones again.
    preview.stop();
    model.join(choice);
  };

  const busy = p.status === 'asking';
  return (
    <main class="setup" aria-labelledby="setup-title">
      <section class="setup-preview">
        <div class="preview-box">
          <video ref={video} class={`preview-video mirror${hasCam && p.cameraOn ? '' : ' hidden'}`} autoplay playsInline muted />
          {(!hasCam || !p.cameraOn) && (
            <div class="preview-off">{busy ? 'Starting camera…' : hasCam ? 'Camera is off' : 'No camera'}</div>
          )}
          <div class="preview-toggles">
            <button type="button" id="preview-mic" class={`ctl round${p.microphoneOn && hasMic ? '' : ' off'}`} disabled={!hasMic}
              aria-pressed={p.microphoneOn ? 'false' : 'true'} onClick={() => preview.toggleMicrophone()}
              aria-label="Join muted" title={p.microphoneOn ? 'Microphone on: click to join muted' : 'Microphone off: click to turn it on'}>
              {p.microphoneOn && hasMic ? <MicIcon /> : <MicOffIcon />}
            </button>
            <button type="button" id="preview-camera" class={`ctl round${p.cameraOn && hasCam ? '' : ' off'}`} disabled={!hasCam}
              aria-pressed={p.cameraOn ? 'false' : 'true'} onClick={() => preview.toggleCamera()}
              aria-label="Join with camera off" title={p.cameraOn ? 'Camera on: click to join with it off' : 'Camera off: click to turn it on'}>
              {p.cameraOn && hasCam ? <CameraIcon /> : <CameraOffIcon />}
            </button>
          </div>
        </div>
        {p.problem && <p class="notice warn" role="alert">{p.problem}</p>}
      </section>
      <section class="setup-form">
        <h1 id="setup-title">Ready to join?</h1>
        <p class="room-name">Room <strong>{s.room}</strong></p>
        <form onSubmit={join}>
          <label for="display-name">Your name</label>
          <input id="display-name" ref={nameInput} type="text" maxLength={40} autocomplete="nickname" placeholder="Guest"
            value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
          <label for="camera-select">Camera</label>
          <select id="camera-select" disabled={p.cameras.length === 0 || busy} value={p.cameraId ?? ''}
            onChange={(e) => void preview.pickCamera((e.currentTarget as HTMLSelectElement).value)}>
            {p.cameras.length === 0 && <option value="">No camera</option>}
            {p.cameras.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
          </select>
          <label for="mic-select">Microphone</label>
          <select id="mic-select" disabled={p.microphones.length === 0 || busy} value={p.microphoneId ?? ''}
            onChange={(e) => void preview.pickMicrophone((e.currentTarget as HTMLSelectElement).value)}>
            {p.microphones.length === 0 && <option value="">No microphone</option>}
            {p.microphones.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
          </select>
          {s.error && (
            <div class="notice error" role="alert">
              <p>{s.error}</p>
              {!s.ready && <button type="button" class="btn secondary small" onClick={() => model.retryInit()}>Try again</button>}
            </div>
          )}
          <button type="submit" id="btn-join" class="btn primary big" disabled={!s.ready || busy}>
            {s.ready ? (hasCam || hasMic ? 'Join now' : 'Join without camera and microphone') : s.error ? 'Cannot join yet' : 'Connecting…'}
          </button>
        </form>
        <ShareLink url={s.shareUrl} />
      </section>
    </main>
  );
}
