// Plays a WebM file in a Chromium page and says what the browser made of it: duration, frame
// size, and whether audio and video decoded. The bytes go in as base64 and play from a blob URL,
// so any page will do (about:blank). A file without a Duration (one cut short by kill -9)
// reports Infinity until the element is asked to seek to its end; `seekToEnd` does that and
// reports the duration Chromium then finds.
export async function playWebm(page, bytes, { seekToEnd = false, playMs = 1500 } = {}) {
  return page.evaluate(async ({ b64, seekToEnd, playMs }) => {
    const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([raw], { type: 'video/webm' }));
    const v = document.createElement('video');
    v.muted = true;
    document.body.appendChild(v);
    const once = (name) => new Promise((resolve, reject) => {
      v.addEventListener(name, resolve, { once: true });
      v.addEventListener('error', () => reject(new Error(`video error ${v.error && v.error.code}: ${v.error && v.error.message}`)), { once: true });
    });
    const loaded = once('loadedmetadata');
    v.src = url;
    await loaded;
    const out = { durationAtLoad: v.duration, width: v.videoWidth, height: v.videoHeight };
    if (seekToEnd && !Number.isFinite(v.duration)) {
      const changed = once('durationchange');
      v.currentTime = 1e9;
      await Promise.race([changed, new Promise((r) => setTimeout(r, 5000))]);
      v.currentTime = 0;
    }
    out.duration = v.duration;
    await v.play();
    await new Promise((r) => setTimeout(r, playMs));
    out.currentTime = v.currentTime;
    out.videoBytes = v.webkitVideoDecodedByteCount;
    out.audioBytes = v.webkitAudioDecodedByteCount;
    out.decodedFrames = v.getVideoPlaybackQuality().totalVideoFrames;
    v.pause();
    URL.revokeObjectURL(url);
    v.remove();
    return out;
  }, { b64: Buffer.from(bytes).toString('base64'), seekToEnd, playMs });
}
