// CPU accounting shared by the benchmarks: throughput per CPU-second stays meaningful on a busy machine.
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

