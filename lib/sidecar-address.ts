// Where browsers open the live socket. Pure: the web server passes in its settings, the browser its
// location, so the one rule is tested once.

/**
 * What the web server tells the browser: SIDECAR_PUBLIC_URL when set; otherwise only a port (":3101"),
 * for the page's own host — SIDECAR_PORT, else the port of SIDECAR_URL, else 3001.
 */
export function computePublicSidecarAddress(settings: { publicUrl?: string; sidecarPort?: string; sidecarUrl?: string }): string {
  if (settings.publicUrl) return settings.publicUrl.replace(/\/$/, '');
  if (settings.sidecarPort && /^\d{1,5}$/.test(settings.sidecarPort)) return `:${settings.sidecarPort}`;
  const port = settings.sidecarUrl?.match(/^https?:\/\/[^/]*:(\d{1,5})(\/|$)/)?.[1];
  return `:${port ?? '3001'}`;
}

/** The socket's base URL in the browser, from that address and the page's location. */
export function resolveSidecarAddress(address: string | null, location: { protocol: string; hostname: string }): string {
  if (address && !address.startsWith(':')) return address.replace(/\/$/, '');
  return `${location.protocol}//${location.hostname}${address ?? ':3001'}`;
}
