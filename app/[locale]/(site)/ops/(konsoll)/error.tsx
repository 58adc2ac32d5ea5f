'use client';
import { useTranslations } from 'next-intl';
// The console could not be built, most likely because the sidecar does not answer: say so and offer a retry
// (which fetches the board again).
export default function ConsoleError({ retry }: { error: unknown; retry: () => void }) {
  const t = useTranslations('ops');
  return (
    <section className="panel" role="alert">
      <h1>{t('unavailableHeading')}</h1>
      <p>{t('unavailableText')}</p>
      <button type="button" className="button button--primary" onClick={() => retry()}>{t('retry')}</button>
    </section>
  );
}
