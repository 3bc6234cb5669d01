import type { IncomingMessage } from 'node:http';
import { createAccess, readAudit } from '../../src/access/access.js';
import { tlpAllows } from '../../src/base/tlp.js';
import type { PassReport } from '../../src/digest/pass.js';
import { nextRunWithinYear } from '../../src/digest/schedule.js';
import { previewNextDigest, recentDigests } from '../../src/digest/status.js';
import type { Subscription } from '../../src/digest/subscriptions.js';
import { feedStatus } from '../../src/feeds/feeds-command.js';
import type { FactStore } from '../../src/store/fact-store.js';
import { retryWrite } from '../../src/store/failures.js';
import { createSqliteState } from '../../src/store/shared/sqlite.js';
import type { SharedState } from '../../src/store/shared/state.js';
import { renderReply } from '../slack/block-kit.js';
import { blockKitToHtml } from './block-kit-html.js';
import type { Sessions } from './guard.js';
import { escapeHtml, HttpProblem, page } from './html.js';

/** What the admin view can make the service do (with the admin token). */
export interface AdminActions {
  /** Runs a digest pass now, as the scheduler's tick would. */
  runDigestPass(): Promise<PassReport | undefined>;
}

export interface AdminPagesOptions {
  store: FactStore;
  /** Subscriptions, clearances and the audit log; the SQLite store's own tables by default. */
  state?: SharedState;
  sessions: Sessions;
  actions: AdminActions;
  now: () => Date;
}

/** Rows shown per table; the view is a look at the present, not a history browser. */
const ROWS = 50;

/**
 * The admin view: subscriptions and their next runs, a preview of any subscription's next
 * digest, pending and delivered digests, imports with their age, and the audit log. Reading it
 * needs nothing beyond reaching the console; its actions, and whatever is marked above
 * TLP:CLEAR (previews for a cleared conversation, delivered digests there, the audit log's
 * details), need the session signed in with CONSOLE_ADMIN_TOKEN.
 */
export function createAdminPages({ store, state = createSqliteState(store), sessions, actions, now }: AdminPagesOptions) {
  const { subscriptions } = state;
  const access = createAccess(state, {});
  /** The clearance of each conversation listed, read before a table is drawn. */
  const clearancesOf = async (items: readonly Pick<Subscription, 'platform' | 'conversation' | 'team'>[]) => {
    const key = (s: Pick<Subscription, 'platform' | 'conversation' | 'team'>) => `${s.platform} ${s.team ?? ''} ${s.conversation}`;
    const levels = new Map(await Promise.all(items.map(async (s) => [key(s), await access.clearanceOf(s)] as const)));
    return (s: Pick<Subscription, 'platform' | 'conversation' | 'team'>) => levels.get(key(s)) ?? 'CLEAR';
  };

  const signInBox = (req: IncomingMessage, csrf: string): string => {
    if (!sessions.adminEnabled)
      return '<p class="notice">Read-only. Set <code>CONSOLE_ADMIN_TOKEN</code> to enable actions and what is marked above TLP:CLEAR.</p>';
    if (sessions.isAdmin(req))
      return `<form method="post" action="/admin/sign-out" class="inline"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<span class="notice">Signed in with the admin token.</span> <button type="submit">Sign out</button></form>`;
    return `<form method="post" action="/admin/sign-in" class="inline"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<label>Admin token <input type="password" name="token" autocomplete="current-password" required></label> <button type="submit">Sign in</button>
<span class="notice">Read-only until signed in: actions and anything above TLP:CLEAR need the token.</span></form>`;
  };

  const actionButton = (req: IncomingMessage, csrf: string, path: string, label: string, fields: Record<string, string> = {}): string => {
    const enabled = sessions.isAdmin(req);
    const hidden = Object.entries(fields)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    return `<form method="post" action="${escapeHtml(path)}" class="inline"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">${hidden}<button type="submit"${
      enabled ? '' : ' disabled title="Needs the admin token"'
    }>${escapeHtml(label)}</button></form>`;
  };

  const subscriptionRows = async (req: IncomingMessage, csrf: string): Promise<string> => {
    const subs = await subscriptions.all();
    const clearanceOf = await clearancesOf(subs.slice(0, ROWS));
    if (subs.length === 0) return '<p class="empty">No subscriptions. “subscribe daily 09:00” in a chat (or this console) creates one.</p>';
    const at = now();
    return table(
      ['#', 'Platform', 'Conversation', 'Schedule', 'About', 'Clearance', 'Next run', 'Last run', ''],
      subs.slice(0, ROWS).map((s) => {
        const next = nextRunWithinYear(s, at);
        return [
          String(s.id),
          s.platform,
          s.conversation,
          s.label,
          s.filters.map((f) => f.label).join(', ') || 'everything',
          `TLP:${clearanceOf(s)}`,
          next ? `${next.toISOString()} (in ${age(at, next)})` : 'not within a year',
          s.lastRunAt,
        ]
          .map(escapeHtml)
          .concat(
            `<a href="/admin/preview?subscription=${s.id}">Preview next digest</a> ${actionButton(req, csrf, '/admin/unsubscribe', 'Unsubscribe', { subscription: String(s.id) })}`,
          );
      }),
      subs.length > ROWS ? `${subs.length - ROWS} more not shown` : undefined,
    );
  };

  const digestRows = async (req: IncomingMessage): Promise<string> => {
    const rows = await recentDigests(state, ROWS);
    const clearanceOf = await clearancesOf(rows);
    if (rows.length === 0) return '<p class="empty">No digests yet.</p>';
    const admin = sessions.isAdmin(req);
    return table(
      ['Outbox #', 'Subscription', 'Platform', 'Conversation', 'Status', 'Attempts', 'Queued', 'Delivered', 'Last error', 'Digest'],
      rows.map((d) => {
        const visible = admin || tlpAllows('CLEAR', clearanceOf(d));
        return [
          String(d.id),
          `#${d.subscriptionId}`,
          d.platform,
          d.conversation,
          d.status,
          String(d.attempts),
          d.createdAt,
          d.sentAt ?? '—',
          d.lastError ?? '—',
          visible ? d.reply.card.title : `TLP:${clearanceOf(d)} — needs the admin token`,
        ].map(escapeHtml);
      }),
    );
  };

  const importRows = (): string => {
    const imports = store.imports();
    if (imports.length === 0) return '<p class="empty">No feed imports yet (“threatbrief import &lt;file&gt;”).</p>';
    const at = now();
    return table(
      ['Import', 'Format', 'Publisher', 'Title', 'Edition', 'Imported', 'Age', 'Status', 'Counts'],
      imports.slice(0, ROWS).map((i) =>
        [
          i.id,
          i.format,
          i.publisher,
          i.title,
          i.edition ?? '—',
          i.importedAt,
          age(new Date(i.importedAt), at),
          i.status,
          Object.entries(i.counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
        ].map(escapeHtml),
      ),
    );
  };

  const feedRows = (): string => {
    const at = now();
    return table(
      ['Feed', 'Source', 'Last success', 'Age', 'Last error', 'Stale'],
      feedStatus(store, at).map((f) =>
        [
          f.name,
          f.title,
          f.lastSuccess ? `${f.lastSuccess.at} (${f.lastSuccess.outcome})` : 'never',
          f.ageDays === undefined ? '—' : `${f.ageDays} d`,
          f.lastError ? `${f.lastError.at}: ${f.lastError.error}` : '—',
          f.stale ? 'stale' : 'current',
        ].map(escapeHtml),
      ),
    );
  };

  const auditRows = async (req: IncomingMessage): Promise<string> => {
    const entries = await readAudit(state, ROWS);
    if (entries.length === 0) return '<p class="empty">Nothing audited yet.</p>';
    const admin = sessions.isAdmin(req);
    return table(
      ['#', 'At', 'Platform', 'Actor', 'Action', 'Where', 'Details'],
      entries.map((e) =>
        [String(e.id), e.at, e.platform, e.actor, e.action, e.place, admin ? e.detail : 'needs the admin token'].map(escapeHtml),
      ),
    );
  };

  const adminPage = async (req: IncomingMessage, session: string): Promise<string> => {
    const csrf = sessions.csrfToken(session);
    const [subscriptionTable, digestTable, auditTable] = await Promise.all([subscriptionRows(req, csrf), digestRows(req), auditRows(req)]);
    return page({
      title: 'ThreatBrief admin',
      csrf,
      body: `<header class="bar"><h1>ThreatBrief admin</h1><nav><a href="/">Chat</a></nav></header>
<main class="admin">
${signInBox(req, csrf)}
<section><h2>Subscriptions</h2>${subscriptionTable}
<p>${actionButton(req, csrf, '/admin/run-digests', 'Run a digest pass now')}</p></section>
<section><h2>Digests</h2>${digestTable}</section>
<section><h2>Feeds</h2>${feedRows()}</section>
<section><h2>Imports</h2>${importRows()}</section>
<section><h2>Audit log</h2>${auditTable}</section>
</main>`,
    });
  };

  const previewPage = async (req: IncomingMessage, session: string, id: number): Promise<string | undefined> => {
    const sub = Number.isInteger(id) ? await subscriptions.get(id) : undefined;
    if (!sub) return undefined;
    const preview = await previewNextDigest(store, state, sub, now());
    const allowed = sessions.isAdmin(req) || tlpAllows('CLEAR', preview.clearance);
    const content = !allowed
      ? `<p class="notice">This conversation is cleared for TLP:${escapeHtml(preview.clearance)}: sign in with the admin token to preview its digest.</p>`
      : preview.reply
        ? `<div class="slack">${blockKitToHtml(renderReply(preview.reply).blocks)}</div>`
        : '<p class="empty">Nothing new for this subscription yet: its next run would send no digest.</p>';
    return page({
      title: `Next digest of subscription #${sub.id}`,
      csrf: sessions.csrfToken(session),
      body: `<header class="bar"><h1>Next digest of subscription #${sub.id}</h1><nav><a href="/admin">Admin</a> <a href="/">Chat</a></nav></header>
<main class="admin"><p>${escapeHtml(`${sub.platform} ${sub.conversation}, ${sub.label}, at TLP:${preview.clearance}; next run ${preview.nextRun?.toISOString() ?? 'not within a year'}.`)}</p>
${content}</main>`,
    });
  };

  return {
    /** The HTML of an admin page, or undefined when there is none at `path`. */
    async get(req: IncomingMessage, path: string, session: string): Promise<string | undefined> {
      if (path === '/admin') return adminPage(req, session);
      if (path === '/admin/preview') {
        const id = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('subscription'));
        return previewPage(req, session, id);
      }
      return undefined;
    },

    /** Carries out an admin form (the CSRF check already passed); where to go next. */
    async post(req: IncomingMessage, path: string, form: Map<string, string>): Promise<{ location: string; setCookie?: string }> {
      if (path === '/admin/sign-in') {
        const cookie = sessions.signIn(req, form.get('token') ?? '');
        if (!cookie) throw new HttpProblem(403, 'That is not the admin token (CONSOLE_ADMIN_TOKEN).');
        return { location: '/admin', setCookie: cookie };
      }
      if (path === '/admin/sign-out') return { location: '/admin', setCookie: sessions.signOutCookie() };
      if (path !== '/admin/unsubscribe' && path !== '/admin/run-digests') throw new HttpProblem(404, 'Not found.');
      if (!sessions.isAdmin(req))
        throw new HttpProblem(403, 'Admin actions need the admin token (CONSOLE_ADMIN_TOKEN): sign in on the admin page.');
      if (path === '/admin/run-digests') {
        await actions.runDigestPass();
        return { location: '/admin' };
      }
      const sub = await subscriptions.get(Number(form.get('subscription')));
      if (!sub) throw new HttpProblem(404, 'There is no such subscription.');
      await retryWrite(async () => {
        await subscriptions.remove(sub.platform, sub.conversation, sub.id);
        await access.audit(
          {
            platform: 'web',
            actor: 'web:admin',
            action: 'unsubscribe',
            place: sub.conversation,
            detail: { id: sub.id, platform: sub.platform },
          },
          now(),
        );
      });
      return { location: '/admin' };
    },
  };
}

/** "3 min", "5 h", "2 d" between two instants. */
function age(from: Date, to: Date): string {
  const minutes = Math.max(0, Math.round((to.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / (24 * 60))} d`;
}

function table(headings: string[], rows: string[][], footnote?: string): string {
  return `<table><thead><tr>${headings.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>${footnote ? `<p class="more">${escapeHtml(footnote)}</p>` : ''}`;
}
