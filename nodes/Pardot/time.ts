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

/**
 * Every instant that renders as this local string in the zone: one normally, two in the
 * repeated hour of a fall-back, and for a string in a spring-forward gap the instant just after it.
 */
export function localCandidates(local: string, zone: string): number[] {
	const wall = DateTime.fromFormat(local.trim(), LOCAL_FORMAT, { zone: 'UTC' });
	if (!wall.isValid) return [];
	const wallAsUtc = wall.toMillis();
	const found = new Set<number>();
	// A zone's offset is within ±18 h; test the offsets in force around this wall time.
	for (const probe of [wallAsUtc - 14 * HOUR_MS, wallAsUtc, wallAsUtc + 14 * HOUR_MS]) {
		for (const shift of [-2 * HOUR_MS, -HOUR_MS, 0, HOUR_MS, 2 * HOUR_MS]) {
			const offsetMin = DateTime.fromMillis(probe + shift, { zone }).offset;
			const candidate = wallAsUtc - offsetMin * 60_000;
			if (toPardotLocal(candidate, zone) === wall.toFormat(LOCAL_FORMAT)) found.add(candidate);
		}
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

/** Parses an ISO 8601 date with offset (API v5) to an instant. */
export function isoToInstant(iso: string): number | undefined {
	const parsed = DateTime.fromISO(iso, { setZone: true });
	return parsed.isValid ? parsed.toMillis() : undefined;
}

export function instantToIso(instantMs: number): string {
	return DateTime.fromMillis(instantMs, { zone: 'UTC' }).toISO({ suppressMilliseconds: true }) as string;
}

/** The instant of the next local midnight in the zone (when Pardot's daily API limit resets). */
export function nextLocalMidnight(nowMs: number, zone: string): number {
	return DateTime.fromMillis(nowMs, { zone }).startOf('day').plus({ days: 1 }).toMillis();
}
