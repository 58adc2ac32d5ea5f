import { useTranslations } from 'next-intl';

/** What the election authorities want the public to know about a municipality's count, set by operators. */
export function PublicNote({ note, className }: { note: string | null; className?: string }) {
  const t = useTranslations('common');
  if (!note) return null;
  // The note itself is shown as the operator wrote it, in whatever language; only its label is translated.
  return (
    <p role="note" className={`public-note${className ? ` ${className}` : ''}`}>
      <span className="public-note__label">{t('noteLabel')}</span> {note}
    </p>
  );
}
