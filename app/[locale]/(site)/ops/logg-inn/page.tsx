import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { redirectInLocale } from '../../../../_i18n/redirect.ts';
import { currentOperator } from '../../../../_data/ops.ts';
import { SignInForm } from '../_components/sign-in-form.tsx';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('signIn');
  return { title: t('title') };
}

export default async function SignInPage() {
  // Already signed in: straight to the console.
  if (await currentOperator().catch(() => null)) return redirectInLocale('/ops');
  const t = await getTranslations('signIn');
  return (
    <div className="sign-in">
      <h1>{t('heading')}</h1>
      <p className="lead">{t.rich('lead', { code: () => <code>npm run operator -- add &lt;{t('nameArg')}&gt;</code> })}</p>
      <SignInForm />
    </div>
  );
}
