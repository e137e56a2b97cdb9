/**
 * One line of stdin, without its line ending. On a terminal it asks with `prompt` (on stderr) and does not echo
 * what is typed — the value is a secret; from a pipe or a file it reads up to the first line break or the end.
 */
export function readLine(
  prompt: string,
  stdin: NodeJS.ReadStream = process.stdin,
  err: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  return stdin.isTTY ? readTyped(prompt, stdin, err) : readPiped(stdin);
}

function readPiped(stdin: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = () => {
      stdin.off('data', onData).off('end', done).off('error', reject);
      stdin.pause();
      resolve(text.replace(/[\r\n].*$/s, ''));
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (/[\r\n]/.test(text)) done();
    };
    stdin.on('data', onData).once('end', done).once('error', reject);
  });
}

function readTyped(prompt: string, stdin: NodeJS.ReadStream, err: NodeJS.WriteStream): Promise<string> {
  err.write(prompt);
  stdin.setRawMode(true);
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      err.write('\n');
      outcome();
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish(() => resolve(text));
        if (char === '\u0003') return finish(() => reject(new Error('Interrupted; nothing was saved.')));
        if (char === '\u007f' || char === '\b') text = text.slice(0, -1);
        else text += char;
      }
    };
    stdin.on('data', onData);
  });
}
