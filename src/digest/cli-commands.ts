import { parseArgs } from 'node:util';
import { SLACK_TEAM_ID } from '../access/access.js';
import { auditCli } from '../access/admin-cli.js';
import type { CliIo } from '../base/io.js';
import type { FactStore } from '../store/fact-store.js';
import { newHolderId } from '../store/leases.js';
import type { SharedState } from '../store/shared/state.js';
import { readAdvisoryFile } from './advisory-input.js';
import { type PassLogger, runDigestPass } from './pass.js';
import { pendingReasons } from './pending.js';
import type { Poster } from './poster.js';
import { checkCron, parseSchedule, validTimezone } from './schedule.js';
import { DIGEST_LEASE, DIGEST_LEASE_TTL_MS } from './scheduler.js';
import { fieldFilter, type SubscriptionFilter } from './subscriptions.js';

export const PLATFORMS = ['slack', 'teams', 'console'] as const;

/** How long `digest run` waits for another scheduler's lease before giving up, and how often it looks. */
const DEFAULT_LEASE_WAIT_SECONDS = 10;
const LEASE_POLL_MS = 250;

/** `threatbrief advisory add <file>`: validates, then adds each advisory once. */
export async function advisoryAdd(store: FactStore, state: SharedState, args: string[], io: CliIo, now: Date): Promise<number> {
  const [sub, file] = args;
  if (sub !== 'add' || !file) {
    io.err('usage: threatbrief advisory add <file.yaml|file.json>');
    return 2;
  }
  const input = readAdvisoryFile(file, store);
  if (!input.ok) {
    for (const p of input.problems) io.err(p);
    io.err(`${input.problems.length} problem(s); nothing was added.`);
    return 1;
  }
  for (const r of await state.advisories.addAll(input.advisories, 'cli', now)) {
    io.out(r.added ? `added ${r.id} (sequence ${r.seq})` : `already known: ${r.id} (sequence ${r.seq}); nothing changed`);
    if (r.added) await auditCli(state, 'advisory-add', file, { id: r.id, seq: r.seq });
  }
  return 0;
}

/** `threatbrief subscribe --platform … --conversation … --schedule … [--timezone …] [--vendor V] [--product P] [--team T]`. */
export async function subscribeCli(state: SharedState, args: string[], io: CliIo, now: Date): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      platform: { type: 'string' },
      conversation: { type: 'string' },
      schedule: { type: 'string' },
      timezone: { type: 'string' },
      vendor: { type: 'string', multiple: true },
      product: { type: 'string', multiple: true },
      team: { type: 'string' },
    },
  });
  const filters = [
    ...(values.vendor ?? []).map((v) => fieldFilter(`vendor: ${v}`)),
    ...(values.product ?? []).map((v) => fieldFilter(`product: ${v}`)),
  ].filter((f): f is SubscriptionFilter => f !== undefined);
  const problems: string[] = [];
  if (!values.platform || !(PLATFORMS as readonly string[]).includes(values.platform))
    problems.push(`--platform must be one of ${PLATFORMS.join(', ')}`);
  if (!values.conversation) problems.push('--conversation is required (a Slack channel id, a Teams conversation id, or "terminal")');
  if (!values.schedule) problems.push('--schedule is required (a cron expression such as "0 9 * * 1-5", or "daily 09:00")');
  if (values.team !== undefined && (values.platform !== 'slack' || !SLACK_TEAM_ID.test(values.team)))
    problems.push('--team must be a Slack workspace id like T0123ABCD (with --platform slack)');
  if (values.timezone && !validTimezone(values.timezone)) problems.push(`--timezone: "${values.timezone}" is not a known IANA time zone`);
  if (problems.length === 0) {
    const isCron = checkCron(values.schedule!) === undefined;
    const parsed = parseSchedule(values.schedule!, values.timezone ?? 'UTC');
    if (!parsed.ok) problems.push(`--schedule: ${parsed.error}`);
    else {
      const schedule =
        isCron && values.timezone
          ? { ...parsed.schedule, timezone: values.timezone, label: `cron “${values.schedule}” ${values.timezone}` }
          : parsed.schedule;
      const { subscription, created } = await state.subscriptions.add(
        {
          platform: values.platform!,
          conversation: values.conversation!,
          schedule,
          filters,
          ...(values.team ? { team: values.team } : {}),
        },
        now,
      );
      if (created)
        await auditCli(state, 'subscribe', `${subscription.platform}:${subscription.conversation}`, {
          id: subscription.id,
          schedule: subscription.label,
        });
      io.out(
        `${created ? 'Subscribed' : 'Already subscribed'}: #${subscription.id} ${subscription.platform} ${subscription.conversation} — ${subscription.label}`,
      );
      return 0;
    }
  }
  for (const p of problems) io.err(p);
  return 1;
}

/** `threatbrief digest run [--at <ISO instant>]`: one pass, as if the clock read that instant. */
export async function digestRun(
  store: FactStore,
  state: SharedState,
  args: string[],
  posters: readonly Poster[],
  io: CliIo,
  logger?: PassLogger,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { at: { type: 'string' }, wait: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals[0] !== 'run') {
    io.err('usage: threatbrief digest run [--at <ISO-8601 instant>] [--wait <seconds>]');
    return 2;
  }
  const waitSeconds = values.wait === undefined ? DEFAULT_LEASE_WAIT_SECONDS : Number(values.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0 || waitSeconds > 600) {
    io.err(`--wait: "${values.wait}" is not a number of seconds (0–600)`);
    return 1;
  }
  const at = values.at ? new Date(values.at) : new Date();
  if (Number.isNaN(at.getTime()) || (values.at && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(values.at))) {
    io.err(`--at: "${values.at}" is not an ISO-8601 instant with a zone, e.g. 2025-01-06T09:00:00Z`);
    return 1;
  }
  // Never in parallel with a running service's scheduler (or another `digest run`): the same lease.
  const { leases } = state;
  const holder = newHolderId();
  const deadline = Date.now() + waitSeconds * 1000;
  while (!(await leases.acquire(DIGEST_LEASE, holder, DIGEST_LEASE_TTL_MS))) {
    if (Date.now() >= deadline) {
      const other = await leases.holder(DIGEST_LEASE);
      io.err(
        `another digest scheduler (${other?.holder ?? 'unknown'}) holds the lease until ${other ? new Date(other.expiresAt).toISOString() : 'now'}; no pass was run. A running \`threatbrief serve\` posts digests itself; stop it, or try again later.`,
      );
      return 1;
    }
    await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS));
  }
  let report: Awaited<ReturnType<typeof runDigestPass>>;
  try {
    report = await runDigestPass({ store, state, posters, at, holder, ...(logger ? { logger } : {}) });
  } finally {
    await leases.release(DIGEST_LEASE, holder);
  }
  io.out(
    `digest pass at ${at.toISOString()}: ${report.due} due, ${report.skippedEmpty} skipped (nothing new), ${report.queued} queued, ${report.sent} sent, ${report.failed} failed, ${report.pending} pending`,
  );
  for (const line of await pendingReasons(
    state.outbox,
    posters.map((p) => p.platform),
  ))
    io.out(`  ${line}`);
  return report.pending > 0 && report.failed > 0 ? 1 : 0;
}
