import 'server-only';
import { getLocale } from 'next-intl/server';
import { redirect } from './navigation.ts';

/** Redirects to a path in the current page's language (`/ops` on an English page is `/en/ops`). */
export async function redirectInLocale(href: string): Promise<never> {
  const locale = await getLocale();
  return redirect({ href, locale });
}
