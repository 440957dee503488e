/**
 * Time handling for the simulator: rendering instants in the account time zone and parsing the
 * date strings Pardot accepts. Records hold UTC instants in milliseconds; Pardot itself stores
 * seconds, so every comparison the API makes is done on instants truncated to the second.
 */
import { DateTime, IANAZone } from 'luxon';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function zoneFor(name: string): IANAZone {
	const zone = IANAZone.create(name);
	if (!zone.isValid) throw new Error(`Unknown time zone: ${name}`);
	return zone;
}

/** Pardot keeps second precision: what the API compares and renders. */
export function toSecond(ms: number): number {
	return Math.floor(ms / SECOND) * SECOND;
}

/** v3/v4 style: `YYYY-MM-DD HH:MM:SS` in the account zone, no offset (Pardot's own format). */
export function renderLocal(ms: number, zone: IANAZone): string {
	return DateTime.fromMillis(toSecond(ms), { zone }).toFormat('yyyy-LL-dd HH:mm:ss');
}

/** v5 style: ISO 8601 with the zone's offset, seconds precision (e.g. 2026-11-27T06:03:11-08:00). */
export function renderIsoOffset(ms: number, zone: IANAZone): string {
	return DateTime.fromMillis(toSecond(ms), { zone }).toFormat("yyyy-LL-dd'T'HH:mm:ssZZ");
}

export function renderUtcIso(ms: number): string {
	return new Date(ms).toISOString();
}

/**
 * The instant of a wall-clock time in `zone`. A local time that occurs twice (DST fall-back) means
 * its earlier instant; one that does not exist (spring-forward gap) is moved forward by the gap,
 * as GNU date and most libraries do.
 */
export function localToInstant(
	zone: IANAZone,
	year: number,
	month: number,
	day: number,
	hour = 0,
	minute = 0,
	second = 0,
	millisecond = 0,
): number {
	const wall = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
	const offsets = new Set<number>([zone.offset(wall - DAY), zone.offset(wall), zone.offset(wall + DAY)]);
	const valid: number[] = [];
	for (const offset of offsets) {
		const candidate = wall - offset * MINUTE;
		if (zone.offset(candidate) === offset) valid.push(candidate);
	}
	if (valid.length > 0) return Math.min(...valid);
	// In a gap: interpret with the offset in force before the transition.
	return wall - zone.offset(wall - DAY) * MINUTE;
}

function startOfLocalDay(ms: number, zone: IANAZone, addDays = 0): number {
	const local = DateTime.fromMillis(ms, { zone }).plus({ days: addDays });
	return localToInstant(zone, local.year, local.month, local.day);
}

const UNIT_MS: Record<string, number> = {
	sec: SECOND,
	second: SECOND,
	min: MINUTE,
	minute: MINUTE,
	hour: HOUR,
	day: DAY,
	week: 7 * DAY,
	fortnight: 14 * DAY,
};

function parseOffset(text: string): number | null {
	if (text === 'Z' || text === 'z' || /^utc$/i.test(text) || /^gmt$/i.test(text)) return 0;
	const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
	if (!m) return null;
	const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
	return (m[1] === '-' ? -1 : 1) * minutes;
}

/**
 * Parses a v3/v4 date filter value (`created_after=...`): Pardot's time frames (`today`,
 * `yesterday`, `last_7_days`, `this_month`, `last_month`) and the usual GNU date input forms
 * (`YYYY-MM-DD[ HH:MM[:SS]]`, ISO with `T`, an optional offset, `N units ago`, `@epoch`, `now`).
 * Values without an offset are wall-clock times in the account zone. Returns null if unreadable
 * (Pardot answers error 7, "Invalid timestamp").
 */
export function parseLegacyDate(raw: string, zone: IANAZone, now: number): number | null {
	const text = raw.trim();
	const lower = text.toLowerCase();
	switch (lower) {
		case 'now':
			return now;
		case 'today':
			return startOfLocalDay(now, zone);
		case 'yesterday':
			return startOfLocalDay(now, zone, -1);
		case 'tomorrow':
			return startOfLocalDay(now, zone, 1);
		case 'last_7_days':
			return startOfLocalDay(now, zone, -7);
		case 'last_30_days':
			return startOfLocalDay(now, zone, -30);
		case 'this_month': {
			const l = DateTime.fromMillis(now, { zone });
			return localToInstant(zone, l.year, l.month, 1);
		}
		case 'last_month': {
			const l = DateTime.fromMillis(now, { zone }).minus({ months: 1 });
			return localToInstant(zone, l.year, l.month, 1);
		}
	}
	const epoch = /^@(-?\d+(?:\.\d+)?)$/.exec(text);
	if (epoch) return Math.round(Number(epoch[1]) * SECOND);

	const ago = /^(\d+)\s+([a-z]+?)s?\s+ago$/.exec(lower) ?? /^-(\d+)\s+([a-z]+?)s?$/.exec(lower);
	if (ago) {
		const amount = Number(ago[1]);
		const unit = ago[2];
		if (unit === 'month' || unit === 'year') {
			return DateTime.fromMillis(now, { zone })
				.minus(unit === 'month' ? { months: amount } : { years: amount })
				.toMillis();
		}
		if (UNIT_MS[unit] !== undefined) return now - amount * UNIT_MS[unit];
		return null;
	}

	const iso =
		/^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}:?\d{2}|[+-]\d{2}|UTC|GMT)?$/i.exec(
			text,
		);
	const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
	let parts: number[];
	let offsetText: string | undefined;
	if (iso) {
		parts = [1, 2, 3, 4, 5, 6].map((i) => Number(iso[i] ?? 0));
		parts.push(iso[7] ? Math.floor(Number(`0.${iso[7]}`) * SECOND) : 0);
		offsetText = iso[8];
	} else if (us) {
		parts = [Number(us[3]), Number(us[1]), Number(us[2]), Number(us[4] ?? 0), Number(us[5] ?? 0), Number(us[6] ?? 0), 0];
	} else {
		return null;
	}
	const [year, month, day, hour, minute, second, ms] = parts;
	if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
	const check = new Date(Date.UTC(year, month - 1, day));
	if (check.getUTCDate() !== day) return null;
	if (offsetText !== undefined) {
		const offset = parseOffset(offsetText.length === 3 ? `${offsetText}00` : offsetText);
		if (offset === null) return null;
		return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * MINUTE;
	}
	return localToInstant(zone, year, month, day, hour, minute, second, ms);
}

/**
 * Parses a v5 date filter value: ISO 8601 with a mandatory offset. A `+` sent unescaped in a query
 * string arrives as a space, which makes the value invalid, as in Pardot (it must be sent as %2B).
 */
export function parseIsoWithOffset(text: string): number | null {
	const m =
		/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/.exec(text);
	if (!m) return null;
	const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
	if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
	const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * SECOND) : 0;
	const offset = parseOffset(m[8]);
	if (offset === null) return null;
	return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * MINUTE;
}

/** The first instant of the next local calendar day (when the daily API limit resets). */
export function nextLocalMidnight(ms: number, zone: IANAZone): number {
	return startOfLocalDay(ms, zone, 1);
}

/** Account-local calendar day, used for the daily API limit (it resets at local midnight). */
export function localDayKey(ms: number, zone: IANAZone): string {
	return DateTime.fromMillis(ms, { zone }).toFormat('yyyy-LL-dd');
}

/** Parses a control-API instant (any ISO string Date.parse understands). */
export function parseControlInstant(value: unknown, name: string): number {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value !== 'string') throw new Error(`${name} must be an ISO 8601 string`);
	const ms = Date.parse(value);
	if (Number.isNaN(ms)) throw new Error(`${name} is not a valid ISO 8601 instant: ${value}`);
	return ms;
}
