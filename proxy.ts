// Next.js Proxy (the Next 16 name for middleware): per-request security headers for every page. A fresh
// nonce goes into the Content-Security-Policy, which Next.js reads from the request to put on its own
// scripts (so no inline script runs without it); embeds may be framed by EMBED_FRAME_ANCESTORS, the rest
// of the site by nobody. A public page rendered for the shared cache (scripts/web-server.ts asks for it
// with a per-process token no visitor knows) gets no nonce: one copy serves many visitors, so the web server
// allows its inline scripts by hash instead (lib/page-cache.ts, ARCHITECTURE.md "Public pages and the shared cache").
// Languages (ARCHITECTURE.md "Languages"): next-intl's routing maps the unprefixed bokmål paths onto the
// app's [locale] segment and /nb/… back to them; a reader's chosen language (cookie) redirects an
// unprefixed document load, as the web server does before its cache (lib/locale-routing.ts).
import createMiddleware from 'next-intl/middleware';
import { NextRequest, NextResponse } from 'next/server';
import { routing } from './app/_i18n/routing.ts';
import { decideLocaleRedirect, isEmbedPath, splitLocalePath } from './lib/locale-routing.ts';
import { PERMISSIONS_POLICY, STRICT_TRANSPORT_SECURITY, buildContentSecurityPolicy } from './lib/security-headers.ts';
import { computePublicSidecarAddress } from './lib/sidecar-address.ts';

/** Request header carrying VALGVAKT_SHARED_RENDER_TOKEN on the web server's own renders for the shared cache. */
const SHARED_RENDER_HEADER = 'x-valgvakt-shared-render';

const handleLocaleRouting = createMiddleware(routing);

/** Pages take part in language routing; built assets and public files (a dot in the last segment) do not. */
function isPagePath(pathname: string): boolean {
  return !pathname.startsWith('/_next/') && !/\.[^/]*$/.test(pathname);
}

export function proxy(request: NextRequest) {
  const headerFacts = Object.fromEntries([...request.headers].map(([name, value]) => [name.toLowerCase(), value]));
  const localeTarget = decideLocaleRedirect({ method: request.method, pathname: request.nextUrl.pathname, search: request.nextUrl.search, headers: headerFacts });
  if (localeTarget !== null) {
    const response = NextResponse.redirect(new URL(localeTarget, request.url), 307);
    response.headers.set('cache-control', 'private, no-store');
    return response;
  }
  const token = process.env.VALGVAKT_SHARED_RENDER_TOKEN;
  const shared = token !== undefined && token !== '' && request.headers.get(SHARED_RENDER_HEADER) === token;
  const nonce = shared ? null : btoa(crypto.randomUUID());
  const https = (request.headers.get('x-forwarded-proto') ?? request.nextUrl.protocol.replace(/:$/, '')).split(',')[0]?.trim() === 'https';
  const embed = isEmbedPath(splitLocalePath(request.nextUrl.pathname).path);
  const policy = buildContentSecurityPolicy({
    nonce,
    // Fixed at build time by next.config.js (env), as documented for EMBED_FRAME_ANCESTORS.
    frameAncestors: embed ? (process.env.VALGVAKT_EMBED_FRAME_ANCESTORS ?? '*') : "'none'",
    sidecarAddress: computePublicSidecarAddress({ publicUrl: process.env.SIDECAR_PUBLIC_URL, sidecarPort: process.env.SIDECAR_PORT, sidecarUrl: process.env.SIDECAR_URL }),
    host: request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? request.nextUrl.host,
    https,
    development: process.env.NODE_ENV === 'development',
  });
  const requestHeaders = new Headers(request.headers);
  if (nonce !== null) requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', policy);
  // next-intl rewrites or redirects with the request's headers, so it is handed the ones set above.
  const response = isPagePath(request.nextUrl.pathname)
    ? handleLocaleRouting(new NextRequest(request.url, { headers: requestHeaders, method: request.method }))
    : NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  response.headers.set('permissions-policy', PERMISSIONS_POLICY);
  if (https) response.headers.set('strict-transport-security', STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  // Pages only: built assets carry no markup to protect.
  matcher: [{ source: '/((?!_next/static|_next/image|icon.svg|favicon.ico).*)' }],
};
