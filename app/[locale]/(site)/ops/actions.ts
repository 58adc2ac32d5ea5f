'use server';
// Server actions of the operations console. They are public endpoints as far as the network goes, so each
// validates its input and needs the session cookie; the sidecar checks the session again.
import { redirectInLocale } from '../../../_i18n/redirect.ts';
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { ZCreateAlertChannel } from '../../../../lib/contracts/alert-channels.ts';
import { z } from 'zod';
import { ZAcknowledgeAlert, ZSetOversight, ZWatchlistChange, type Alert, type MunicipalityTimeline, type OpsBoard, type WatchlistAnswer } from '../../../../lib/contracts/ops.ts';
import { INT32_MAX } from '../../../../lib/contracts/ingest.ts';
import { ZAcknowledgeFeedIncident, type FeedIncident } from '../../../../lib/contracts/feed-status.ts';
import * as ops from '../../../_data/ops.ts';

export type ActionResult<T> = ops.OpsOutcome<T>;

export interface SignInState {
  error: string | null;
  name: string;
}

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const name = String(form.get('name') ?? '').trim();
  const password = String(form.get('password') ?? '');
  const t = await getTranslations('signIn');
  if (!name || !password) return { error: t('errors.missing'), name };
  const outcome = await ops.signIn(name, password);
  if (!outcome.ok) return { error: t(`errors.${outcome.error}`), name };
  return redirectInLocale('/ops');
}

export async function signOutAction(): Promise<void> {
  await ops.signOut();
  return redirectInLocale('/ops/logg-inn');
}

/** A fresh single-use ticket for the /ops socket (one per connection attempt). */
export async function socketTicketAction(): Promise<ActionResult<string>> {
  const outcome = await ops.createSocketTicket();
  return outcome.ok ? { ok: true, value: outcome.value.ticket } : outcome;
}

/** The whole board, for a client that reconnected and may have missed pushes. */
export async function boardAction(): Promise<ActionResult<OpsBoard>> {
  return ops.getBoard();
}

const ZNumber = z.string().regex(/^\d{4}$/);
const invalid = (message: string) => ({ ok: false as const, error: 'invalid' as const, message });
type ActionMessage = 'invalidNumber' | 'invalidAlert' | 'invalidChange' | 'reasonRequired';
/** A refusal in the operator's language (the page's: the action is posted to it). */
const refuse = async (key: ActionMessage) => invalid((await getTranslations('opsActions'))(key));
/** Zod's own issue texts stay as zod gives them (English); the fields name where. */
const describeIssues = (error: z.ZodError, form = '') => error.issues.map((i) => `${i.path.join('.') || form}: ${i.message}`).join('; ');

export async function timelineAction(number: string): Promise<ActionResult<MunicipalityTimeline>> {
  if (!ZNumber.safeParse(number).success) return refuse('invalidNumber');
  return ops.getTimeline(number);
}

export async function acknowledgeFeedIncidentAction(id: number, input: unknown): Promise<ActionResult<FeedIncident>> {
  if (!Number.isInteger(id) || id <= 0 || id > INT32_MAX) return refuse('invalidAlert');
  const parsed = ZAcknowledgeFeedIncident.safeParse(input);
  if (!parsed.success) return invalid(describeIssues(parsed.error));
  return ops.acknowledgeFeedIncident(id, parsed.data);
}

export async function acknowledgeAlertAction(id: number, input: unknown): Promise<ActionResult<Alert>> {
  if (!Number.isInteger(id) || id <= 0 || id > INT32_MAX) return refuse('invalidAlert');
  const parsed = ZAcknowledgeAlert.safeParse(input);
  if (!parsed.success) return invalid(describeIssues(parsed.error));
  return ops.acknowledgeAlert(id, parsed.data);
}

export async function setOversightAction(number: string, input: unknown): Promise<ActionResult<ops.OversightAnswer>> {
  if (!ZNumber.safeParse(number).success) return refuse('invalidNumber');
  const parsed = ZSetOversight.safeParse(input);
  if (!parsed.success) return invalid(describeIssues(parsed.error));
  return ops.setOversight(number, parsed.data);
}

export async function setWatchAction(number: string, watch: boolean, input: unknown): Promise<ActionResult<WatchlistAnswer>> {
  if (!ZNumber.safeParse(number).success) return refuse('invalidNumber');
  if (typeof watch !== 'boolean') return refuse('invalidChange');
  const parsed = ZWatchlistChange.safeParse(input);
  if (!parsed.success) return refuse('reasonRequired');
  return ops.setWatch(number, watch, parsed.data);
}

// ---- Alert channels (/ops/varsling) ----

export interface ChannelFormState {
  error: string | null;
  /** Shown once after a webhook is created: the receiver needs it to check signatures. */
  secret: string | null;
  created: string | null;
}

// The route, not a URL: the page exists once per language.
const CHANNEL_PAGE = '/[locale]/ops/varsling';

export async function createAlertChannelAction(_previous: ChannelFormState, form: FormData): Promise<ChannelFormState> {
  const county = String(form.get('county') ?? '').trim();
  const scopeChoice = String(form.get('scope') ?? 'all');
  const input = {
    kind: String(form.get('kind') ?? ''),
    name: String(form.get('name') ?? ''),
    target: String(form.get('target') ?? '').trim(),
    scope: scopeChoice === 'county' ? `county:${county.padStart(2, '0')}` : scopeChoice,
    alertKinds: form.getAll('alertKinds').map(String),
  };
  const parsed = ZCreateAlertChannel.safeParse(input);
  if (!parsed.success) {
    const t = await getTranslations('opsActions');
    return { error: t('invalidChannel', { issues: describeIssues(parsed.error, t('form')) }), secret: null, created: null };
  }
  const outcome = await ops.createAlertChannel(parsed.data);
  if (!outcome.ok) {
    if (outcome.error === 'unauthenticated') return redirectInLocale('/ops/logg-inn');
    return { error: outcome.message, secret: null, created: null };
  }
  revalidatePath(CHANNEL_PAGE, 'page');
  return { error: null, secret: outcome.value.secret, created: outcome.value.name };
}

function channelId(form: FormData): number | null {
  const id = Number(form.get('id'));
  return Number.isInteger(id) && id > 0 && id <= INT32_MAX ? id : null;
}

async function afterChannelCall(outcome: ops.OpsOutcome<unknown>): Promise<void> {
  if (!outcome.ok && outcome.error === 'unauthenticated') return redirectInLocale('/ops/logg-inn');
  revalidatePath(CHANNEL_PAGE, 'page');
}

export async function setAlertChannelEnabledAction(form: FormData): Promise<void> {
  const id = channelId(form);
  if (id === null) return;
  await afterChannelCall(await ops.updateAlertChannel(id, { enabled: form.get('enabled') === 'true' }));
}

export async function deleteAlertChannelAction(form: FormData): Promise<void> {
  const id = channelId(form);
  if (id === null) return;
  await afterChannelCall(await ops.deleteAlertChannel(id));
}

/** The test's outcome is in the delivery log the page shows after it. */
export async function testAlertChannelAction(form: FormData): Promise<void> {
  const id = channelId(form);
  if (id === null) return;
  await afterChannelCall(await ops.testAlertChannel(id));
}
