// The web pages' security headers, built purely from the request's facts so the policy is tested once
// (lib/security-headers.test.ts) and applied per request by proxy.ts.

export interface PagePolicyInput {
  /**
   * Fresh per request: only scripts carrying it run (no 'unsafe-inline' scripts). Null for a page rendered
   * once for a shared cache: its inline scripts are then allowed by hash (lib/page-cache.ts addScriptHashes)
   * and its bundles as 'self'.
   */
  nonce: string | null;
  /** Who may frame the page: "'none'" for the site, EMBED_FRAME_ANCESTORS for /embed/…. */
  frameAncestors: string;
  /** Where the browser opens its live socket and fetches snapshots: a URL or ":port" on the page's host. */
  sidecarAddress: string;
  /** The page's own host and scheme as the browser sees them. */
  host: string;
  https: boolean;
  /** next dev needs eval for its debugging aids; production never does. */
  development?: boolean;
}

/** The sidecar's origins for connect-src: its HTTP origin and the matching WebSocket one. */
export function sidecarOrigins(address: string, page: { host: string; https: boolean }): string[] {
  let origin: URL;
  try {
    origin = address.startsWith(':')
      ? new URL(`${page.https ? 'https' : 'http'}://${page.host.replace(/:\d+$/, '')}${address}`)
      : new URL(address);
  } catch {
    return [];
  }
  const socket = new URL(origin.href);
  socket.protocol = origin.protocol === 'https:' ? 'wss:' : 'ws:';
  return [origin.origin, socket.origin.replace(/^http/, 'ws')].filter((value, index, all) => all.indexOf(value) === index);
}

export function buildContentSecurityPolicy(input: PagePolicyInput): string {
  const connect = ["'self'", ...sidecarOrigins(input.sidecarAddress, input)];
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic': the scripts Next.js loads carry the nonce, and what they load is trusted in turn.
    // A shared page has no nonce: 'self' covers the bundles it loads, hashes its inline scripts.
    `script-src 'self'${input.nonce === null ? '' : ` 'nonce-${input.nonce}' 'strict-dynamic'`}${input.development ? " 'unsafe-eval'" : ''}`,
    // React and the charts set style attributes; styles cannot run code, scripts are what is locked down.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${input.frameAncestors}`,
  ];
  if (input.https) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

/** Browser features no page of ours uses: denied to the page and anything it frames. */
export const PERMISSIONS_POLICY = [
  'accelerometer=()', 'camera=()', 'display-capture=()', 'geolocation=()', 'gyroscope=()', 'magnetometer=()',
  'microphone=()', 'midi=()', 'payment=()', 'usb=()', 'browsing-topics=()',
].join(', ');

/** Two years, subdomains included: sent only over HTTPS (browsers ignore it over HTTP anyway). */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';
