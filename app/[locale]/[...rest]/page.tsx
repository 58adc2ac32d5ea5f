import { notFound } from 'next/navigation';

// Any other path, in any language, is the language's own 404 page (app/[locale]/not-found.tsx).
export default function UnknownPage(): never {
  notFound();
}
