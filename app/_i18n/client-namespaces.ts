// The catalogue namespaces each part of the app's client components use (app/_i18n/client-messages.tsx);
// tests/unit/client-namespaces.test.ts keeps these lists in step with the components' useTranslations calls.

/** Namespaces the client components of the public pages and embeds use (app/_components). */
export const PUBLIC_CLIENT_NAMESPACES = [
  'common', 'councils', 'county', 'embed', 'embedSnippet', 'explorer', 'exports', 'languageSwitch', 'ledger', 'liveStatus', 'municipality',
  'nightStatus', 'overview', 'parties', 'progress', 'reportedSeats', 'seats', 'states', 'statusMap', 'table',
] as const;
/** The sign-in form's (app/[locale]/(site)/ops/_components/sign-in-form.tsx). */
export const SIGN_IN_CLIENT_NAMESPACES = ['signIn'] as const;
/** The signed-in console's client components (stall board, status line, error boundary, panels, charts, forms). */
export const CONSOLE_CLIENT_NAMESPACES = [
  'ops', 'board', 'opsAlerts', 'opsBacklog', 'opsChannelForm', 'opsCharts', 'opsFeed', 'opsMap', 'opsTimeline', 'opsWatchlist',
] as const;
