// Audio levels of the streams on screen, measured with one Web Audio AnalyserNode per stream
// (a remote stream must also play in a media element for Chromium to feed Web Audio: the tiles
// do that). Sampled a few times a second by the room model, which picks the speaker.

interface Meter { stream: MediaStream; source: MediaStreamAudioSourceNode; analyser: AnalyserNode; buf: Float32Array }

export class AudioLevels {
  private ctx: AudioContext | null = null;
  private meters = new Map<string, Meter>();

  /** Creates (or resumes) the AudioContext: call from a user gesture (the Join button). */
  start(): void {
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    if (!this.ctx) {
      try { this.ctx = new Ctx(); } catch { this.ctx = null; return; }
    }
    if (this.ctx.state === 'suspended') void this.ctx.resume().catch(() => undefined);
  }

  /** Measures `stream` under `id` (replacing what was measured there); a stream without audio is dropped. */
  track(id: string, stream: MediaStream | null): void {
    const old = this.meters.get(id);
    if (old && old.stream === stream) return;
    this.untrack(id);
    if (!this.ctx || !stream || stream.getAudioTracks().length === 0) return;
    try {
      const source = this.ctx.createMediaStreamSource(stream);
      const analyser = this.ctx.createAnalyser();
      analyser.fftSize = 512;
      analyser.smoothingTimeConstant = 0.3;
      source.connect(analyser);
      this.meters.set(id, { stream, source, analyser, buf: new Float32Array(analyser.fftSize) });
    } catch {
      // A stream Web Audio cannot read (e.g. no live audio track yet): no level for it.
    }
  }

  untrack(id: string): void {
    const m = this.meters.get(id);
    if (!m) return;
    this.meters.delete(id);
    try { m.source.disconnect(); } catch { /* already */ }
  }

  /** RMS level (0..1) of every measured stream whose audio track is enabled. */
  sample(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [id, m] of this.meters) {
      const track = m.stream.getAudioTracks()[0];
      if (!track || !track.enabled || track.readyState !== 'live') { out.set(id, 0); continue; }
      m.analyser.getFloatTimeDomainData(m.buf);
      let sum = 0;
      for (let i = 0; i < m.buf.length; i++) sum += m.buf[i] * m.buf[i];
      out.set(id, Math.sqrt(sum / m.buf.length));
    }
    return out;
  }

  close(): void {
    for (const id of [...this.meters.keys()]) this.untrack(id);
    void this.ctx?.close().catch(() => undefined);
    this.ctx = null;
  }
}
