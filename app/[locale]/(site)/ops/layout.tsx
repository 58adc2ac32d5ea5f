import type { Metadata } from 'next';
import type { ReactNode } from 'react';

// Staff pages: kept out of search engines (they are behind sign-in anyway).
export const metadata: Metadata = {
  title: { default: 'Driftskonsoll', template: '%s – Valgvakt drift' },
  robots: { index: false, follow: false },
};

export default function OpsLayout({ children }: { children: ReactNode }) {
  return children;
}
