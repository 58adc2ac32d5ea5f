import { Link } from '../../../../_i18n/navigation.ts';
import { redirectInLocale } from '../../../../_i18n/redirect.ts';
import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { currentOperator } from '../../../../_data/ops.ts';
import { SignOutForm } from '../_components/sign-out-form.tsx';
import { CONSOLE_CLIENT_NAMESPACES, ClientMessages, PUBLIC_CLIENT_NAMESPACES } from '../../../../_i18n/client-messages.tsx';

// Every console page needs a signed-in operator; anyone else is sent to sign in. (Each page's own sidecar
// calls carry the session too, so no operations data is rendered without one.)
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const me = await currentOperator();
  if (!me) return redirectInLocale('/ops/logg-inn');
  const t = await getTranslations('ops');
  return (
    <>
      <div className="ops-bar">
        <span className="ops-bar__title">{t('title')}</span>
        <nav aria-label={t('navLabel')}>
          <Link href="/ops">{t('board')}</Link> · <Link href="/ops/varsling">{t('alerting')}</Link>
        </nav>
        <span className="ops-bar__operator">{t.rich('signedInAs', { name: me.operator.name, strong: (chunks) => <strong>{chunks}</strong> })}</span>
        <SignOutForm label={t('signOut')} />
      </div>
      {/* The console's texts reach the browser only past the sign-in check above. */}
      <ClientMessages namespaces={[...PUBLIC_CLIENT_NAMESPACES, ...CONSOLE_CLIENT_NAMESPACES]}>{children}</ClientMessages>
    </>
  );
}
