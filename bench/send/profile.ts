// bench/send's optional CPU profile of the send loop alone (BENCH_SEND_CPU_PROF=1): the inspector's sampling
// profiler around the loop, summarised as self time per package / file and the top functions, so the cost per
// message can be read without a profiler UI. The raw profile is written next to the summary for a closer look.
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

export async function profiled<T>(enabled: boolean, messages: () => number, fn: () => Promise<T>): Promise<T> {
  if (!enabled) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    session.disconnect();
    const file = `/tmp/bench-send-${process.pid}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    summarise(profile, messages(), file);
  }
}

function where(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 13).split('/').slice(0, url.slice(nm + 13).startsWith('@') ? 2 : 1).join('/');
  if (url.startsWith('node:')) return url;
  const src = url.indexOf('/src/');
  return src >= 0 ? url.slice(src + 1) : url || '(native / gc / idle)';
}

function summarise(p: Profile, n: number, file: string): void {
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const pkg = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const f = node.callFrame;
    const name = f.functionName === '(idle)' || f.functionName === '(program)' || f.functionName === '(garbage collector)' ? f.functionName : where(f.url);
    pkg.set(name, (pkg.get(name) ?? 0) + us);
    const fk = `${f.functionName || '(anonymous)'} ${where(f.url)}:${f.lineNumber + 1}`;
    fns.set(fk, (fns.get(fk) ?? 0) + us);
    total += us;
  }
  const ms = (us: number) => `${(us / 1000 / n).toFixed(3)} ms/msg`;
  console.log(`  CPU profile of the send loop (main thread, ${(total / 1e6).toFixed(1)} s sampled, ${n} messages; ${file}):`);
  for (const [k, us] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`    ${ms(us).padStart(16)}  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`);
  console.log('  top functions (self):');
  for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 16)) console.log(`    ${ms(us).padStart(16)}  ${k}`);
}
