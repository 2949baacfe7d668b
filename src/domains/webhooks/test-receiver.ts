// A real HTTP receiver on loopback for the webhook tests: records every request, answers from a script.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}
export type Answer = { status: number; headers?: Record<string, string>; body?: string };

export async function startReceiver() {
  const received: Received[] = [];
  const scripts = new Map<string, Answer[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      const a = scripts.get(req.url ?? '/')?.shift() ?? { status: 200, body: 'ok' };
      res.writeHead(a.status, a.headers ?? {});
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (p = '/hook') => `http://127.0.0.1:${port}${p}`,
    received,
    /** Answers for the next requests to this path, in order; 200 after they run out. */
    answer: (path: string, ...a: Answer[]) => scripts.set(path, [...(scripts.get(path) ?? []), ...a]),
    reset: () => {
      received.length = 0;
      scripts.clear();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
