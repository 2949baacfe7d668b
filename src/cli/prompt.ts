// Reading a secret for the CLI: the first line of stdin when it is piped, or a prompt without echo on a terminal.

export interface Secret {
  value: string;
  /** True when a terminal prompt asked twice and the answers differed. */
  confirmMismatch: boolean;
}

/** First line of piped stdin (without the line ending); null when stdin ends without any data. */
function readLine(stream: NodeJS.ReadStream): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let got = false;
    const done = (v: string | null) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', reject);
      stream.pause();
      stream.unref?.();
      resolve(v);
    };
    const onData = (chunk: Buffer | string) => {
      got = true;
      buf += chunk.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) done(buf.slice(0, nl).replace(/\r$/, ''));
    };
    const onEnd = () => done(got ? buf.replace(/\r$/, '') : null);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', reject);
    stream.resume();
  });
}

/** Keystrokes typed ahead of a prompt (after the previous line's Enter), kept for the next prompt. */
let typedAhead = '';

/** Prompts on stderr and reads a line from a terminal in raw mode, echoing nothing. Ctrl-C exits with 130. */
function promptHidden(prompt: string, stream: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve) => {
    process.stderr.write(prompt);
    let value = '';
    let done = false;
    stream.setRawMode(true);
    stream.setEncoding('utf8');
    const finish = (rest: string) => {
      done = true;
      typedAhead = rest;
      stream.setRawMode(false);
      stream.off('data', onData);
      stream.pause();
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: string) => {
      for (let i = 0; i < chunk.length; i++) {
        const ch = chunk[i]!;
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(chunk.slice(i + (ch === '\r' && chunk[i + 1] === '\n' ? 2 : 1)));
        if (ch === '\u0003') {
          stream.setRawMode(false);
          process.stderr.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stream.on('data', onData);
    if (typedAhead) {
      const rest = typedAhead;
      typedAhead = '';
      onData(rest);
    }
    if (!done) stream.resume();
  });
}

export async function readSecret(prompt: string, opts: { confirm?: boolean; stdin?: NodeJS.ReadStream } = {}): Promise<Secret | null> {
  const stdin = opts.stdin ?? process.stdin;
  if (!stdin.isTTY) {
    const line = await readLine(stdin);
    return line === null ? null : { value: line, confirmMismatch: false };
  }
  const value = await promptHidden(prompt, stdin);
  if (!opts.confirm) return { value, confirmMismatch: false };
  const again = await promptHidden('Repeat it: ', stdin);
  return { value, confirmMismatch: again !== value };
}
