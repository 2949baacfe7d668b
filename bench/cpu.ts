// CPU accounting shared by the benchmarks: throughput per CPU-second stays meaningful on a busy machine.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * CPU seconds used so far by the PostgreSQL cluster: the postmaster, its live children, and (cutime/cstime)
 * the children it already reaped. Lets the bench report throughput per CPU-second, which stays meaningful
 * when other work shares the machine.
 */
export function pgCpuSeconds(dataDir: string): number {
  const tick = 100; // USER_HZ on Linux
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    const ppid = Number(f[1]);
    if (pid === postmaster) total += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    else if (ppid === postmaster) total += Number(f[11]) + Number(f[12]);
  }
  return total / tick;
}


/** The PostgreSQL cluster's processes: the postmaster first (backends it forks later inherit its CPU affinity). */
export function postgresPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) children.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return [postmaster, ...children];
}

/** Pins processes (all their threads) to a CPU list such as "0" or "0-1" with taskset; false when taskset is missing. */
export function pinToCpus(pids: number[], cpus: string): boolean {
  for (const pid of pids) {
    const r = spawnSync('taskset', ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore' });
    if (r.error) return false;
  }
  return true;
}
