import { getTranslations } from 'next-intl/server';
import { Link } from '../_i18n/navigation.ts';

export default async function NotFound() {
  const t = await getTranslations('notFound');
  return (
    <main id="main">
      <h1>{t('heading')}</h1>
      <p>{t.rich('text', { link: (chunks) => <Link href="/">{chunks}</Link> })}</p>
    </main>
  );
}
