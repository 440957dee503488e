/**
 * Which HTTP answers count as delivered: "Success Status Codes", a list of codes and ranges.
 * Pure.
 */

export interface StatusRange {
	from: number;
	to: number;
}

/** Any 2xx: what the node has always counted as delivered, and the default. */
export const ANY_2XX: readonly StatusRange[] = [{ from: 200, to: 299 }];

export type StatusRangesCheck = { ok: true; ranges: StatusRange[] } | { ok: false; problem: string };

const ENTRY = /^(\d{3})(?:\s*-\s*(\d{3}))?$/;

/**
 * "200", "200, 202", "200-204". Only 2xx codes can mean delivered: a redirect is not followed
 * and any other answer says the receiver did not take the notification.
 */
export function parseStatusRanges(text: unknown): StatusRangesCheck {
	if (typeof text !== 'string' || text.trim() === '') {
		return { ok: false, problem: 'is empty: list the 2xx codes that mean delivered, such as 200 or 200-299.' };
	}
	const ranges: StatusRange[] = [];
	for (const part of text.split(',')) {
		const entry = part.trim();
		const match = ENTRY.exec(entry);
		if (!match) {
			return { ok: false, problem: `has "${entry}", which is not a status code or a range such as 200-204.` };
		}
		const from = Number(match[1]);
		const to = match[2] === undefined ? from : Number(match[2]);
		if (from > to) return { ok: false, problem: `has the range "${entry}", whose end comes before its start.` };
		if (from < 200 || to > 299) {
			return { ok: false, problem: `has "${entry}": only 2xx codes can mean a notification was delivered.` };
		}
		ranges.push({ from, to });
	}
	return { ok: true, ranges };
}

export function isAccepted(status: number, ranges: readonly StatusRange[]): boolean {
	return ranges.some((range) => status >= range.from && status <= range.to);
}

/** "200-299", "200", "200, 202-204": how the ranges read in messages. */
export function describeStatusRanges(ranges: readonly StatusRange[]): string {
	return ranges.map((range) => (range.from === range.to ? String(range.from) : `${range.from}-${range.to}`)).join(', ');
}
