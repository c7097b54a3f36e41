// Recording the call (SFU rooms, Aerie's library): the record button for the room's owner, the
// "Recording" indicator on every page, and the note once a recording is saved. The owner is the
// person longest in the room, as the server names them (the library's roomOwnerChanged: whoever
// created the room, until they leave). The server records; the files are the server
// administrator's (the console's Recordings, behind the admin token), so the page gets no link.
import type { SkylinkApi } from '../../common/skylink.js';
import { Store } from '../../common/store.js';

/** SkylinkJS' RECORDING_STATE (both libraries). */
const REC = { START: 0, STOP: 1, LINK: 2, ERROR: -1 } as const;

export interface CallRecordingState {
  /** The room can be recorded from this page: an SFU room on a library with startRecording. */
  available: boolean;
  /** We are the room's owner: the record button is ours. */
  isOwner: boolean;
  /** The room is being recorded (whoever started it). */
  active: boolean;
  recordingId: string | null;
  /** Our start or stop is on its way. */
  pending: 'start' | 'stop' | null;
  /** Why our start or stop failed, or why the recording stopped, until dismissed. */
  error: string | null;
  /** The recording that ended last, for the "saved" note (until dismissed). */
  saved: string | null;
}

export interface CallRecordingHost {
  skylink(): SkylinkApi | null;
  announce(text: string): void;
}

const INITIAL: CallRecordingState = { available: false, isOwner: false, active: false, recordingId: null, pending: null, error: null, saved: null };

export class CallRecording {
  readonly store = new Store<CallRecordingState>(INITIAL);

  constructor(private readonly host: CallRecordingHost) {}

  private get s(): CallRecordingState { return this.store.get(); }

  wire(sk: SkylinkApi): void {
    sk.on('peerJoined', (_peerId, _info, isSelf) => {
      if (isSelf) this.store.update({ available: sk.hasMCU === true && typeof sk.startRecording === 'function' });
    });
    sk.on('roomOwnerChanged', (_peerId, isSelf) => { this.store.update({ isOwner: isSelf }); });
    sk.on('recordingState', (state, recordingId, _link, error) => {
      if (state === REC.START) {
        if (!this.s.active) this.host.announce('This call is being recorded.');
        this.store.update({ active: true, recordingId, pending: null, error: null, saved: null });
      } else if (state === REC.STOP) {
        if (this.s.active) this.host.announce('The recording has stopped.');
        this.store.update({ active: false, recordingId: null, pending: null, saved: recordingId });
      } else if (state === REC.ERROR) {
        this.store.update({ pending: null, error: error?.message || 'the server could not record' });
      }
    });
  }

  /** The record button: start, or stop the recording under way. */
  toggle(): void {
    const sk = this.host.skylink();
    if (!sk?.startRecording || !sk.stopRecording || this.s.pending) return;
    const stopping = this.s.active;
    this.store.update({ pending: stopping ? 'stop' : 'start', error: null });
    const done = (err: unknown) => {
      if (!err) return; // recordingState says the rest
      const message = err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err);
      this.store.update({ pending: null, error: message });
    };
    if (stopping) sk.stopRecording(done);
    else sk.startRecording(done);
  }

  dismiss(): void { this.store.update({ error: null, saved: null }); }

  /** We left the room: nothing of it is ours any more. */
  reset(): void { this.store.set(INITIAL); }
}
