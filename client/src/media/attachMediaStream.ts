// The global attachMediaStream(element, stream) of AdapterJS, for the seed's code. It also starts
// playback: Chromium does not autoplay a muted <video> laid out off screen, and pages written for
// SkylinkJS rely on `autoplay` alone.

export function attachMediaStream(element: HTMLMediaElement | null, stream: MediaStream | null): HTMLMediaElement | null {
  if (!element) return element;
  try {
    element.srcObject = stream;
  } catch {
    // Very old engines: an object URL.
    (element as HTMLMediaElement & { src: string }).src = stream ? URL.createObjectURL(stream as unknown as Blob) : '';
  }
  if (stream && element.autoplay !== false && typeof element.play === 'function') {
    const p = element.play();
    if (p && typeof p.catch === 'function') p.catch(() => { /* the page may start it itself */ });
  }
  return element;
}

/** SkylinkJS/AdapterJS also export reattachMediaStream(to, from). */
export function reattachMediaStream(to: HTMLMediaElement, from: HTMLMediaElement): HTMLMediaElement {
  to.srcObject = from.srcObject;
  return to;
}
