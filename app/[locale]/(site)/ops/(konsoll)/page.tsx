import { getTranslations } from 'next-intl/server';
import { redirectInLocale } from '../../../../_i18n/redirect.ts';
import { createSocketTicket, currentOperator, getBoard } from '../../../../_data/ops.ts';
import { publicSidecarUrl } from '../../../../_data/sidecar.ts';
import { OpsConsole } from '../_components/ops-console.tsx';

// Rendered per request from the sidecar's board, then kept live over the /ops socket.
export const dynamic = 'force-dynamic';

export default async function OpsPage() {
  const [me, board, ticket] = await Promise.all([currentOperator(), getBoard(), createSocketTicket()]);
  if (!me || (!board.ok && board.error === 'unauthenticated')) return redirectInLocale('/ops/logg-inn');
  if (!board.ok) throw new Error(`ops board: ${board.message}`);
  const t = await getTranslations('opsConsole');
  return (
    <>
      <h1>{t('heading')}</h1>
      <OpsConsole
        initialBoard={board.value}
        operator={me.operator.name}
        initialTicket={ticket.ok ? ticket.value.ticket : null}
        sidecarUrl={publicSidecarUrl()}
      />
    </>
  );
}
