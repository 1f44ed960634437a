// Benchmark part: CPU time and peak RSS of a process tree from /proc (the Chromium run), in µs and KB.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond = 0;
function clockTicks() {
  if (!ticksPerSecond) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state ppid … utime(14) stime(15).
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // exited meanwhile
  }
}

/** The processes of the tree under `rootPid` (itself included): [{ pid, ppid, ticks }]. */
export function treeProcesses(rootPid) {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .map(stat)
    .filter(Boolean);
  const inTree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => inTree.has(p.pid));
}

/** user+sys CPU of every process of the tree, µs per pid (clock-tick resolution, 10 ms at 100 Hz). */
export function treeCpu(rootPid) {
  const us = 1e6 / clockTicks();
  return new Map(treeProcesses(rootPid).map((p) => [p.pid, p.ticks * us]));
}

/** The CPU spent between two treeCpu() snapshots: { totalUs, deltas: Map pid → µs } (processes that exited in between are lost). */
export function cpuBetween(before, after) {
  const deltas = new Map();
  let totalUs = 0;
  for (const [pid, us] of after) {
    const delta = us - (before.get(pid) || 0);
    deltas.set(pid, delta);
    totalUs += delta;
  }
  return { totalUs, deltas };
}

/** The process of `pids` whose command line holds `flag` (e.g. --type=renderer) and that spent the most CPU in `deltas`. */
export function busiest(deltas, flag) {
  let best = 0;
  let bestUs = -1;
  for (const [pid, us] of deltas) {
    if (us > bestUs && commandLine(pid).includes(flag)) {
      best = pid;
      bestUs = us;
    }
  }
  return best;
}

/** The command line of a process, arguments joined by NULs ('' when it is gone). */
export function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** Peak resident set (VmHWM) of one process in KB, 0 when it is gone. */
export function peakRssKB(pid) {
  try {
    const match = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}
