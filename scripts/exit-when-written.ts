// process.exit does not wait for stdout or stderr on a pipe to drain: a long listing redirected to a file or
// read by another program (`npm run token -- list | …`, `token all > tokens.json`) would be cut short at the
// pipe's buffer. The command-line tools exit through this instead.
// Without a code it exits with process.exitCode: `process.exit(undefined)` would exit 0 (the CI failure of
// ops-auth.test.ts when this was first written).
export async function exitWhenWritten(code?: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
  if (code !== undefined) process.exitCode = code;
  process.exit();
}
