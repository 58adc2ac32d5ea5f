import { Link } from '../../../../_i18n/navigation.ts';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { currentOperator } from '../../../../_data/ops.ts';
import { signOutAction } from '../actions.ts';

// Every console page needs a signed-in operator; anyone else is sent to sign in. (Each page's own sidecar
// calls carry the session too, so no operations data is rendered without one.)
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const me = await currentOperator();
  if (!me) redirect('/ops/logg-inn');
  return (
    <>
      <div className="ops-bar">
        <span className="ops-bar__title">Driftskonsoll</span>
        <nav aria-label="Konsoll">
          <Link href="/ops">Tavle</Link> · <Link href="/ops/varsling">Varsling</Link>
        </nav>
        <span className="ops-bar__operator">Innlogget som <strong>{me.operator.name}</strong></span>
        <form action={signOutAction}>
          <button type="submit" className="button button--quiet">Logg ut</button>
        </form>
      </div>
      {children}
    </>
  );
}
