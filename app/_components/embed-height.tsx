'use client';
// Inside an iframe: tell the parent page our height whenever it changes (the snippet listens for it).
import { useEffect } from 'react';

/** The content's height, not the document's: that never drops below the iframe's current height. */
function contentHeight(): number {
  const style = getComputedStyle(document.body);
  return Math.ceil(document.body.getBoundingClientRect().height + parseFloat(style.marginTop) + parseFloat(style.marginBottom));
}

export function EmbedHeight() {
  useEffect(() => {
    if (window.parent === window) return;
    const report = () => window.parent.postMessage({ type: 'valgvakt:height', height: contentHeight() }, '*');
    const observer = new ResizeObserver(report);
    observer.observe(document.body);
    report();
    return () => observer.disconnect();
  }, []);
  return null;
}
