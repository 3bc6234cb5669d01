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
  const zone = zoneOf(lastIsZone ? words.slice(-1) : []);
  // Day-of-month and day-of-week must both match (node-cron's rule): some pairs never do.
  if (typeof zone === 'string' && nextRunWithinYear({ cron: expr, timezone: zone }, new Date()) === null)
    return {
      ok: false,
      error: `“${expr}” would not run within the next year — its day-of-month and day-of-week (both must match) never or almost never fall on the same day, so it never runs as a digest schedule. Try “weekly fri 09:00” or “0 9 * * 5”.`,
    };
  return done(expr, zone, `cron “${expr}”`);
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

/** Work done by one evaluation, for tests and the bench: each probe is one node-cron match. */
export interface ScheduleCost {
  probes: number;
}

/** How far back a pass looks for a missed run (after downtime), and how far ahead a new schedule must run. */
export const MAX_LOOK_DAYS = 400;
const YEAR_DAYS = 366;

interface Fields {
  minutes: number[];
  hours: number[];
  months: Set<number>;
  doms: Set<unknown> | undefined;
  second: number;
}

function fieldsOf(expr: string): Fields {
  const f = cron.parse(expr);
  return {
    minutes: [...f.minute].sort((a, b) => b - a),
    hours: [...f.hour].sort((a, b) => b - a),
    months: new Set(f.month),
    // Only plain numbers can rule a day out without asking node-cron (L, W, # need its rules).
    doms: f.dayOfMonth.every((v) => typeof v === 'number') ? new Set(f.dayOfMonth) : undefined,
    second: Math.min(...f.second),
  };
}

/**
 * The latest scheduled instant in (`after`, `at`] — at most `maxDays` back — or null.
 *
 * Bounded: days go newest first; a day is ruled out by its month and plain day-of-month numbers,
 * or else by one node-cron match of one candidate time on it (the time fields match by
 * construction, so a false answer means the day does not: DOM and DOW, L, #, as node-cron reads
 * them). A day that matches yields its latest candidate not after `at` that exists on the wall
 * clock (DST gaps skipped, the repeated hour counted once). So the cost is about one probe per day
 * looked at, never one per minute, whatever the schedule.
 */
export function previousRun(
  schedule: Pick<Schedule, 'cron' | 'timezone'>,
  at: Date,
  opts: { after?: Date; maxDays?: number; cost?: ScheduleCost } = {},
): Date | null {
  const fields = fieldsOf(schedule.cron);
  const task = matcher(schedule);
  const limit = at.getTime();
  const floor = opts.after?.getTime() ?? -Infinity;
  const tz = schedule.timezone;
  const today = localParts(tz, limit);
  const first = opts.after ? localParts(tz, floor) : undefined;
  const maxDays = opts.maxDays ?? MAX_LOOK_DAYS;
  const probe = (t: number) => {
    if (opts.cost) opts.cost.probes++;
    return task.match(new Date(t));
  };

  for (let back = 0; back <= maxDays; back++) {
    const day = new Date(Date.UTC(today.y, today.mo - 1, today.d - back));
    const y = day.getUTCFullYear();
    const mo = day.getUTCMonth() + 1;
    const d = day.getUTCDate();
    const isFirstDay = back === 0;
    const isLastDay = first !== undefined && y === first.y && mo === first.mo && d === first.d;
    if (first && (y < first.y || (y === first.y && (mo < first.mo || (mo === first.mo && d < first.d))))) return null;
    if (!fields.months.has(mo) || (fields.doms && !fields.doms.has(d))) {
      if (isLastDay) return null;
      continue;
    }
    candidates: for (const h of fields.hours) {
      for (const mi of fields.minutes) {
        // Wall-clock bounds first, by arithmetic: no conversion for times outside the window.
        if (isFirstDay && (h > today.h || (h === today.h && mi > today.mi))) continue;
        if (isLastDay && first && (h < first.h || (h === first.h && mi < first.mi))) break candidates;
        const t = zonedToUtc(tz, y, mo, d, h, mi);
        if (t === null) continue; // a DST gap: this wall-clock time does not exist today
        const instant = t + fields.second * 1000;
        if (instant > limit) continue; // the repeated hour, or seconds past `at`
        if (instant <= floor) return null;
        if (probe(instant)) return new Date(instant);
        break candidates; // the time fields match by construction: the day itself does not
      }
    }
    if (isLastDay) return null;
  }
  return null;
}

/**
 * The first scheduled instant in the year after `from`, or null when there is none: a schedule
 * that never runs (its day-of-month and day-of-week rules exclude each other) or runs less than
 * once a year is refused. One probe per candidate day at most, like previousRun.
 */
export function nextRunWithinYear(schedule: Pick<Schedule, 'cron' | 'timezone'>, from: Date): Date | null {
  const fields = fieldsOf(schedule.cron);
  const task = matcher(schedule);
  const start = localParts(schedule.timezone, from.getTime());
  const hours = [...fields.hours].reverse();
  const minutes = [...fields.minutes].reverse();
  for (let ahead = 0; ahead <= YEAR_DAYS; ahead++) {
    const day = new Date(Date.UTC(start.y, start.mo - 1, start.d + ahead));
    const y = day.getUTCFullYear();
    const mo = day.getUTCMonth() + 1;
    const d = day.getUTCDate();
    if (!fields.months.has(mo) || (fields.doms && !fields.doms.has(d))) continue;
    candidates: for (const h of hours) {
      for (const mi of minutes) {
        const t = zonedToUtc(schedule.timezone, y, mo, d, h, mi);
        if (t === null) continue;
        const instant = t + fields.second * 1000;
        if (instant <= from.getTime()) continue;
        if (task.match(new Date(instant))) return new Date(instant);
        break candidates; // the first real candidate of the day decides for the whole day
      }
    }
  }
  return null;
}
