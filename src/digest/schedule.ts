import cron, { type ScheduledTask } from 'node-cron';

/** A validated digest schedule: a cron expression read in an IANA time zone. */
export interface Schedule {
  cron: string;
  timezone: string;
  /** How a person would say it: "daily 09:00 Europe/London". */
  label: string;
}

export type ScheduleResult = { ok: true; schedule: Schedule } | { ok: false; error: string };

const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

export function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function parseTime(text: string): { h: number; m: number } | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? { h, m: min } : undefined;
}

/** Checks a cron expression with node-cron and says which field is wrong. */
export function checkCron(expr: string): string | undefined {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6)
    return `a cron expression has 5 fields (minute hour day-of-month month day-of-week); “${expr}” has ${fields.length}`;
  const detail = cron.validateDetailed(expr);
  if (detail.valid) return undefined;
  return detail.errors.map((e) => `${e.field}: ${e.message}`).join('; ') || `“${expr}” is not a valid cron expression`;
}

/**
 * Reads "daily 09:00 [zone]", "weekly mon 08:30 [zone]", "weekdays 07:45 [zone]" or a cron
 * expression ("0 9 * * 1-5 [zone]"); the zone defaults to `defaultTimezone`.
 */
export function parseSchedule(text: string, defaultTimezone = 'UTC'): ScheduleResult {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const zoneOf = (rest: string[]): string | { error: string } => {
    if (rest.length === 0) return defaultTimezone;
    if (rest.length > 1) return { error: `unexpected “${rest.join(' ')}” after the schedule` };
    const tz = rest[0]!;
    return validTimezone(tz) ? tz : { error: `“${tz}” is not a known IANA time zone (for example Europe/London, America/New_York, UTC)` };
  };
  const done = (cronExpr: string, tz: string | { error: string }, label: string): ScheduleResult =>
    typeof tz === 'string'
      ? { ok: true, schedule: { cron: cronExpr, timezone: tz, label: `${label} ${tz}` } }
      : { ok: false, error: tz.error };

  const kind = words[0]?.toLowerCase();
  if (kind === 'daily' || kind === 'weekdays') {
    const time = parseTime(words[1] ?? '');
    if (!time) return { ok: false, error: `“${kind}” needs a time as HH:MM, for example “${kind} 09:00 Europe/London”` };
    const dow = kind === 'daily' ? '*' : '1-5';
    return done(`${time.m} ${time.h} * * ${dow}`, zoneOf(words.slice(2)), `${kind} ${words[1]}`);
  }
  if (kind === 'weekly') {
    const day = DAYS[(words[1] ?? '').slice(0, 3).toLowerCase()];
    const time = parseTime(words[2] ?? '');
    if (day === undefined || !time)
      return { ok: false, error: '“weekly” needs a day and a time, for example “weekly mon 08:30 Europe/Paris”' };
    return done(`${time.m} ${time.h} * * ${day}`, zoneOf(words.slice(3)), `weekly ${words[1]!.slice(0, 3).toLowerCase()} ${words[2]}`);
  }
  // A cron expression: 5 fields, or 6 with a leading seconds field, then an optional zone.
  const last = words[words.length - 1] ?? '';
  const lastIsZone = words.length >= 6 && (last.includes('/') || /^(UTC|GMT)$/i.test(last));
  const cronWords = lastIsZone ? words.slice(0, -1) : words;
  const problem = checkCron(cronWords.join(' '));
  if (problem)
    return {
      ok: false,
      error: `I could not read that schedule: ${problem}. Try “daily 09:00 Europe/London”, “weekly mon 08:30” or a cron expression such as “0 9 * * 1-5”.`,
    };
  const expr = cronWords.join(' ');
  return done(expr, zoneOf(lastIsZone ? words.slice(-1) : []), `cron “${expr}”`);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(tz: string, t: number): { y: number; mo: number; d: number; h: number; mi: number } {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, mo: p.month!, d: p.day!, h: p.hour!, mi: p.minute! };
}

/** The earliest instant at which the wall clock in `tz` reads the given time; null if it never does (DST gap). */
function zonedToUtc(tz: string, y: number, mo: number, d: number, h: number, mi: number): number | null {
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const found: number[] = [];
  for (const probe of [wall - 14 * 3600_000, wall + 14 * 3600_000, wall]) {
    const p = localParts(tz, probe);
    const offset = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi) - probe;
    const t = wall - Math.round(offset / 60_000) * 60_000;
    const back = localParts(tz, t);
    if (back.y === y && back.mo === mo && back.d === d && back.h === h && back.mi === mi) found.push(t);
  }
  return found.length ? Math.min(...found) : null;
}

const tasks = new Map<string, ScheduledTask>();

function matcher(schedule: Pick<Schedule, 'cron' | 'timezone'>): ScheduledTask {
  const key = `${schedule.timezone}\0${schedule.cron}`;
  let task = tasks.get(key);
  if (!task) {
    // Never started: used only for node-cron's own matching rules (ranges, L, #, DOM/DOW).
    task = cron.createTask(schedule.cron, () => undefined, { timezone: schedule.timezone });
    tasks.set(key, task);
  }
  return task;
}

/**
 * The latest scheduled instant at or before `at` (within `maxDays`), or null. Candidates come
 * from the parsed fields day by day in the schedule's zone; node-cron's `match` has the last
 * word, so its semantics hold (DST gaps skipped, the repeated hour counted once).
 */
export function previousRun(schedule: Pick<Schedule, 'cron' | 'timezone'>, at: Date, maxDays = 400): Date | null {
  const fields = cron.parse(schedule.cron);
  const task = matcher(schedule);
  const minutes = [...fields.minute].sort((a, b) => b - a);
  const hours = [...fields.hour].sort((a, b) => b - a);
  const months = new Set(fields.month);
  const numericDom = fields.dayOfMonth.every((v) => typeof v === 'number');
  const numericDow = fields.dayOfWeek.every((v) => typeof v === 'number');
  const doms = new Set(fields.dayOfMonth);
  const dows = new Set(fields.dayOfWeek.map((v) => (v === 7 ? 0 : v)));
  const second = Math.min(...fields.second);
  const limit = at.getTime();
  const today = localParts(schedule.timezone, limit);

  for (let back = 0; back <= maxDays; back++) {
    const day = new Date(Date.UTC(today.y, today.mo - 1, today.d - back));
    const y = day.getUTCFullYear();
    const mo = day.getUTCMonth() + 1;
    const d = day.getUTCDate();
    if (!months.has(mo)) continue;
    // A superset of the matching days; match() below decides.
    const domOk = !numericDom || doms.has(d);
    const dowOk = !numericDow || dows.has(day.getUTCDay());
    if (!domOk && !dowOk) continue;
    for (const h of hours) {
      for (const mi of minutes) {
        const t = zonedToUtc(schedule.timezone, y, mo, d, h, mi);
        if (t === null) continue;
        const instant = t + second * 1000;
        if (instant > limit) continue;
        if (task.match(new Date(instant))) return new Date(instant);
      }
    }
  }
  return null;
}
