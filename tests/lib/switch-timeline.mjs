// What happens in the pages of an auto room while it moves from mesh to SFU, step by step, for
// tests/e2e/auto-media.e2e.test.mjs: an init script that notes every RTCPeerConnection's steps
// with a time (created, descriptions set, ICE and DTLS states, tracks), a sampler of the remote
// videos' presented frames, and the reading of both (and of aerie's debug log) into a timeline
// relative to the join that made the switch. Times are the pages' Date.now(): one browser on
// the machine that runs the test and the server, so the clocks agree.

/**
 * Init script: window.__timeline gets {t, pc, what, detail} for every RTCPeerConnection the page
 * makes (pc: its number in the page, from 0).
 */
export function switchTimelineProbe() {
  const timeline = [];
  window.__timeline = timeline;
  const Inner = window.RTCPeerConnection;
  let count = 0;
  const sections = (d) => (d && typeof d.sdp === 'string' ? (d.sdp.match(/^m=/gm) || []).length : 0);
  window.RTCPeerConnection = function (...args) {
    const pc = new Inner(...args);
    const id = count++;
    const note = (what, detail = '') => timeline.push({ t: Date.now(), pc: id, what, detail });
    note('created');
    pc.addEventListener('signalingstatechange', () => note('signaling', pc.signalingState));
    pc.addEventListener('iceconnectionstatechange', () => note('ice', pc.iceConnectionState));
    pc.addEventListener('connectionstatechange', () => note('connection', pc.connectionState));
    pc.addEventListener('track', (e) => note('track', `${e.track.kind} ${e.transceiver ? e.transceiver.mid : ''}`));
    for (const name of ['setLocalDescription', 'setRemoteDescription']) {
      const inner = pc[name].bind(pc);
      pc[name] = (d, ...rest) => {
        const kind = name === 'setLocalDescription' ? 'local' : 'remote';
        const p = inner(d, ...rest);
        p.then(() => note(kind, `${(d && d.type) || pc.localDescription?.type || ''} ${sections(d && d.sdp ? d : pc.localDescription)}`), () => undefined);
        return p;
      };
    }
    return pc;
  };
  window.RTCPeerConnection.prototype = Inner.prototype;
}

/**
 * Starts sampling, every 50 ms, each remote video of the harness page (window.videos: peer id →
 * <video>): [t, stream id, presented frames, width] per peer in window.__frames.
 */
export async function startFrameSampler(page) {
  await page.evaluate(() => {
    window.__frames = {};
    window.__sampler = setInterval(() => {
      const t = Date.now();
      for (const [peer, v] of Object.entries(window.videos || {})) {
        const q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality().totalVideoFrames : 0;
        (window.__frames[peer] ||= []).push([t, v.srcObject ? v.srcObject.id : '', q, v.videoWidth]);
      }
    }, 50);
  });
}

export async function stopFrameSampler(page) {
  return page.evaluate(() => { clearInterval(window.__sampler); return { frames: window.__frames, timeline: window.__timeline }; });
}

/**
 * One remote video's samples read from t0 on: when it first presented a frame of a stream other
 * than the one it showed at t0 (`switched`, ms after t0; null: never), and the longest time
 * without a new frame from t0 until `until` (ms).
 */
export function readVideo(samples, t0, until) {
  const before = samples.filter((s) => s[0] <= t0);
  const oldStream = before.length ? before[before.length - 1][1] : '';
  let switched = null;
  let lastProgress = t0;
  let longestFreeze = 0;
  for (let i = 1; i < samples.length; i++) {
    const [t, stream, frames] = samples[i];
    if (t <= t0 || t > until) continue;
    const progress = frames !== samples[i - 1][2] && frames > 0;
    if (!progress) continue;
    longestFreeze = Math.max(longestFreeze, t - lastProgress);
    lastProgress = t;
    if (switched === null && stream !== oldStream) switched = t - t0;
  }
  longestFreeze = Math.max(longestFreeze, Math.min(until, samples.length ? samples[samples.length - 1][0] : until) - lastProgress);
  return { switched, longestFreeze };
}

/**
 * A page's connection to the MCU: the last RTCPeerConnection it made from shortly before t0 on
 * (a member may hear mediaMode before the joiner's page has handled its inRoom), its steps in ms
 * after t0.
 */
export function mcuSteps(timeline, t0) {
  const made = timeline.filter((e) => e.what === 'created' && e.t >= t0 - 1000);
  if (!made.length) return null;
  const pc = made[made.length - 1].pc;
  const mine = timeline.filter((e) => e.pc === pc);
  const first = (pred) => { const e = mine.find(pred); return e ? e.t - t0 : null; };
  return {
    created: first((e) => e.what === 'created'),
    offerSet: first((e) => e.what === 'local' && e.detail.startsWith('offer')),
    answerSet: first((e) => e.what === 'remote' && e.detail.startsWith('answer')),
    iceConnected: first((e) => e.what === 'ice' && (e.detail === 'connected' || e.detail === 'completed')),
    dtlsConnected: first((e) => e.what === 'connection' && e.detail === 'connected'),
    // The MCU's offers (the other publishers' tracks): when each was applied, and its sections.
    mcuOffers: mine.filter((e) => e.what === 'remote' && e.detail.startsWith('offer')).map((e) => `${e.t - t0}ms/${e.detail.split(' ')[1]}m`),
    lastTrack: (() => { const ts = mine.filter((e) => e.what === 'track'); return ts.length ? ts[ts.length - 1].t - t0 : null; })(),
  };
}

/**
 * aerie's debug log lines (JSON, one a line) from t0 on that tell the switch apart: the switch
 * itself, the MCU's messages to and from members, transport states. ms after t0.
 */
export function serverSteps(log, t0, labelOf) {
  const out = [];
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    let e;
    try { e = JSON.parse(line); } catch { continue; }
    const t = Date.parse(e.ts);
    if (!(t >= t0 - 50)) continue;
    const who = labelOf(e.sid) || e.sid || '';
    if (e.msg === 'auto room to sfu' || e.msg === 'auto room to mesh') out.push(`${t - t0} ${e.msg}`);
    else if (e.ch === 'mcu' && e.msg === 'from member' && ['enter', 'offer', 'answer', 'answerAck'].includes(e.type)) out.push(`${t - t0} ${who}->MCU ${e.type}`);
    else if (e.ch === 'mcu' && e.msg === 'to member' && ['welcome', 'offer', 'answer'].includes(e.type)) out.push(`${t - t0} MCU->${who} ${e.type}${e.sections ? `(${e.sections})` : ''}`);
    else if (e.ch === 'media' && e.msg === 'transport') out.push(`${t - t0} ${who} transport ${e.state}`);
  }
  return out;
}
