// What the SFU benchmarks share (bench/janus-sfu.mjs, bench/lib/aerie-sfu.mjs, bench/sfu-compare.mjs):
// the lo-only network namespace with the veth pair Janus needs, /proc CPU readings, and the count
// of RTP packets the pages received, from their own RTCPeerConnection.getStats(), so that both
// servers' forwarded packets are counted the same way.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const TICK = 100; // USER_HZ on Linux
export const VETH = 'jv0'; // the end Janus gathers on (ice_enforce_list)
export const VETH_PEER = 'jv1';
export const VETH_ADDR = '127.0.0.1/32';

/**
 * Runs the calling script again inside a fresh network namespace (unshare -n, as root) that has
 * only `lo` and a veth pair made there: jv0 carrying 127.0.0.1/32, jv1 without an address, both
 * with `addrgenmode none` set before `up` (an IPv6 link-local address appearing later makes
 * Chromium abort requests with ERR_NETWORK_CHANGED). libnice (Janus) does not gather on `lo`
 * but does on jv0; every packet still stays in the namespace. Returns only when already inside.
 */
export function enterNetns(scriptPath, args) {
  if (process.env.AERIE_BENCH_NETNS) return;
  const setup = [
    'set -e',
    'ip link set lo up',
    `ip link add ${VETH} type veth peer name ${VETH_PEER}`,
    `ip link set ${VETH} addrgenmode none`,
    `ip link set ${VETH_PEER} addrgenmode none`,
    `ip addr add ${VETH_ADDR} dev ${VETH}`,
    `ip link set ${VETH} up`,
    `ip link set ${VETH_PEER} up`,
    'sleep 0.2',
  ].join('; ');
  const cmd = `${setup}; AERIE_BENCH_NETNS=1 exec node ${JSON.stringify(scriptPath)} ${args.map((a) => JSON.stringify(a)).join(' ')}`;
  const r = spawnSync('unshare', ['-n', 'sh', '-c', cmd], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK; // utime, stime
}

export function machineBusySeconds() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + f[4];
  return (f.reduce((a, b) => a + b, 0) - idle) / TICK;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Put into every page of a context before its scripts (context.addInitScript): keeps every
 * RTCPeerConnection the page makes in window.__benchPcs. The SDK's code is not touched.
 */
export function trackPeerConnections() {
  const Orig = window.RTCPeerConnection;
  if (!Orig || Orig.__benchTracked) return;
  window.__benchPcs = [];
  class Tracked extends Orig {
    constructor(...a) {
      super(...a);
      window.__benchPcs.push(this);
    }
  }
  Tracked.__benchTracked = true;
  window.RTCPeerConnection = Tracked;
  if (window.webkitRTCPeerConnection) window.webkitRTCPeerConnection = Tracked;
}

/**
 * Totals over the page's open peer connections: inbound-rtp packetsReceived / packetsLost /
 * framesDecoded (what the server forwarded to this page) and outbound-rtp packetsSent (what the
 * page sent to the server).
 */
function pageRtpTotals() {
  return (async () => {
    const t = { received: 0, receivedAudio: 0, receivedVideo: 0, lost: 0, framesDecoded: 0, sent: 0, framesEncoded: 0, videoBytesSent: 0, pcs: 0, limits: {} };
    for (const pc of window.__benchPcs || []) {
      if (pc.connectionState === 'closed' || pc.signalingState === 'closed') continue;
      t.pcs++;
      const report = await pc.getStats();
      report.forEach((s) => {
        if (s.type === 'inbound-rtp') {
          t.received += s.packetsReceived || 0;
          if (s.kind === 'audio') t.receivedAudio += s.packetsReceived || 0;
          else t.receivedVideo += s.packetsReceived || 0;
          t.lost += s.packetsLost || 0;
          t.framesDecoded += s.framesDecoded || 0;
        } else if (s.type === 'outbound-rtp') {
          t.sent += s.packetsSent || 0;
          if (s.kind === 'video') {
            t.framesEncoded += s.framesEncoded || 0;
            t.videoBytesSent += s.bytesSent || 0;
            const why = `${s.frameWidth || 0}x${s.frameHeight || 0} ${s.qualityLimitationReason || '?'}`;
            t.limits[why] = (t.limits[why] || 0) + 1;
          }
        }
      });
    }
    return t;
  })();
}

/** pageRtpTotals summed over the pages. */
export async function rtpTotals(pages) {
  const all = await Promise.all(pages.map((p) => p.evaluate(pageRtpTotals)));
  const sum = {};
  const limits = {};
  for (const t of all) {
    for (const [k, v] of Object.entries(t)) if (k !== 'limits') sum[k] = (sum[k] || 0) + v;
    for (const [k, v] of Object.entries(t.limits)) limits[k] = (limits[k] || 0) + v;
  }
  sum.limits = limits;
  return sum;
}

/**
 * The measurement window shared by both servers: `seconds` of the server process's CPU
 * (/proc/PID/stat), the machine's busy CPU (/proc/stat), and the pages' RTP totals before and
 * after. `videoTimes()` returns the currentTime of one remote video per page (video playing).
 * `extra0/extra1` read server-specific counters (aerie's /metrics) at both ends.
 */
export async function measureWindow({ pid, pages, seconds, remoteVideos, videoTimes, extra }) {
  const cpu0 = cpuSeconds(pid);
  const busy0 = machineBusySeconds();
  const rtp0 = await rtpTotals(pages);
  const x0 = extra ? await extra() : null;
  const vt0 = await videoTimes();
  const tv0 = Date.now();
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const elapsed = (Date.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  const busy = machineBusySeconds() - busy0;
  const rtp1 = await rtpTotals(pages);
  const x1 = extra ? await extra() : null;
  const vt1 = await videoTimes();
  const videoElapsed = (Date.now() - tv0) / 1000; // the video reads' own span
  const d = (k) => rtp1[k] - rtp0[k];
  const fwd = d('received');
  return {
    elapsed,
    cpu,
    busy,
    fwd,
    x0,
    x1,
    summary: {
      seconds: Number(elapsed.toFixed(1)),
      forwardedPerSecond: Math.round(fwd / elapsed), // pages' inbound-rtp packetsReceived
      forwardedAudioPerSecond: Math.round(d('receivedAudio') / elapsed),
      forwardedVideoPerSecond: Math.round(d('receivedVideo') / elapsed),
      sentByPagesPerSecond: Math.round(d('sent') / elapsed), // pages' outbound-rtp packetsSent
      lostPerSecond: Number((d('lost') / elapsed).toFixed(1)),
      framesPerSecondPerRemoteVideo: Number((d('framesDecoded') / elapsed / remoteVideos).toFixed(1)),
      // What the pages' encoders did: frames per second per page, kbit/s per page, and each
      // video sender's resolution and qualityLimitationReason at the end of the window.
      encodedFramesPerSecondPerPage: Number((d('framesEncoded') / elapsed / pages.length).toFixed(1)),
      videoKbitPerSecondSentPerPage: Math.round((d('videoBytesSent') * 8) / 1000 / elapsed / pages.length),
      videoSenders: rtp1.limits,
      serverCores: Number((cpu / elapsed).toFixed(3)),
      machineCores: Number((busy / elapsed).toFixed(2)),
      serverMicrosecondsPerForwardedPacket: Number(((cpu / fwd) * 1e6).toFixed(1)),
      forwardedPerServerCpuSecond: Math.round(fwd / cpu),
      videoSecondsPerSecond: vt1.map((v, i) => Number(((v - vt0[i]) / videoElapsed).toFixed(2))),
      peerConnections: rtp1.pcs,
    },
  };
}
