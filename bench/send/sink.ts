// The SMTP sink of bench/send, in its own worker thread (its own event loop, like a real server elsewhere):
// accepts everything, counts messages, parses nothing.
import { parentPort } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

let received = 0;
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  maxClients: 200,
  onData(stream, _s, cb) {
    stream.on('data', () => {});
    stream.on('end', () => {
      received++;
      cb();
    });
  },
});
sink.listen(0, '127.0.0.1', () => parentPort!.postMessage({ port: (sink.server.address() as AddressInfo).port }));
parentPort!.on('message', (m: string) => {
  if (m === 'count') parentPort!.postMessage({ received });
  // This thread's CPU (µs): the sink's share of the process CPU, which run.ts subtracts from the sender's.
  if (m === 'cpu') {
    const u = process.threadCpuUsage();
    parentPort!.postMessage({ cpu: u.user + u.system });
  }
  if (m === 'reset') received = 0;
  if (m === 'close') sink.close(() => process.exit(0));
});
