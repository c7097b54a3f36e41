// In the call: the camera and microphone pickers (a small panel above the controls). Picking
// one switches the device without leaving the room; the others keep seeing and hearing us.
import { useEffect, useRef } from 'preact/hooks';
import { useStore } from '../../common/store.js';
import type { RoomModel } from '../model/RoomModel.js';

export function DeviceMenu({ model, onClose }: { model: RoomModel; onClose: () => void }) {
  const d = useStore(model.devices.store);
  const first = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    first.current?.focus();
    void model.devices.refresh();
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') onClose(); };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [model]);

  return (
    <div class="device-menu" id="device-menu" role="group" aria-label="Camera and microphone">
      <label for="call-camera-select">Camera</label>
      <select id="call-camera-select" ref={first} disabled={d.cameras.length === 0 || d.switching !== null} value={d.cameraId ?? ''}
        onChange={(e) => void model.switchDevice('video', (e.currentTarget as HTMLSelectElement).value)}>
        {(d.cameras.length === 0 || !d.cameraId) && <option value="">{d.cameras.length ? 'No camera in use' : 'No camera'}</option>}
        {d.cameras.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
      </select>
      <label for="call-mic-select">Microphone</label>
      <select id="call-mic-select" disabled={d.microphones.length === 0 || d.switching !== null} value={d.microphoneId ?? ''}
        onChange={(e) => void model.switchDevice('audio', (e.currentTarget as HTMLSelectElement).value)}>
        {(d.microphones.length === 0 || !d.microphoneId) && <option value="">{d.microphones.length ? 'No microphone in use' : 'No microphone'}</option>}
        {d.microphones.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
      </select>
      {d.switching && <p class="device-menu-status" role="status">Switching {d.switching === 'audio' ? 'microphone' : 'camera'}…</p>}
      <button type="button" class="btn secondary small" onClick={onClose}>Done</button>
    </div>
  );
}
