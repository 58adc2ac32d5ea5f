import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentOperator } from '../../../../_data/ops.ts';
import { SignInForm } from '../_components/sign-in-form.tsx';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Logg inn' };

export default async function SignInPage() {
  // Already signed in: straight to the console.
  if (await currentOperator().catch(() => null)) redirect('/ops');
  return (
    <div className="sign-in">
      <h1>Logg inn i driftskonsollen</h1>
      <p className="lead">For valgnattens driftspersonell. Kontoer opprettes på serveren (<code>npm run operator -- add &lt;navn&gt;</code>).</p>
      <SignInForm />
    </div>
  );
}
