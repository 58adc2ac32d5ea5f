'use client';
// A copyable iframe snippet for newsrooms. The little script resizes the iframe to the height the embed
// reports (see embed-height.tsx), so the chart never gets a scroll bar inside an article.
import { useEffect, useId, useState } from 'react';

export function embedSnippet(origin: string, path: string, title: string): string {
  const src = `${origin}${path}`;
  return [
    `<iframe src="${src}" title="${title}" width="100%" height="520" style="border:0;width:100%" loading="lazy"></iframe>`,
    `<script>addEventListener("message",function(e){if(e.origin!=="${origin}"||!e.data||e.data.type!=="valgvakt:height")return;`
      + `document.querySelectorAll('iframe[src="${src}"]').forEach(function(f){f.style.height=e.data.height+"px"})});</script>`,
  ].join('\n');
}

export function EmbedSnippet({ path, title }: { path: string; title: string }) {
  const [origin, setOrigin] = useState('');
  const [copied, setCopied] = useState(false);
  const id = useId();
  useEffect(() => setOrigin(window.location.origin), []);
  const snippet = embedSnippet(origin, path, title);
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Bygg inn på egne sider</h2>
      <p className="lead">Lim inn koden der grafen skal stå. Den oppdateres direkte og tilpasser høyden selv. <a href={path}>Se hvordan den ser ut</a>.</p>
      <label htmlFor={`${id}-code`} className="visually-hidden">Kode for innbygging</label>
      <textarea id={`${id}-code`} className="embed-code" readOnly rows={4} value={snippet} data-testid="embed-snippet" onFocus={(e) => e.currentTarget.select()} />
      <button type="button" className="button" onClick={() => {
        void navigator.clipboard?.writeText(snippet).then(() => setCopied(true), () => setCopied(false));
      }}>Kopier koden</button>
      <span role="status" className="copy-status">{copied ? 'Kopiert' : ''}</span>
    </section>
  );
}
