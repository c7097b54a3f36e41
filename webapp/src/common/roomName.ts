// Room names in URLs: `/r/<name>`. A created room gets a random UUID (122 random bits, the
// seed's advice for names that cannot be guessed); a typed name is tidied into something that
// reads well in a link and that aerie accepts (UTF-8, at most 128 bytes, no control characters,
// no '/', '?' or '#').

export const MAX_ROOM_NAME_BYTES = 128;

export function newRoomId(rand: Crypto = crypto): string {
  if (typeof rand.randomUUID === 'function') return rand.randomUUID();
  const b = rand.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A typed room name made URL-friendly ("  Team Standup " → "team-standup"); '' if nothing is left. */
export function tidyRoomName(input: string): string {
  let s = input.normalize('NFC').trim().toLowerCase();
  // Control characters and the three URL delimiters go; runs of spaces become one '-'.
  s = s.replace(/[\u0000-\u001f\u007f-\u009f/?#]+/g, ' ').replace(/\s+/g, '-').replace(/^-+|-+$/g, '');
  const enc = new TextEncoder();
  while (enc.encode(s).length > MAX_ROOM_NAME_BYTES) s = Array.from(s).slice(0, -1).join('');
  return s;
}

/** The room name of a room page's path ("/r/team%20a" → "team a"); null if it is not one. */
export function roomFromPath(pathname: string): string | null {
  const m = /^\/r\/(.+)$/.exec(pathname);
  if (!m) return null;
  let name: string;
  try { name = decodeURIComponent(m[1]); } catch { return null; }
  name = name.replace(/\/+$/, '');
  if (!name || /[\u0000-\u001f\u007f-\u009f/?#]/.test(name)) return null;
  if (new TextEncoder().encode(name).length > MAX_ROOM_NAME_BYTES) return null;
  return name;
}

export function roomPath(name: string): string {
  return `/r/${encodeURIComponent(name)}`;
}
