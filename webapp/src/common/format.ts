// Small formatting helpers shared by the pages.

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** Up to two initials for an avatar ("Ada Lovelace" → "AL"). */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  const first = Array.from(parts[0])[0] ?? '';
  const last = parts.length > 1 ? Array.from(parts[parts.length - 1])[0] ?? '' : '';
  return (first + last).toUpperCase();
}

/** The display name a peer chose (userData {name} from this app, or a bare string from others). */
export function nameFromUserData(userData: unknown, fallback: string): string {
  let name = '';
  if (typeof userData === 'string') name = userData;
  else if (userData && typeof userData === 'object') {
    const u = userData as Record<string, unknown>;
    const v = u.name ?? u.displayName ?? u.nickname;
    if (typeof v === 'string') name = v;
  }
  name = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim().slice(0, 40);
  return name || fallback;
}
