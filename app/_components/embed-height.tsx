'use client';
// Inside an iframe: tell the parent page our height whenever it changes (the snippet listens for it).
import { useEffect } from 'react';

export function EmbedHeight() {
  useEffect(() => {
    if (window.parent === window) return;
    const report = () => window.parent.postMessage({ type: 'valgvakt:height', height: Math.ceil(document.documentElement.scrollHeight) }, '*');
    const observer = new ResizeObserver(report);
    observer.observe(document.body);
    report();
    return () => observer.disconnect();
  }, []);
  return null;
}
