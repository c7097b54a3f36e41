// CPU time and memory of a process, from /proc (Linux). Clock ticks are 100 per second on
// every Linux this runs on (USER_HZ); `getconf CLK_TCK` says so.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let tick = 100;
try {
  tick = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch { /* keep 100 */ }

// {cpu: seconds (user+system, own threads), rss: bytes}; null once the process is gone.
export function procStats(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime 15.
    const cpu = (Number(fields[11]) + Number(fields[12])) / tick;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] || 0) * 1024;
    return { cpu, rss };
  } catch {
    return null;
  }
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

// p50/p99/max of a list of millisecond samples.
export function summarize(values) {
  const s = Float64Array.from(values).sort();
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s.length ? s[s.length - 1] : NaN };
}

export function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] || 'unknown CPU';
  const cores = (cpuinfo.match(/^processor\s*:/gm) || []).length;
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] || 0);
  const kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  return { model, cores, memGiB: Math.round(memKb / 1048576), kernel, node: process.version };
}
