// Operator accounts from the command line, on the database the sidecar uses (DATABASE_URL, or the
// embedded one under DATA_DIR — joined through the running sidecar if there is one).
//   add <name> [--generate]   create an operator; the password is read from stdin (one line) when it is
//                             not a terminal, else prompted for twice; --generate makes one and prints it
//   disable <name>            disable an operator and end its sessions
//   list                      list operators
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../db/database.ts';
import { checkOperatorName, checkOperatorPassword, createOperator, disableOperator, listOperators } from '../db/operators.ts';
import { embeddedDataDir, parseSidecarEnv } from '../server/config.ts';
import { exitWhenWritten } from './exit-when-written.ts';
import { errorMessage } from '../lib/error-message.ts';

const USAGE = 'usage: npm run operator -- add <name> [--generate] | disable <name> | list';

class UsageError extends Error {}

/** Reads one line from the terminal without echoing it; the prompt goes to stderr to keep stdout clean. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let line = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error); else resolve(line);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') return finish(new Error('cancelled'));
        if (char === '\u007f' || char === '\b') line = [...line].slice(0, -1).join('');
        else if (char >= ' ') line += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

async function readPipedLine(): Promise<string> {
  const chunks: Buffer[] = [];
  // stdin has no encoding set, so its chunks are Buffers (Node types them as any).
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function readPassword(generate: boolean): Promise<{ password: string; generated: boolean }> {
  // 18 bytes: 24 base64url characters, 144 bits.
  if (generate) return { password: randomBytes(18).toString('base64url'), generated: true };
  if (!process.stdin.isTTY) return { password: await readPipedLine(), generated: false };
  const password = await promptHidden('Password: ');
  const problem = checkOperatorPassword(password);
  if (problem) throw new Error(problem);
  if ((await promptHidden('Again: ')) !== password) throw new Error('the passwords differ');
  return { password, generated: false };
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const generate = rest.includes('--generate');
  const args = rest.filter((a) => a !== '--generate');
  if (command === 'add' || command === 'disable') {
    if (args.length !== 1 || (generate && command !== 'add')) throw new UsageError(USAGE);
  } else if (command !== 'list' || rest.length > 0) {
    throw new UsageError(USAGE);
  }
  const name = args[0] ?? '';

  // Everything that can be refused without the database is refused before opening it.
  let password = '';
  let generated = false;
  if (command === 'add') {
    const nameProblem = checkOperatorName(name);
    if (nameProblem) throw new Error(nameProblem);
    ({ password, generated } = await readPassword(generate));
    const problem = checkOperatorPassword(password);
    if (problem) throw new Error(problem);
  }

  const env = parseSidecarEnv(process.env);
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: embeddedDataDir(env), joinRunning: true });
  try {
    if (command === 'add') {
      await createOperator(database.db, name, password);
      if (generated) {
        console.error(`operator "${name}" created; the password below is shown only this once:`);
        // The password alone on stdout, so scripts can capture it.
        console.log(password);
      } else {
        console.error(`operator "${name}" created`);
      }
    } else if (command === 'disable') {
      if (!(await disableOperator(database.db, name))) throw new Error(`no operator "${name}"`);
      console.error(`operator "${name}" disabled; its sessions are ended`);
    } else {
      const operators = await listOperators(database.db);
      if (operators.length === 0) console.error('no operators yet: npm run operator -- add <name>');
      for (const o of operators) {
        console.log(`${o.name.padEnd(40)}  ${o.disabledAt ? `disabled ${o.disabledAt.toISOString()}` : 'active'}  created ${o.createdAt.toISOString()}`);
      }
    }
  } finally {
    await database.close();
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof UsageError ? error.message : `error: ${errorMessage(error)}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
// Prisma's WASM schema engine leaves a 10 s timer behind after migrating: exit once the output is out
// rather than wait for it.
await exitWhenWritten();
