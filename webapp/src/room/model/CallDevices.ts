// The camera and microphone during the call: the pickers' lists and current devices, switching
// without leaving the room (the library's switchMediaDevice: the others keep seeing and hearing
// us), and the note shown when a device goes away and the library falls back to another one
// (its mediaDeviceLost event). The setup screen's pickers are Preview's.
import type { SkylinkApi } from '../../common/skylink.js';
import { Store } from '../../common/store.js';
import { deviceOptions, lostDeviceText, switchFailedText, trackDeviceId, type DeviceKind, type DeviceOption } from './devices.js';

export interface CallDevicesState {
  /** The library can switch devices in a call (Aerie's can; SkylinkJS 0.6 cannot). */
  supported: boolean;
  cameras: DeviceOption[];
  microphones: DeviceOption[];
  cameraId: string | null;
  microphoneId: string | null;
  /** A switch of this kind is under way. */
  switching: DeviceKind | null;
  /** What happened to a device, until dismissed. */
  notice: { id: number; text: string } | null;
}

/** What CallDevices needs from the room model. */
export interface CallDevicesHost {
  skylink(): SkylinkApi | null;
  /** A kind came (a device was picked) or went (lost, no other one): the controls and the rejoin choice follow. */
  kindChanged(kind: DeviceKind, deviceId: string | null): void;
  announce(text: string): void;
}

const PREFS_KEY = 'aerie.devices';

export class CallDevices {
  readonly store = new Store<CallDevicesState>({
    supported: false, cameras: [], microphones: [], cameraId: null, microphoneId: null, switching: null, notice: null,
  });
  private noticeSeq = 0;
  private listening = false;

  constructor(private readonly host: CallDevicesHost) {}

  private get s(): CallDevicesState { return this.store.get(); }

  wire(sk: SkylinkApi): void {
    this.store.update({ supported: typeof sk.switchMediaDevice === 'function' });
    sk.on('incomingStream', (_peerId, stream, isSelf, _info, isScreensharing) => {
      if (isSelf && !isScreensharing) this.useStream(stream);
    });
    sk.on('mediaDeviceLost', (kind, lost, replacement) => {
      this.host.kindChanged(kind, replacement?.deviceId ?? null);
      this.store.update(kind === 'audio' ? { microphoneId: replacement?.deviceId ?? null } : { cameraId: replacement?.deviceId ?? null });
      if (replacement) remember(kind, replacement.deviceId);
      this.notify(lostDeviceText(kind, lost, replacement));
      void this.refresh();
    });
  }

  /** In the call: keep the lists current (devices plugged in or out). */
  start(): void {
    if (!this.listening) {
      mediaDevices()?.addEventListener?.('devicechange', this.onDeviceChange);
      this.listening = true;
    }
    void this.refresh();
  }

  stop(): void {
    mediaDevices()?.removeEventListener?.('devicechange', this.onDeviceChange);
    this.listening = false;
  }

  private readonly onDeviceChange = (): void => { void this.refresh(); };

  async refresh(): Promise<void> {
    const md = mediaDevices();
    if (!md?.enumerateDevices) return;
    try {
      this.store.update(deviceOptions(await md.enumerateDevices()));
    } catch { /* keep the old lists */ }
  }

  /** The devices our stream uses (each time the library hands it out). */
  private useStream(stream: MediaStream): void {
    const cameraId = trackDeviceId(stream, 'video');
    const microphoneId = trackDeviceId(stream, 'audio');
    this.store.update({ cameraId, microphoneId });
  }

  /** The pickers: the other people keep seeing and hearing us while the device changes. */
  switchTo(kind: DeviceKind, deviceId: string): Promise<void> {
    const sk = this.host.skylink();
    const current = kind === 'audio' ? this.s.microphoneId : this.s.cameraId;
    if (!sk?.switchMediaDevice || !deviceId || deviceId === current || this.s.switching) return Promise.resolve();
    const target = (kind === 'audio' ? this.s.microphones : this.s.cameras).find((d) => d.id === deviceId);
    this.store.update({ switching: kind });
    return new Promise<void>((resolve) => {
      sk.switchMediaDevice!(kind, deviceId, (err: unknown, stream: MediaStream | null) => {
        this.store.update({ switching: null });
        if (err || !stream) {
          this.notify(switchFailedText(kind, target, err));
        } else {
          this.useStream(stream);
          const id = trackDeviceId(stream, kind) ?? deviceId;
          this.host.kindChanged(kind, id);
          remember(kind, id);
          if (this.s.notice) this.dismissNotice();
          this.host.announce(`Now using ${target ? `“${target.label}”` : `another ${kind === 'audio' ? 'microphone' : 'camera'}`}.`);
        }
        void this.refresh();
        resolve();
      });
    });
  }

  dismissNotice(): void { this.store.update({ notice: null }); }

  private notify(text: string): void {
    this.store.update({ notice: { id: ++this.noticeSeq, text } });
    this.host.announce(text);
  }
}

function mediaDevices(): MediaDevices | undefined {
  return typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
}

/** The setup screen preselects the device used last (the key Preview reads). */
function remember(kind: DeviceKind, id: string): void {
  try {
    const saved = JSON.parse(localStorage.getItem(PREFS_KEY) || '{}');
    saved[kind === 'audio' ? 'microphoneId' : 'cameraId'] = id;
    localStorage.setItem(PREFS_KEY, JSON.stringify(saved));
  } catch { /* no storage */ }
}
