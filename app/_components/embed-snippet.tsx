'use client';
// A copyable iframe snippet for newsrooms. The little script resizes the iframe to the height the embed
// reports (see embed-height.tsx), so the chart never gets a scroll bar inside an article.
import { useTranslations } from 'next-intl';
import { useEffect, useId, useState } from 'react';
import { localizePath } from '../../lib/locale-routing.ts';
import { usePageLocale } from '../_i18n/use-page-locale.ts';

export function embedSnippet(origin: string, path: string, title: string): string {
  const src = `${origin}${path}`;
  return [
    `<iframe src="${src}" title="${title}" width="100%" height="520" style="border:0;width:100%" loading="lazy"></iframe>`,
    `<script>addEventListener("message",function(e){if(e.origin!=="${origin}"||!e.data||e.data.type!=="valgvakt:height")return;`
      + `document.querySelectorAll('iframe[src="${src}"]').forEach(function(f){f.style.height=e.data.height+"px"})});</script>`,
  ].join('\n');
}

/** `path`: the embed's unprefixed path; the snippet embeds it in the page's language (an embed's language is its URL's). */
export function EmbedSnippet({ path, title }: { path: string; title: string }) {
  const t = useTranslations('embedSnippet');
  const localized = localizePath(path, usePageLocale());
  const [origin, setOrigin] = useState('');
  const [copied, setCopied] = useState(false);
  const id = useId();
  useEffect(() => setOrigin(window.location.origin), []);
  const snippet = embedSnippet(origin, localized, title);
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('heading')}</h2>
      <p className="lead">{t.rich('lead', { link: (chunks) => <a href={localized}>{chunks}</a> })}</p>
      <label htmlFor={`${id}-code`} className="visually-hidden">{t('codeLabel')}</label>
      <textarea id={`${id}-code`} className="embed-code" readOnly rows={4} value={snippet} data-testid="embed-snippet" onFocus={(e) => e.currentTarget.select()} />
      <button type="button" className="button" onClick={() => {
        void navigator.clipboard?.writeText(snippet).then(() => setCopied(true), () => setCopied(false));
      }}>{t('copy')}</button>
      <span role="status" className="copy-status">{copied ? t('copied') : ''}</span>
    </section>
  );
}
