// CPU time and memory of a process, from /proc (Linux). Clock ticks are 100 per second on
// every Linux this runs on (USER_HZ); `getconf CLK_TCK` says so.
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let tick = 100;
try {
  tick = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch { /* keep 100 */ }

// {cpu, user, sys: seconds (all threads), rss: bytes}; null once the process is gone.
export function procStats(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime 15.
    const user = Number(fields[11]) / tick;
    const sys = Number(fields[12]) / tick;
    const cpu = user + sys;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] || 0) * 1024;
    return { cpu, user, sys, rss };
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

// Busy CPU seconds of the whole machine so far (all processes but niced ones), from /proc/stat.
export function machineBusy() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal ...: busy = all but nice, idle and iowait.
  // Niced work (a background fuzzer, a build at nice 19) only soaks up idle time; it is left out.
  const total = line.reduce((a, b) => a + b, 0);
  return (total - line[1] - line[3] - (line[4] || 0)) / tick;
}

// CPU seconds of each thread of a process: [{tid, name, cpu}], busiest first.
export function threadStats(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).map((tid) => {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return { tid: Number(tid), name, cpu: (Number(f[11]) + Number(f[12])) / tick };
    });
  } catch {
    return [];
  }
}
