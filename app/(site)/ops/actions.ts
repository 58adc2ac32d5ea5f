'use server';
// Server actions of the operations console. They are public endpoints as far as the network goes, so each
// validates its input and needs the session cookie; the sidecar checks the session again.
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { ZAcknowledgeAlert, ZSetOversight, ZWatchlistChange, type Alert, type MunicipalityTimeline, type OpsBoard, type WatchlistAnswer } from '../../../lib/contracts/ops.ts';
import { INT32_MAX } from '../../../lib/contracts/ingest.ts';
import { ZAcknowledgeFeedIncident, type FeedIncident } from '../../../lib/contracts/feed-status.ts';
import * as ops from '../../_data/ops.ts';

export type ActionResult<T> = ops.OpsOutcome<T>;

export interface SignInState {
  error: string | null;
  name: string;
}

const SIGN_IN_ERRORS = {
  invalid_credentials: 'Feil brukernavn eller passord',
  rate_limited: 'For mange forsøk. Vent et minutt og prøv igjen.',
  unavailable: 'Får ikke kontakt med Valgvakt-serveren. Prøv igjen om litt.',
} as const;

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const name = String(form.get('name') ?? '').trim();
  const password = String(form.get('password') ?? '');
  if (!name || !password) return { error: 'Skriv inn brukernavn og passord', name };
  const outcome = await ops.signIn(name, password);
  if (!outcome.ok) return { error: SIGN_IN_ERRORS[outcome.error], name };
  redirect('/ops');
}

export async function signOutAction(): Promise<void> {
  await ops.signOut();
  redirect('/ops/logg-inn');
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

export async function timelineAction(number: string): Promise<ActionResult<MunicipalityTimeline>> {
  if (!ZNumber.safeParse(number).success) return invalid('Ugyldig kommunenummer');
  return ops.getTimeline(number);
}

export async function acknowledgeFeedIncidentAction(id: number, input: unknown): Promise<ActionResult<FeedIncident>> {
  if (!Number.isInteger(id) || id <= 0 || id > INT32_MAX) return invalid('Ugyldig varsel');
  const parsed = ZAcknowledgeFeedIncident.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return ops.acknowledgeFeedIncident(id, parsed.data);
}

export async function acknowledgeAlertAction(id: number, input: unknown): Promise<ActionResult<Alert>> {
  if (!Number.isInteger(id) || id <= 0 || id > INT32_MAX) return invalid('Ugyldig varsel');
  const parsed = ZAcknowledgeAlert.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return ops.acknowledgeAlert(id, parsed.data);
}

export async function setOversightAction(number: string, input: unknown): Promise<ActionResult<ops.OversightAnswer>> {
  if (!ZNumber.safeParse(number).success) return invalid('Ugyldig kommunenummer');
  const parsed = ZSetOversight.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return ops.setOversight(number, parsed.data);
}

export async function setWatchAction(number: string, watch: boolean, input: unknown): Promise<ActionResult<WatchlistAnswer>> {
  if (!ZNumber.safeParse(number).success) return invalid('Ugyldig kommunenummer');
  if (typeof watch !== 'boolean') return invalid('Ugyldig endring');
  const parsed = ZWatchlistChange.safeParse(input);
  if (!parsed.success) return invalid('Skriv en begrunnelse (høyst 280 tegn)');
  return ops.setWatch(number, watch, parsed.data);
}
