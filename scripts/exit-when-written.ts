// process.exit does not wait for stdout or stderr on a pipe to drain: a long listing redirected to a file or
// read by another program (`npm run token -- list | …`, `token all > tokens.json`) would be cut short at the
// pipe's buffer. The command-line tools exit through this instead.
export async function exitWhenWritten(code?: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
  process.exit(code);
}
