import { DateTime } from 'luxon';

/**
 * Pardot API v3/v4 writes and reads dates as `YYYY-MM-DD HH:MM:SS` in the API user's time zone,
 * with no offset. Around a daylight-saving fall-back one local string names two instants, and
 * around spring-forward some strings name none. These helpers keep every conversion explicit.
 */

const LOCAL_FORMAT = 'yyyy-MM-dd HH:mm:ss';
const HOUR_MS = 3_600_000;

export function isValidTimeZone(zone: string): boolean {
	return DateTime.now().setZone(zone).isValid;
}

/** The local wall-clock string Pardot shows for an instant (truncated to the second). */
export function toPardotLocal(instantMs: number, zone: string): string {
	return DateTime.fromMillis(instantMs, { zone }).toFormat(LOCAL_FORMAT);
}

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;
const QUARTER_HOUR_MS = 15 * 60_000;
const MINUTE_MS = 60_000;
/** No time zone is further than 14 hours from UTC (Pacific/Kiritimati, UTC+14). */
const MAX_ZONE_OFFSET_MS = 14 * HOUR_MS;
/** Quarter hours cached per zone before the cache starts over (about 520 days' worth). */
const OFFSET_CACHE_ENTRIES = 50_000;
const offsetCache = new Map<string, Map<number, number>>();

/**
 * The zone's UTC offset (ms) at an instant. Every time zone changes offset on a quarter-hour
 * boundary, so the answer is cached per zone and quarter hour: converting thousands of records
 * costs a few luxon calls, not thousands.
 */
function offsetAt(instantMs: number, zone: string): number {
	let byQuarter = offsetCache.get(zone);
	if (!byQuarter) {
		byQuarter = new Map();
		offsetCache.set(zone, byQuarter);
	}
	const quarter = Math.floor(instantMs / QUARTER_HOUR_MS);
	let offset = byQuarter.get(quarter);
	if (offset === undefined) {
		offset = DateTime.fromMillis(quarter * QUARTER_HOUR_MS, { zone }).offset * MINUTE_MS;
		if (byQuarter.size > OFFSET_CACHE_ENTRIES) byQuarter.clear();
		byQuarter.set(quarter, offset);
	}
	return offset;
}

/**
 * Every instant that renders as this local string in the zone: one normally, two in the
 * repeated hour of a fall-back, and for a string in a spring-forward gap the instant just after it.
 */
export function localCandidates(local: string, zone: string): number[] {
	const m = LOCAL_PATTERN.exec(local.trim());
	if (!m) return [];
	const wallAsUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
	if (!Number.isFinite(wallAsUtc)) return [];
	const found = new Set<number>();
	// Offsets in force within a day around the wall time (zones span UTC-12 to UTC+14).
	for (const probe of [wallAsUtc - MAX_ZONE_OFFSET_MS, wallAsUtc, wallAsUtc + MAX_ZONE_OFFSET_MS]) {
		const candidate = wallAsUtc - offsetAt(probe, zone);
		if (offsetAt(candidate, zone) === wallAsUtc - candidate) found.add(candidate);
	}
	if (found.size === 0) {
		// A spring-forward gap: Pardot never writes such a time; read it as the first valid instant.
		const lenient = DateTime.fromFormat(local.trim(), LOCAL_FORMAT, { zone });
		return lenient.isValid ? [lenient.toMillis()] : [];
	}
	return [...found].sort((a, b) => a - b);
}

/**
 * A filter string for "changes at or after `instantMs`" that can only widen the window: when the
 * local string is ambiguous, step back to before the repeated hour, whichever instant Pardot picks.
 */
export function lowerBoundFilter(instantMs: number, zone: string): string {
	let t = instantMs;
	for (let i = 0; i < 3; i++) {
		const local = toPardotLocal(t, zone);
		const candidates = localCandidates(local, zone);
		if (candidates.length <= 1) return local;
		t = candidates[0] - HOUR_MS;
	}
	return toPardotLocal(t, zone);
}

/** The same for an upper bound: when ambiguous, step forward past the repeated hour. */
export function upperBoundFilter(instantMs: number, zone: string): string {
	let t = instantMs;
	for (let i = 0; i < 3; i++) {
		const local = toPardotLocal(t, zone);
		const candidates = localCandidates(local, zone);
		if (candidates.length <= 1) return local;
		t = candidates[candidates.length - 1] + HOUR_MS;
	}
	return toPardotLocal(t, zone);
}

/**
 * Converts a v3/v4 local timestamp to UTC. For an ambiguous string, `notBefore` (an instant the
 * change cannot precede, such as the previous poll's cursor) picks the right candidate: the
 * earliest candidate not before it, else the latest candidate.
 */
export function pardotLocalToInstant(local: string, zone: string, notBefore?: number): number | undefined {
	const candidates = localCandidates(local, zone);
	if (candidates.length === 0) return undefined;
	if (candidates.length === 1 || notBefore === undefined) return candidates[0];
	return candidates.find((c) => c >= notBefore) ?? candidates[candidates.length - 1];
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses an ISO 8601 date with offset (API v5) to an instant. */
export function isoToInstant(iso: string): number | undefined {
	// Date.parse is exact for ISO 8601 with an explicit offset, and far cheaper than luxon per record.
	if (ISO_WITH_ZONE.test(iso)) {
		const ms = Date.parse(iso);
		if (Number.isFinite(ms)) return ms;
	}
	const parsed = DateTime.fromISO(iso, { setZone: true });
	return parsed.isValid ? parsed.toMillis() : undefined;
}

/** UTC ISO 8601, without milliseconds when they are zero (as Pardot's dates are). */
export function instantToIso(instantMs: number): string {
	const iso = new Date(instantMs).toISOString();
	return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
