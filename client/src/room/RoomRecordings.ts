// Recordings of an SFU room, as SkylinkJS 0.6.37 keeps them (`_recordings`, getRecordings()):
// the MCU's `recordingEvent` (`on`, `off`, `url`, `error`) turned into `recordingState` events
// with SkylinkJS' states and arguments, and the one under way. One per Skylink object: the
// list outlives a room, as in 0.6.37.
import * as C from '../constants.js';
import type { Emit } from '../context.js';
import type { SigMessage } from '../signaling/messages.js';

export interface RecordingInfo {
  active: boolean;
  state: number;
  startedDateTime: string;
  endedDateTime: string | null;
  mixingDateTime: string | null;
  /** 0.6.37's shape: `{ mixin: url }` once the server sent the recording's url. */
  links: Record<string, string> | null;
  error: Error | null;
}

export class RoomRecordings {
  private readonly recordings = new Map<string, RecordingInfo>();
  private currentId: string | null = null;

  constructor(private readonly emit: Emit, private readonly now: () => number = Date.now) {}

  /** The recording under way in our room, as far as we heard. */
  get current(): string | null { return this.currentId; }

  /** A copy of every recording heard of (getRecordings()). */
  list(): Record<string, RecordingInfo> {
    const out: Record<string, RecordingInfo> = {};
    for (const [id, r] of this.recordings) out[id] = { ...r, links: r.links ? { ...r.links } : null };
    return out;
  }

  /** We left the room (or lost it): nothing is under way for us any more. */
  leftRoom(): void {
    if (!this.currentId) return;
    const r = this.recordings.get(this.currentId);
    if (r) r.active = false;
    this.currentId = null;
  }

  onEvent(msg: SigMessage): void {
    const id = typeof msg.recordingId === 'string' ? msg.recordingId : '';
    const stamp = new Date(this.now()).toISOString();
    const known = this.recordings.get(id);
    switch (msg.action) {
      case 'on':
        // Heard again after we left and came back into a room still being recorded: on again.
        if (!id || known?.active) return;
        this.currentId = id;
        if (known) { known.active = true; known.state = C.RECORDING_STATE.START; } else {
          this.recordings.set(id, { active: true, state: C.RECORDING_STATE.START, startedDateTime: stamp, endedDateTime: null, mixingDateTime: null, links: null, error: null });
        }
        this.emit('recordingState', C.RECORDING_STATE.START, id, null, null);
        return;
      case 'off':
        if (!known) return;
        if (this.currentId === id) this.currentId = null;
        known.active = false;
        known.state = C.RECORDING_STATE.STOP;
        known.endedDateTime = stamp;
        this.emit('recordingState', C.RECORDING_STATE.STOP, id, null, null);
        return;
      case 'url': {
        if (!known) return;
        const links: Record<string, string> = {};
        if (typeof msg.url === 'string') links.mixin = msg.url;
        known.links = links;
        known.state = C.RECORDING_STATE.LINK;
        known.mixingDateTime = stamp;
        this.emit('recordingState', C.RECORDING_STATE.LINK, id, links, null);
        return;
      }
      default: {
        // An error: of our request (aerie names the recording under way, if any: "already
        // recording"), or of the recording, which aerie then stops (`off` follows). The
        // recording's own state changes with that `off`, not here.
        const error = new Error(typeof msg.error === 'string' && msg.error ? msg.error : 'Unknown error');
        if (known) known.error = error;
        this.emit('recordingState', C.RECORDING_STATE.ERROR, id || null, null, error);
      }
    }
  }
}
