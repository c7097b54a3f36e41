// Wire formats the load generator speaks: Engine.IO 3 / socket.io 1.x–2.x text frames as
// SkylinkJS 0.6.x sends them over a WebSocket, the Skylink messages of the handshake with
// synthetic SDP, and PeerJS' own JSON messages.

// socket.io event `message` with one JSON-string argument: 42["message","{...}"]
export function sioFrame(msg) {
  return '42' + JSON.stringify(['message', JSON.stringify(msg)]);
}

// The Skylink message inside a text frame, or null (open, connect, pong, other events).
export function parseSioFrame(text) {
  if (text.charCodeAt(0) !== 52 /* 4 */ || text.charCodeAt(1) !== 50 /* 2 */) return null;
  try {
    const [ev, arg] = JSON.parse(text.slice(2));
    return ev === 'message' && typeof arg === 'string' ? JSON.parse(arg) : null;
  } catch {
    return null;
  }
}

// ~2.3 KB, the size of an audio+video offer of Chromium with bundle and a data channel.
export function syntheticSdp(kind, seed) {
  const lines = [
    'v=0', `o=- ${4611731400430051336n + BigInt(seed)} 2 IN IP4 127.0.0.1`, 's=-', 't=0 0',
    'a=group:BUNDLE 0 1 2', 'a=extmap-allow-mixed', 'a=msid-semantic: WMS bench',
  ];
  const media = [
    ['audio', '9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126', ['111 opus/48000/2', '63 red/48000/2', '9 G722/8000', '0 PCMU/8000', '8 PCMA/8000']],
    ['video', '9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107', ['96 VP8/90000', '97 rtx/90000', '102 H264/90000', '103 rtx/90000', '104 VP9/90000', '105 rtx/90000']],
    ['application', '9 UDP/DTLS/SCTP webrtc-datachannel', []],
  ];
  media.forEach(([m, fmt, rtp], i) => {
    lines.push(`m=${m} ${fmt}`, 'c=IN IP4 0.0.0.0', 'a=ice-ufrag:bEnC', 'a=ice-pwd:benchbenchbenchbenchbench0',
      'a=ice-options:trickle', 'a=fingerprint:sha-256 3F:8A:1C:77:0B:5E:92:D4:11:6A:E0:3C:9B:28:47:F1:AA:02:6D:BE:45:19:C3:70:8E:D2:5B:0F:66:13:A9:E4',
      `a=setup:${kind === 'offer' ? 'actpass' : 'active'}`, `a=mid:${i}`);
    for (const r of rtp) lines.push(`a=rtpmap:${r}`, `a=rtcp-fb:${r.split(' ')[0]} nack`);
    if (m !== 'application') lines.push('a=sendrecv', 'a=rtcp-mux', `a=ssrc:${1000 + seed * 3 + i} cname:bench`);
    else lines.push('a=sctp-port:5000', 'a=max-message-size:262144');
  });
  return lines.join('\r\n') + '\r\n';
}

const userInfo = {
  userData: 'bench',
  settings: { audio: { stereo: false }, video: { resolution: { width: 640, height: 480 }, frameRate: 30 }, bandwidth: {} },
  mediaStatus: { audioMuted: false, videoMuted: false },
};

function presence(type, weight, target) {
  const m = {
    type, mid: '', rid: '', agent: 'bench', version: '0.6.37', os: 'Linux', userInfo,
    receiveOnly: false, weight, enableIceTrickle: true, enableDataChannel: true, enableIceRestart: false,
    SMProtocolVersion: '0.1.1', DTProtocolVersion: '0.1.0', temasysPluginVersion: null,
  };
  if (target) m.target = target;
  return m;
}

export const skylink = {
  enter: (weight) => presence('enter', weight),
  welcome: (weight, target) => presence('welcome', weight, target),
  offer: (target, sdp) => ({ type: 'offer', mid: '', rid: '', sdp, userInfo, target }),
  answer: (target, sdp) => ({ type: 'answer', mid: '', rid: '', sdp, userInfo, target }),
  candidate: (target, i, ts) => ({
    type: 'candidate', mid: '', rid: '', label: i % 3, id: String(i % 3), target,
    candidate: `candidate:${1000 + i} 1 udp 2122260223 127.0.0.1 ${50000 + i} typ host generation 0 ufrag bEnC network-id 1 bench-ts=${ts}`,
  }),
  chat: (target, ts) => target
    ? { type: 'private', mid: '', rid: '', cid: 'bench', target, data: { ts, text: 'hello from the load generator' } }
    : { type: 'public', mid: '', rid: '', cid: 'bench', data: { ts, text: 'hello from the load generator' } },
  bye: () => ({ type: 'bye', mid: '', rid: '' }),
};

// The joinRoom SkylinkJS 0.6.37 sends, built from the API reply.
export function joinRoomFromApi(session, appKey) {
  return {
    type: 'joinRoom', uid: session.username, cid: session.cid, rid: session.room_key,
    userCred: session.userCred, timeStamp: session.timeStamp, apiOwner: session.apiOwner,
    roomCred: session.roomCred, start: session.start, len: session.len,
    isPrivileged: session.isPrivileged === true, autoIntroduce: session.autoIntroduce !== false, key: appKey,
  };
}

// The reference server has no API server: the room travels in joinRoom as `rid`.
export function joinRoomPlain(room, uid) {
  return { type: 'joinRoom', uid, cid: 'bench', rid: room, userCred: '', timeStamp: '', apiOwner: 'bench',
    roomCred: '', start: new Date().toISOString(), len: 24, isPrivileged: false, autoIntroduce: true, key: 'bench' };
}

// Pulls the timestamp a candidate or chat message carries without parsing the frame.
// aerie re-serializes numbers (1795631992538.123 becomes 1.795631992538123E12): take exponents.
const TS = /bench-ts=(\d+(?:\.\d+)?)|\\"ts\\":(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/;
export function frameTimestamp(text) {
  const m = TS.exec(text);
  return m ? Number(m[1] ?? m[2]) : NaN;
}
