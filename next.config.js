// @ts-check
import createNextIntlPlugin from 'next-intl/plugin';

// Catalogues (messages/*.json) per request through next-intl: app/_i18n/request.ts.
const withNextIntl = createNextIntlPlugin('./app/_i18n/request.ts');
/** CSP frame-ancestors sources for embeds: "*" or a space- or comma-separated list of origins. */
function embedFrameAncestors() {
  const value = (process.env.EMBED_FRAME_ANCESTORS ?? '*').split(/[\s,]+/).filter(Boolean);
  for (const source of value) {
    if (source !== '*' && source !== "'self'" && !/^https?:\/\/[^\s/]+$/.test(source)) {
      throw new Error(`EMBED_FRAME_ANCESTORS: "${source}" is not *, 'self' or an origin like https://www.nrk.no`);
    }
  }
  return value.length > 0 ? value.join(' ') : '*';
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The proxy sees the URL the server resolves routes with (its own host and port), so a rewrite of an
  // unprefixed bokmål path onto the [locale] segment stays internal. Otherwise the proxy is shown
  // `localhost`, the router its bind address, and a rewrite between the two is answered as a 307 to the
  // same path: a loop (vercel/next.js#94342).
  skipProxyUrlNormalize: true,
  // Runs from the project folder; silences Next's guess at a workspace root from stray lockfiles above it.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
  // Framing is explicit: embeds (/embed/…) may be framed by the origins in EMBED_FRAME_ANCESTORS (read at
  // build time; default any site, since newsrooms embed them), every other page by nobody. The
  // Content-Security-Policy itself (with its per-request nonce) is set by proxy.ts.
  env: { VALGVAKT_EMBED_FRAME_ANCESTORS: embedFrameAncestors() },
  async headers() {
    const common = [
      { key: 'X-Content-Type-Options', value: 'nosniff' },
      { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    ];
    return [
      // Embeds in every language: /embed/…, /nn/embed/…, /en/embed/….
      { source: '/((?!embed/|nn/embed/|en/embed/).*)', headers: [...common, { key: 'X-Frame-Options', value: 'DENY' }] },
      { source: '/embed/:path*', headers: common },
      { source: '/:locale(nn|en)/embed/:path*', headers: common },
    ];
  },
};

export default withNextIntl(nextConfig);
