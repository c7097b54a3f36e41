// The room page's model: owns the Skylink object, turns its events into RoomState snapshots,
// and carries the user's actions to it. Views never call the library; this is the only file
// that knows the SkylinkJS event names and argument orders.
//
// Lifecycle: start() loads the config and the library and calls init(); join() calls
// joinRoom(); leave() calls leaveRoom(). While in the call, a lost signaling channel puts the
// page in 'reconnecting': the library gets a few seconds to rejoin by itself, then the model
// rejoins (init() for fresh credentials, then joinRoom()) on a backoff schedule until it is back
// in, the room turns out locked, or the user leaves.
import { carriedQuery, loadConfig, roomServerFor, type AppConfig } from '../../common/config.js';
import { nameFromUserData } from '../../common/format.js';
import { roomPath } from '../../common/roomName.js';
import { loadSkylink, TRANSFER_STATE as TS, type MediaOptions, type PeerInfo, type SkylinkApi, type TransferInfo } from '../../common/skylink.js';
import { Store } from '../../common/store.js';
import { AudioLevels } from './AudioLevels.js';
import { CallDevices } from './CallDevices.js';
import { CallRecording } from './CallRecording.js';
import type { DeviceKind } from './devices.js';
import { Reconnector } from './Reconnector.js';
import { GridPager } from './paging.js';
import { SpeakerPicker } from './speaker.js';
import { applyTransferEvent, describeError, findTransfer, isActive, patchTransfer } from './transfers.js';
import type { FeedEntry, Participant, RoomState } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface JoinChoice {
  name: string;
  audioDeviceId: string | null;
  videoDeviceId: string | null;
  /** Devices exist and may be used; false joins without them (receive only). */
  hasAudio: boolean;
  hasVideo: boolean;
  /** Start muted. */
  audioMuted: boolean;
  videoMuted: boolean;
}

/** What start() loads; tests give their own. */
export interface RoomModelDeps {
  loadConfig: () => Promise<AppConfig>;
  loadSkylink: (choice: AppConfig['lib']) => Promise<new () => SkylinkApi>;
}

export const TIMINGS = {
  /** How long the library may try to get back in by itself before the model rejoins. */
  libraryGraceMs: 6000,
  /** A rejoin attempt that has not answered by then counts as failed. */
  attemptTimeoutMs: 15000,
  /** Audio level sampling period (speaker highlight). */
  levelPeriodMs: 150,
  /** Upload timeout handed to sendBlobData (seconds; SkylinkJS' unit). */
  transferTimeoutS: 60,
};

const FULL_RE = /full/i;

function log(...args: unknown[]): void {
  console.info('[aerie-app]', ...args);
}

function initialState(room: string): RoomState {
  return {
    phase: 'loading', room, shareUrl: `${location.origin}${roomPath(room)}${carriedQuery()}`,
    error: null, blocked: null, ready: false, selfName: '', selfId: null,
    connection: 'connected', connectionMessage: '', reconnectAttempt: 0,
    participants: [], grid: { keys: [], page: 0, pages: 1 }, speakerKey: null, locked: false,
    audioMuted: false, videoMuted: false, hasAudio: false, hasVideo: false, sharingScreen: false,
    feed: [], unread: 0, panelOpen: typeof window !== 'undefined' && window.innerWidth >= 1100, announcement: null,
  };
}

export class RoomModel {
  readonly store: Store<RoomState>;
  private sk: SkylinkApi | null = null;
  private config: AppConfig | null = null;
  private choice: JoinChoice | null = null;
  private readonly peers = new Map<string, Participant>();
  private readonly levels = new AudioLevels();
  private readonly speaker = new SpeakerPicker();
  private readonly pager = new GridPager();
  /** SFU rooms: the speaker as the server last named it (the participant's key), from activeSpeakerChanged. */
  private serverSpeaker: string | null = null;
  private levelTimer: ReturnType<typeof setInterval> | null = null;
  /** Bumped by every join attempt and by leaving: a joinRoom callback of an older one is ignored. */
  private attemptSeq = 0;
  private readonly reconnector = new Reconnector(
    (n) => this.rejoin(n),
    () => ({ graceMs: TIMINGS.libraryGraceMs, attemptTimeoutMs: TIMINGS.attemptTimeoutMs }),
    () => { this.attemptSeq++; },
  );
  private leaving = false;
  private announceSeq = 0;
  private msgSeq = 0;
  private readonly objectUrls: string[] = [];
  /** The in-call camera and microphone pickers (their own store). */
  readonly devices = new CallDevices({
    skylink: () => this.sk,
    kindChanged: (kind, deviceId) => this.onDeviceKind(kind, deviceId),
    announce: (text) => this.announce(text),
  });

  /** Recording the call: the owner's button, everyone's indicator (its own store). */
  readonly recording = new CallRecording({
    skylink: () => this.sk,
    announce: (text) => this.announce(text),
  });

  private readonly deps: RoomModelDeps;

  constructor(readonly room: string, deps: Partial<RoomModelDeps> = {}) {
    this.deps = { loadConfig, loadSkylink, ...deps };
    this.store = new Store(initialState(room));
  }

  private get s(): RoomState { return this.store.get(); }
  private set(patch: Partial<RoomState>): void { this.store.update(patch); }

  /** The Skylink object, for diagnostics (window.aerieApp). */
  get skylink(): SkylinkApi | null { return this.sk; }

  // ---- start and init --------------------------------------------------------------------------

  async start(): Promise<void> {
    this.set({ phase: 'loading', error: null });
    try {
      this.config = await this.deps.loadConfig();
      if (!this.config.appKey) {
        const why = this.config.configError ? ` (${this.config.configError})` : '';
        this.fail(`This server has no app key for this site${why}. Start aerie with --site-key KEY, or add ?key=YOUR_APP_KEY to the address.`);
        return;
      }
      const Skylink = await this.deps.loadSkylink(this.config.lib);
      this.sk = new Skylink();
      this.wire(this.sk);
      this.devices.wire(this.sk);
      this.recording.wire(this.sk);
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
      return;
    }
    this.set({ phase: 'setup' });
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('pagehide', this.onPageHide);
    this.initLibrary().catch(() => undefined);
  }

  private fail(message: string): void {
    this.set({ phase: 'error', error: message });
  }

  /** init(): fetches fresh room credentials from the API server. */
  private initLibrary(): Promise<void> {
    const sk = this.sk!;
    const config = this.config!;
    return new Promise<void>((resolve, reject) => {
      sk.init({
        appKey: config.appKey,
        defaultRoom: this.room,
        roomServer: roomServerFor(config),
        // SkylinkJS 0.6 defaults to https even on an http page.
        forceSSL: location.protocol === 'https:',
      }, (err: any) => {
        if (err) {
          const msg = describeInitError(err);
          if (this.s.phase === 'setup' || this.s.phase === 'loading') this.set({ ready: false, error: msg });
          reject(new Error(msg));
          return;
        }
        if (this.s.phase === 'setup') this.set({ ready: true, error: null });
        resolve();
      });
    });
  }

  /** The setup screen's "Try again" after init failed. */
  retryInit(): void {
    this.set({ error: null });
    this.initLibrary().catch(() => undefined);
  }

  // ---- join and leave --------------------------------------------------------------------------

  join(choice: JoinChoice): void {
    if (!this.sk || !this.s.ready) return;
    this.choice = { ...choice, name: choice.name.trim() || 'Guest' };
    this.leaving = false;
    this.levels.start();
    this.set({
      phase: 'joining', error: null, blocked: null, selfName: this.choice.name,
      audioMuted: choice.hasAudio ? choice.audioMuted : true, videoMuted: choice.hasVideo ? choice.videoMuted : true,
      hasAudio: choice.hasAudio, hasVideo: choice.hasVideo, sharingScreen: false, locked: false,
    });
    this.joinRoom(++this.attemptSeq);
  }

  private mediaOptions(): MediaOptions {
    const c = this.choice!;
    return {
      audio: c.hasAudio ? { ...(c.audioDeviceId ? { deviceId: c.audioDeviceId } : {}), mute: this.s.audioMuted } : false,
      video: c.hasVideo ? { ...(c.videoDeviceId ? { deviceId: c.videoDeviceId } : {}), mute: this.s.videoMuted, resolution: { width: 640, height: 480 } } : false,
      userData: { name: c.name },
    };
  }

  private joinRoom(seq: number): void {
    this.sk!.joinRoom(this.room, this.mediaOptions(), (err: any) => {
      if (seq !== this.attemptSeq || this.leaving) return;
      if (!err) { this.onInRoom(); return; }
      if (this.s.phase === 'blocked') return; // systemAction said why
      const msg = err?.error?.message || err?.message || 'joinRoom failed';
      if (this.s.connection !== 'connected' && this.s.phase === 'in-call') { this.reconnector.failed(); return; }
      this.set({ phase: 'setup', error: `Could not join the room: ${msg}` });
    });
  }

  private onInRoom(): void {
    const wasReconnecting = this.s.connection !== 'connected';
    if (wasReconnecting) log('back in the room after', this.reconnector.attempt, 'attempt(s) of ours');
    this.reconnector.succeeded();
    this.set({ phase: 'in-call', connection: 'connected', connectionMessage: '', reconnectAttempt: 0, error: null });
    if (wasReconnecting) this.announce('Reconnected.');
    this.startLevels();
    this.devices.start();
  }

  leave(): void {
    if (!this.sk) return;
    this.leaving = true;
    this.attemptSeq++;
    this.reconnector.stop();
    this.stopLevels();
    this.devices.stop();
    this.sk.leaveRoom(true);
    this.recording.reset();
    this.peers.clear();
    this.serverSpeaker = null;
    this.set({ phase: 'left', participants: [], grid: this.pager.update([], null, Date.now()), speakerKey: null, connection: 'connected', connectionMessage: '', sharingScreen: false, locked: false, selfId: null });
  }

  /** After leaving or being kept out: back to the setup screen (the preview restarts there). */
  backToSetup(): void {
    this.leaving = false;
    this.set({ phase: 'setup', blocked: null, error: null, ready: false });
    this.initLibrary().catch(() => undefined);
  }

  /** The blocked screen's "Try again": straight back in with the same choices. */
  tryAgain(): void {
    if (!this.choice) { this.backToSetup(); return; }
    const choice = this.choice;
    this.set({ blocked: null, ready: false, phase: 'joining' });
    this.initLibrary().then(() => { this.set({ ready: true }); this.join(choice); }, (e) => this.set({ phase: 'setup', error: e.message }));
  }

  // ---- reconnecting ----------------------------------------------------------------------------

  private readonly onOnline = (): void => {
    if (this.s.phase !== 'in-call' || this.s.connection === 'connected') return;
    if (this.reconnector.current === 'idle') {
      // The signaling channel outlived the outage: nothing to redo.
      this.set({ connection: 'connected', connectionMessage: '' });
      return;
    }
    this.set({ connection: 'reconnecting', connectionMessage: 'Back online. Reconnecting…' });
    // Do not wait for the backoff: the network just came back.
    this.reconnector.now();
  };

  private readonly onOffline = (): void => {
    if (this.s.phase !== 'in-call') return;
    log('the browser went offline');
    this.set({ connection: 'offline', connectionMessage: 'You are offline. Waiting for the network…' });
  };

  private readonly onPageHide = (): void => {
    // Leave cleanly so the others see us go at once instead of after a timeout.
    if (this.s.phase === 'in-call' && this.sk) { this.leaving = true; this.sk.leaveRoom(true); }
    for (const u of this.objectUrls) URL.revokeObjectURL(u);
  };

  private beginReconnect(message: string): void {
    if (this.s.phase !== 'in-call' || this.leaving) return;
    if (this.s.connection === 'connected') {
      log('signaling lost:', message);
      // The banner (role=status) says it; no toast on top of it.
      this.set({ connection: 'reconnecting', connectionMessage: message, sharingScreen: false });
    }
    // The library may rejoin by itself (its socket reconnects): the reconnector gives it a moment.
    this.reconnector.lost();
  }

  /** One attempt of ours: fresh credentials first (the server may have restarted), then joinRoom. */
  private rejoin(attempt: number): void {
    if (this.leaving || this.s.phase !== 'in-call' || this.s.connection === 'connected') { this.reconnector.stop(); return; }
    // navigator.onLine is not asked: it is false on hosts with only a loopback interface and
    // true behind a dead Wi-Fi; an attempt is cheap and the backoff bounds them.
    log('rejoin attempt', attempt);
    const seq = ++this.attemptSeq;
    this.set({
      reconnectAttempt: attempt,
      connection: 'reconnecting',
      connectionMessage: attempt === 1 ? 'Reconnecting…' : `Reconnecting… (attempt ${attempt})`,
    });
    this.initLibrary().then(() => {
      if (seq !== this.attemptSeq || this.leaving) return;
      this.joinRoom(seq);
    }, () => {
      if (seq === this.attemptSeq) this.reconnector.failed();
    });
  }

  // ---- library events --------------------------------------------------------------------------

  private wire(sk: SkylinkApi): void {
    sk.on('peerJoined', (peerId, info, isSelf) => {
      if (isSelf) {
        this.set({ selfId: peerId, locked: false });
        this.upsertSelf(info);
        // The library rejoined by itself after a drop.
        if (this.s.phase === 'in-call' && this.s.connection !== 'connected') this.onInRoom();
        return;
      }
      const existing = this.peers.get(peerId);
      const p: Participant = {
        key: peerId, peerId, isSelf: false, name: nameFromUserData(info?.userData, 'Guest'),
        stream: existing?.stream ?? null, audioMuted: !!info?.mediaStatus?.audioMuted, videoMuted: !!info?.mediaStatus?.videoMuted,
        screenshare: isScreen(info), joinedAt: existing?.joinedAt ?? Date.now(),
      };
      this.peers.set(peerId, p);
      this.publishPeers();
      if (!existing) this.announce(`${p.name} joined.`);
    });

    sk.on('peerUpdated', (peerId, info, isSelf) => {
      if (isSelf) { this.upsertSelf(info); return; }
      this.updatePeer(peerId, info);
    });

    sk.on('streamMuted', (peerId, info, isSelf) => {
      if (isSelf) { this.upsertSelf(info); return; }
      this.updatePeer(peerId, info);
    });

    sk.on('peerLeft', (peerId, _info, isSelf) => {
      if (isSelf) return;
      const p = this.peers.get(peerId);
      if (!p) return;
      this.peers.delete(peerId);
      this.levels.untrack(peerId);
      this.publishPeers();
      // During a reconnect the library drops everyone at once: say it once, in the banner.
      if (this.s.connection === 'connected') this.announce(`${p.name} left.`);
    });

    sk.on('incomingStream', (peerId, stream, isSelf, info, isScreensharing) => {
      if (isSelf) {
        this.upsertSelf(info ?? sk.getPeerInfo(), stream, !!isScreensharing);
        if (!this.speakerFromServer) this.levels.track('self', stream);
        return;
      }
      const p = this.peers.get(peerId);
      if (!p) return;
      this.peers.set(peerId, { ...p, ...peerFields(info), stream, screenshare: !!isScreensharing || isScreen(info) });
      if (!this.speakerFromServer) this.levels.track(peerId, stream);
      this.publishPeers();
    });

    // SFU rooms: the server hears every voice and names the loudest (aerie's library only).
    sk.on('activeSpeakerChanged', (peerId, isSelf) => {
      this.serverSpeaker = peerId === null ? null : isSelf ? 'self' : peerId;
    });

    sk.on('mediaAccessStopped', (isScreensharing) => {
      if (isScreensharing) this.set({ sharingScreen: false });
    });

    sk.on('roomLock', (isLocked, peerId, info, isSelf) => {
      if (this.s.locked === !!isLocked) return;
      this.set({ locked: !!isLocked });
      const who = isSelf ? 'You' : nameFromUserData(info?.userData, this.peers.get(peerId)?.name ?? 'Someone');
      this.announce(`${who} ${isLocked ? 'locked' : 'unlocked'} the room.`);
    });

    sk.on('systemAction', (action, message, reason) => {
      if (action === 'reject') {
        if (reason === 'locked') {
          const full = FULL_RE.test(message || '');
          this.reconnector.stop();
          this.stopLevels();
          this.recording.reset();
          this.peers.clear();
          this.serverSpeaker = null;
          this.attemptSeq++;
          this.set({
            phase: 'blocked', participants: [], grid: this.pager.update([], null, Date.now()), speakerKey: null, connection: 'connected', connectionMessage: '',
            blocked: { reason: full ? 'full' : 'locked', message: message || '' },
          });
          return;
        }
        if (this.s.phase === 'in-call') { this.beginReconnect(`The server turned us away (${message || reason}). Retrying…`); return; }
        this.set({ phase: 'setup', error: `The server refused to let us in: ${message || reason}.` });
        return;
      }
      if (action === 'warning' && reason === 'toclose' && this.s.phase === 'in-call') {
        this.set({ connectionMessage: 'The server is restarting. Reconnecting…' });
      }
    });

    sk.on('channelClose', () => {
      if (this.s.phase === 'in-call' && !this.leaving) {
        const msg = this.s.connectionMessage.startsWith('The server is restarting') ? this.s.connectionMessage : 'Connection lost. Reconnecting…';
        this.beginReconnect(msg);
      }
    });

    sk.on('sessionDisconnect', () => {
      // The library gave up on its own reconnection: ours starts now.
      if (this.s.phase !== 'in-call' || this.leaving) return;
      this.beginReconnect(this.s.connectionMessage || 'Connection lost. Reconnecting…');
      this.reconnector.now();
    });

    sk.on('incomingMessage', (message, peerId, info, isSelf) => {
      const content = message?.content;
      const inner = content && typeof content === 'object' ? (content as { text?: unknown }).text : undefined;
      const text = typeof content === 'string' ? content : typeof inner === 'string' ? inner : JSON.stringify(content);
      if (!text) return;
      let toName: string | null = null;
      if (message?.isPrivate) {
        if (isSelf) {
          const t = Array.isArray(message.targetPeerId) ? message.targetPeerId[0] : message.targetPeerId;
          toName = (t && this.peers.get(t)?.name) || 'someone';
        } else toName = 'you';
      }
      const fromName = isSelf ? this.s.selfName : nameFromUserData(info?.userData, this.peers.get(peerId)?.name ?? 'Guest');
      this.addFeed({ kind: 'message', id: `m${++this.msgSeq}`, ts: Date.now(), fromName, isSelf, isPrivate: !!message?.isPrivate, toName, text: text.slice(0, 4000) }, !isSelf);
    });

    sk.on('incomingDataRequest', (transferId, peerId, info, isSelf) => {
      if (isSelf) return;
      this.onTransfer(TS.UPLOAD_REQUEST, transferId, peerId, info, null);
    });

    sk.on('dataTransferState', (state, transferId, peerId, info, error) => {
      this.onTransfer(state, transferId, peerId, info, error);
    });

    sk.on('incomingData', (data, transferId, _peerId, _info, isSelf) => {
      if (isSelf) return;
      this.setDownloadData(transferId, data);
    });
  }

  private upsertSelf(info: PeerInfo | null, stream?: MediaStream, screenshare?: boolean): void {
    const old = this.peers.get('self');
    const status = info?.mediaStatus;
    const p: Participant = {
      key: 'self', peerId: this.s.selfId, isSelf: true, name: this.s.selfName || 'You',
      stream: stream ?? old?.stream ?? null,
      audioMuted: status ? !!status.audioMuted : this.s.audioMuted,
      videoMuted: status ? !!status.videoMuted : this.s.videoMuted,
      screenshare: screenshare ?? old?.screenshare ?? false,
      joinedAt: old?.joinedAt ?? 0,
    };
    this.peers.set('self', p);
    const patch: Partial<RoomState> = {};
    if (status && this.s.hasAudio) patch.audioMuted = !!status.audioMuted;
    if (status && this.s.hasVideo) patch.videoMuted = !!status.videoMuted;
    if (screenshare !== undefined) patch.sharingScreen = screenshare;
    this.set(patch);
    this.publishPeers();
  }

  private updatePeer(peerId: string, info: PeerInfo): void {
    const p = this.peers.get(peerId);
    if (!p || !info) return;
    this.peers.set(peerId, { ...p, ...peerFields(info) });
    this.publishPeers();
  }

  private publishPeers(): void {
    const list = [...this.peers.values()].sort((a, b) => (a.isSelf ? -1 : b.isSelf ? 1 : a.joinedAt - b.joinedAt));
    this.set({ participants: list, grid: this.pager.update(list.map((p) => p.key), this.s.speakerKey, Date.now()) });
  }

  // ---- grid pages (more than 9 tiles) ----------------------------------------------------------

  nextPage(): void { this.set({ grid: this.pager.next() }); }
  prevPage(): void { this.set({ grid: this.pager.prev() }); }

  // ---- speaker highlight -----------------------------------------------------------------------

  /**
   * SFU rooms (aerie's library): the server names the speaker (activeSpeakerChanged), from the
   * audio levels every publisher sends it; no Web Audio on the page. Mesh rooms, or SkylinkJS:
   * levels measured here from the streams that play.
   */
  private get speakerFromServer(): boolean { return this.sk?.hasMCU === true; }

  private startLevels(): void {
    if (this.levelTimer) return;
    this.levelTimer = setInterval(() => {
      let levels: Map<string, number>;
      if (this.speakerFromServer) {
        // The server's choice as a level, so the same picker holds it through short pauses (the
        // server says "nobody" after any quiet 600 ms) and a muted person is never shown.
        levels = new Map();
        for (const p of this.peers.values()) levels.set(p.key, p.key === this.serverSpeaker ? 1 : 0);
      } else {
        levels = this.levels.sample();
      }
      // A muted participant is never "speaking", whatever their track still carries.
      for (const p of this.peers.values()) if (p.audioMuted) levels.set(p.key, 0);
      const now = Date.now();
      const key = this.speaker.update(levels, now);
      if (key !== this.s.speakerKey) {
        this.set({ speakerKey: key, grid: this.pager.update(this.s.participants.map((p) => p.key), key, now) });
      }
    }, TIMINGS.levelPeriodMs);
  }

  private stopLevels(): void {
    if (this.levelTimer) { clearInterval(this.levelTimer); this.levelTimer = null; }
  }

  // ---- controls --------------------------------------------------------------------------------

  toggleAudio(): void {
    if (!this.sk || !this.s.hasAudio || this.s.phase !== 'in-call') return;
    const muted = !this.s.audioMuted;
    this.set({ audioMuted: muted });
    if (muted) this.sk.disableAudio(); else this.sk.enableAudio();
    this.upsertSelf(null);
  }

  toggleVideo(): void {
    if (!this.sk || !this.s.hasVideo || this.s.phase !== 'in-call') return;
    const muted = !this.s.videoMuted;
    this.set({ videoMuted: muted });
    if (muted) this.sk.disableVideo(); else this.sk.enableVideo();
    this.upsertSelf(null);
  }

  /** The in-call pickers: another camera or microphone without leaving the room. */
  switchDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    if (this.s.phase !== 'in-call') return Promise.resolve();
    return this.devices.switchTo(kind, deviceId);
  }

  /** A kind came (picked) or went (lost with no other device): the controls and a rejoin follow. */
  private onDeviceKind(kind: DeviceKind, deviceId: string | null): void {
    const has = deviceId !== null;
    if (this.choice) {
      this.choice = kind === 'audio'
        ? { ...this.choice, hasAudio: has, audioDeviceId: deviceId ?? this.choice.audioDeviceId }
        : { ...this.choice, hasVideo: has, videoDeviceId: deviceId ?? this.choice.videoDeviceId };
    }
    this.set(kind === 'audio' ? { hasAudio: has } : { hasVideo: has });
  }

  toggleScreen(): void {
    if (!this.sk || this.s.phase !== 'in-call' || this.s.connection !== 'connected') return;
    if (this.s.sharingScreen) {
      this.sk.stopScreen();
      this.set({ sharingScreen: false });
      return;
    }
    this.sk.shareScreen(false, (err: any) => {
      if (err) this.announce(`Screen sharing did not start: ${screenShareProblem(err)}.`);
      else this.set({ sharingScreen: true });
    });
  }

  toggleLock(): void {
    if (!this.sk || this.s.phase !== 'in-call' || this.s.connection !== 'connected') return;
    if (this.s.locked) this.sk.unlockRoom(); else this.sk.lockRoom();
  }

  setPanelOpen(open: boolean): void {
    this.set({ panelOpen: open, unread: open ? 0 : this.s.unread });
  }

  /** The page became visible again with the panel open: the messages have been seen. */
  markRead(): void {
    if (this.s.panelOpen && this.s.unread) this.set({ unread: 0 });
  }

  sendChat(text: string, targetKey: string | null): boolean {
    const t = text.trim();
    if (!t || !this.sk || this.s.phase !== 'in-call' || this.s.connection !== 'connected') return false;
    if (targetKey && !this.peers.has(targetKey)) return false;
    if (targetKey) this.sk.sendMessage(t, targetKey); else this.sk.sendMessage(t);
    return true;
  }

  sendFile(file: File, targetKey: string | null): string | null {
    if (!this.sk || this.s.phase !== 'in-call' || this.s.connection !== 'connected') return 'You are not connected right now.';
    const others = [...this.peers.values()].filter((p) => !p.isSelf);
    if (others.length === 0) return 'Nobody else is in the room yet.';
    if (targetKey && !this.peers.has(targetKey)) return 'That person has left.';
    const cb = (err: any) => {
      if (!err) return;
      const id = err.transferId;
      const errors = err.transferErrors || {};
      for (const [peerId, e] of Object.entries(errors)) {
        if (id) this.onTransfer(TS.ERROR, id, peerId, { name: file.name, size: file.size }, { message: e });
      }
      if (!id) this.announce(`The file could not be sent: ${describeError(errors.self ?? err.error ?? err)}.`);
    };
    if (targetKey) this.sk.sendBlobData(file, TIMINGS.transferTimeoutS, targetKey, false, cb);
    else this.sk.sendBlobData(file, TIMINGS.transferTimeoutS, cb);
    return null;
  }

  answerTransfer(entryId: string, accept: boolean): void {
    const e = findTransfer(this.s.feed, entryId);
    if (!e || e.direction !== 'download' || !this.sk) return;
    const row = e.rows[0];
    if (!row || row.status !== 'request') return;
    this.sk.acceptDataTransfer(row.peerId, e.transferId, accept);
    this.set({ feed: patchTransfer(this.s.feed, e.id, (t) => ({ ...t, rows: [{ ...row, status: accept ? 'transferring' : 'declined' }] })) });
  }

  cancelTransfer(entryId: string, peerId: string): void {
    const e = findTransfer(this.s.feed, entryId);
    if (!e || !this.sk) return;
    this.sk.cancelDataTransfer(peerId, e.transferId);
    this.set({ feed: patchTransfer(this.s.feed, e.id, (t) => ({ ...t, rows: t.rows.map((r) => (r.peerId === peerId && isActive(r.status) ? { ...r, status: 'cancelled' } : r)) })) });
  }

  // ---- feed: chat and transfers ----------------------------------------------------------------

  private addFeed(entry: FeedEntry, countsAsUnread: boolean): void {
    const feed = [...this.s.feed, entry];
    // Keep the feed bounded; drop the oldest chat lines first.
    if (feed.length > 500) feed.splice(feed.findIndex((f) => f.kind === 'message'), 1);
    const seen = this.s.panelOpen && document.visibilityState !== 'hidden';
    this.set({ feed, unread: countsAsUnread && !seen ? this.s.unread + 1 : this.s.unread });
  }

  private onTransfer(state: string, transferId: string, peerId: string, info: TransferInfo, error: any): void {
    const peerName = this.peers.get(peerId)?.name ?? 'Someone';
    const { feed, created, arrived } = applyTransferEvent(this.s.feed, {
      state, transferId, peerId, peerName, info, error, now: Date.now(), selfName: this.s.selfName,
    }, (data, mime) => this.objectUrl(data, mime));
    if (feed === this.s.feed) return;
    const seen = this.s.panelOpen && document.visibilityState !== 'hidden';
    const unread = created && created.direction === 'download' && !seen ? this.s.unread + 1 : this.s.unread;
    this.set({ feed, unread });
    if (arrived) this.announce(`${peerName}'s file ${arrived.name} has arrived.`);
  }

  private setDownloadData(transferId: string, data: Blob | string): void {
    const e = findTransfer(this.s.feed, `download:${transferId}`);
    if (!e || e.url) return;
    this.set({ feed: patchTransfer(this.s.feed, e.id, (t) => ({ ...t, url: this.objectUrl(data) })) });
  }

  private objectUrl(data: Blob | string, mime?: string): string {
    if (typeof data === 'string') return data; // sendURLData: already a data URL
    const blob = mime && !data.type ? new Blob([data], { type: mime }) : data;
    const url = URL.createObjectURL(blob);
    this.objectUrls.push(url);
    return url;
  }

  // ---- misc --------------------------------------------------------------------------------------

  private announce(text: string): void {
    this.set({ announcement: { id: ++this.announceSeq, text } });
  }
}

function peerFields(info: PeerInfo): Partial<Participant> {
  const out: Partial<Participant> = {};
  if (!info) return out;
  if (info.userData !== undefined) out.name = nameFromUserData(info.userData, 'Guest');
  if (info.mediaStatus) {
    out.audioMuted = !!info.mediaStatus.audioMuted;
    out.videoMuted = !!info.mediaStatus.videoMuted;
  }
  if (info.settings) out.screenshare = isScreen(info);
  return out;
}

/**
 * Why screen sharing did not start, in words for the person. Browsers word getDisplayMedia's
 * errors differently (Firefox: "The object can not be found here." when there is no screen to
 * capture), and their messages may end with a period of their own.
 */
export function screenShareProblem(err: any): string {
  const e = err?.error ?? err;
  if (e?.name === 'NotAllowedError') return 'cancelled or not allowed';
  if (e?.name === 'NotFoundError') return 'there is no screen or window to share';
  const message = String(e?.message || err?.message || '').trim().replace(/[.\s]+$/, '');
  return message || 'cancelled or not allowed';
}

function isScreen(info: PeerInfo | null | undefined): boolean {
  const v = info?.settings?.video;
  return !!(v && typeof v === 'object' && v.screenshare);
}

function describeInitError(err: any): string {
  const status = err?.status;
  const inner = err?.error?.message || err?.message || '';
  const code = err?.errorCode;
  if (status === 0 || status === -1 || /network|fetch|timeout|XMLHttpRequest/i.test(inner)) {
    return `Cannot reach the server${inner ? ` (${inner})` : ''}. Check your connection and try again.`;
  }
  return `The server did not accept this page's app key${inner ? `: ${inner}` : ''}${code !== undefined ? ` (code ${code})` : ''}.`;
}
