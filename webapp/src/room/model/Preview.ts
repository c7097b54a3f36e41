// The setup screen's camera and microphone preview: asks for the devices once, lists them for
// the pickers (labels are only known after permission), and reopens the stream when the user
// picks another device. The preview stops before joining; joinRoom() opens the chosen devices.
import { Store } from '../../common/store.js';
import { deviceOptions } from './devices.js';

export interface PreviewState {
  status: 'idle' | 'asking' | 'ready' | 'unavailable';
  stream: MediaStream | null;
  cameras: Array<{ id: string; label: string }>;
  microphones: Array<{ id: string; label: string }>;
  cameraId: string | null;
  microphoneId: string | null;
  cameraOn: boolean;
  microphoneOn: boolean;
  /** Plain-words problem with the devices (none, refused, busy). */
  problem: string | null;
}

const PREFS_KEY = 'aerie.devices';

export class Preview {
  readonly store = new Store<PreviewState>({
    status: 'idle', stream: null, cameras: [], microphones: [], cameraId: null, microphoneId: null,
    cameraOn: true, microphoneOn: true, problem: null,
  });
  private seq = 0;

  private get s(): PreviewState { return this.store.get(); }

  constructor() {
    try {
      const saved = JSON.parse(localStorage.getItem(PREFS_KEY) || '{}');
      this.store.update({
        cameraId: typeof saved.cameraId === 'string' ? saved.cameraId : null,
        microphoneId: typeof saved.microphoneId === 'string' ? saved.microphoneId : null,
        cameraOn: saved.cameraOn !== false,
        microphoneOn: saved.microphoneOn !== false,
      });
    } catch { /* no storage */ }
  }

  async start(): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia) {
      this.store.update({ status: 'unavailable', problem: 'This browser cannot use a camera or microphone here (a page needs https, or localhost).' });
      return;
    }
    navigator.mediaDevices.addEventListener?.('devicechange', this.onDeviceChange);
    await this.open();
  }

  private readonly onDeviceChange = (): void => { void this.listDevices(); };

  private async open(): Promise<void> {
    const seq = ++this.seq;
    this.stopTracks();
    this.store.update({ status: 'asking', stream: null, problem: null });
    const { cameraId, microphoneId } = this.s;
    const want = async (audio: boolean, video: boolean) => navigator.mediaDevices.getUserMedia({
      audio: audio ? (microphoneId ? { deviceId: { ideal: microphoneId } } : true) : false,
      video: video ? { ...(cameraId ? { deviceId: { ideal: cameraId } } : {}), width: { ideal: 640 }, height: { ideal: 480 } } : false,
    });
    let stream: MediaStream | null = null;
    let problem: string | null = null;
    try {
      stream = await want(true, true);
    } catch (e) {
      // One of the two may be missing or busy: try each alone.
      const name = (e as Error)?.name;
      for (const [a, v] of [[false, true], [true, false]] as const) {
        try { stream = await want(a, v); break; } catch { /* next */ }
      }
      problem = explainMediaError(name, !!stream);
    }
    if (seq !== this.seq) { stream?.getTracks().forEach((t) => t.stop()); return; }
    if (!stream) {
      this.store.update({ status: 'unavailable', stream: null, problem });
      await this.listDevices();
      return;
    }
    for (const t of stream.getAudioTracks()) t.enabled = this.s.microphoneOn;
    for (const t of stream.getVideoTracks()) t.enabled = this.s.cameraOn;
    const cam = stream.getVideoTracks()[0]?.getSettings().deviceId ?? this.s.cameraId;
    const mic = stream.getAudioTracks()[0]?.getSettings().deviceId ?? this.s.microphoneId;
    this.store.update({ status: 'ready', stream, problem, cameraId: cam ?? null, microphoneId: mic ?? null });
    await this.listDevices();
  }

  private async listDevices(): Promise<void> {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    try {
      this.store.update(deviceOptions(await navigator.mediaDevices.enumerateDevices()));
    } catch { /* keep the old lists */ }
  }

  hasCamera(): boolean { return !!this.s.stream?.getVideoTracks().length; }
  hasMicrophone(): boolean { return !!this.s.stream?.getAudioTracks().length; }

  async pickCamera(id: string): Promise<void> { this.store.update({ cameraId: id }); this.save(); await this.open(); }
  async pickMicrophone(id: string): Promise<void> { this.store.update({ microphoneId: id }); this.save(); await this.open(); }

  toggleCamera(): void {
    const on = !this.s.cameraOn;
    for (const t of this.s.stream?.getVideoTracks() ?? []) t.enabled = on;
    this.store.update({ cameraOn: on });
    this.save();
  }

  toggleMicrophone(): void {
    const on = !this.s.microphoneOn;
    for (const t of this.s.stream?.getAudioTracks() ?? []) t.enabled = on;
    this.store.update({ microphoneOn: on });
    this.save();
  }

  private save(): void {
    const { cameraId, microphoneId, cameraOn, microphoneOn } = this.s;
    try { localStorage.setItem(PREFS_KEY, JSON.stringify({ cameraId, microphoneId, cameraOn, microphoneOn })); } catch { /* no storage */ }
  }

  private stopTracks(): void {
    this.s.stream?.getTracks().forEach((t) => t.stop());
  }

  /** Releases the devices (before joinRoom opens them again, and when leaving the page). */
  stop(): void {
    this.seq++;
    this.stopTracks();
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
    this.store.update({ status: 'idle', stream: null });
  }
}

function explainMediaError(name: string | undefined, partial: boolean): string {
  const some = partial ? 'Only part of your devices could be opened: ' : '';
  switch (name) {
    case 'NotAllowedError': case 'SecurityError':
      return `${some}the browser was not allowed to use the camera or microphone. Allow it in the address bar, then reload.`;
    case 'NotFoundError': case 'OverconstrainedError':
      return `${some}no camera or microphone was found.${partial ? '' : ' You can still join to watch and chat.'}`;
    case 'NotReadableError': case 'AbortError':
      return `${some}the camera or microphone is busy (another app may be using it).`;
    default:
      return `${some}the camera or microphone could not be opened${name ? ` (${name})` : ''}.`;
  }
}
