// Which parts of the catalogue reach the browser. next-intl's provider would otherwise serialise the whole
// catalogue into every page: the public pages would carry the console's texts, and a redirect away from the
// console would too. Each layout hands its client components the namespaces they use, no more.
import { NextIntlClientProvider } from 'next-intl';
import { getMessages } from 'next-intl/server';
import type { ReactNode } from 'react';

export { CONSOLE_CLIENT_NAMESPACES, PUBLIC_CLIENT_NAMESPACES, SIGN_IN_CLIENT_NAMESPACES } from './client-namespaces.ts';

/** The catalogue cut down to the given namespaces; a namespace the catalogue lacks is left out. */
export function pickNamespaces(messages: Record<string, unknown>, namespaces: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(namespaces.filter((name) => name in messages).map((name) => [name, messages[name]]));
}

/** Provides the page's catalogue, cut to `namespaces`, to the client components below. */
export async function ClientMessages({ namespaces, children }: { namespaces: readonly string[]; children: ReactNode }) {
  // Cast explained: next-intl types the catalogue as its global AbstractIntlMessages; it is a plain JSON object.
  const messages = (await getMessages()) as Record<string, unknown>;
  // Cast explained: the picked object is a subset of the same catalogue.
  return <NextIntlClientProvider messages={pickNamespaces(messages, namespaces) as Awaited<ReturnType<typeof getMessages>>}>{children}</NextIntlClientProvider>;
}
