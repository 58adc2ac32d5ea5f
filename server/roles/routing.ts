// Which process a client connection goes to, decided by the supervisor from its first request's head only
// (the socket is then handed over whole: the supervisor never touches its later bytes). Writes, the clock
// and metrics go to intake; Socket.IO and public reads to a live process; /healthz the supervisor answers.
// A keep-alive connection stays where its first request went; every process serves every route correctly,
// the split is only about whose event loop does the work.

export type Destination = 'supervisor' | 'intake' | 'live';

export interface RequestHead {
  method: string;
  path: string;
}

/** The request line of an HTTP/1.x head; 'incomplete' until the line has arrived, null if it is not one. */
export function parseRequestLine(bytes: Buffer): RequestHead | 'incomplete' | null {
  const end = bytes.indexOf('\r\n');
  if (end === -1) return bytes.length > 8192 ? null : 'incomplete';
  const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(bytes.subarray(0, end).toString('latin1'));
  // A match has both groups.
  return match ? { method: match[1]!, path: match[2]! } : null;
}

const INTAKE_PATHS = ['/api/v1/clock', '/api/v1/ops/', '/metrics'];

export function chooseDestination(head: RequestHead): Destination {
  // split always returns at least one part.
  const path = head.path.split('?')[0]!;
  if (path.startsWith('/socket.io/')) return 'live';
  if (path === '/healthz' && (head.method === 'GET' || head.method === 'HEAD')) return 'supervisor';
  if (head.method !== 'GET' && head.method !== 'HEAD') return 'intake';
  return INTAKE_PATHS.some((prefix) => path === prefix || path.startsWith(prefix)) ? 'intake' : 'live';
}

/** Whether the whole head (up to the blank line) has arrived. */
export function hasWholeHead(bytes: Buffer): boolean {
  return bytes.indexOf('\r\n\r\n') !== -1;
}
