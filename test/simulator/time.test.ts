import {
	localToInstant,
	parseIsoWithOffset,
	parseLegacyDate,
	renderIsoOffset,
	renderLocal,
	zoneFor,
} from '../../simulator/time';

const ny = zoneFor('America/New_York');
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('simulator time helpers', () => {
	it('an ambiguous local time (fall-back) means the earlier instant', () => {
		expect(iso(localToInstant(ny, 2026, 11, 1, 1, 30))).toBe('2026-11-01T05:30:00.000Z');
		expect(renderLocal(Date.parse('2026-11-01T05:30:00Z'), ny)).toBe('2026-11-01 01:30:00');
		expect(renderLocal(Date.parse('2026-11-01T06:30:00Z'), ny)).toBe('2026-11-01 01:30:00');
	});

	it('a local time in the spring-forward gap moves forward', () => {
		// 2026-03-08 02:30 does not exist in New York: read with EST (-05:00) it is 07:30Z = 03:30 EDT.
		expect(iso(localToInstant(ny, 2026, 3, 8, 2, 30))).toBe('2026-03-08T07:30:00.000Z');
	});

	it('renders v5 ISO with the offset in force, truncated to the second', () => {
		expect(renderIsoOffset(Date.parse('2026-07-01T12:00:00.999Z'), ny)).toBe('2026-07-01T08:00:00-04:00');
		expect(renderIsoOffset(Date.parse('2026-12-01T12:00:00Z'), ny)).toBe('2026-12-01T07:00:00-05:00');
	});

	it('parses the v3/v4 date forms', () => {
		const now = Date.parse('2026-11-27T17:00:00Z'); // 12:00 in New York
		const p = (s: string) => iso(parseLegacyDate(s, ny, now));
		expect(p('2026-11-27 08:00:00')).toBe('2026-11-27T13:00:00.000Z');
		expect(p('2026-11-27T08:00:00')).toBe('2026-11-27T13:00:00.000Z');
		expect(p('2026-11-27')).toBe('2026-11-27T05:00:00.000Z');
		expect(p('2026-11-27 08:00')).toBe('2026-11-27T13:00:00.000Z');
		expect(p('2026-11-27T08:00:00Z')).toBe('2026-11-27T08:00:00.000Z');
		expect(p('2026-11-27T08:00:00+0100')).toBe('2026-11-27T07:00:00.000Z');
		expect(p('11/27/2026')).toBe('2026-11-27T05:00:00.000Z');
		expect(p('today')).toBe('2026-11-27T05:00:00.000Z');
		expect(p('yesterday')).toBe('2026-11-26T05:00:00.000Z');
		expect(p('last_7_days')).toBe('2026-11-20T05:00:00.000Z');
		expect(p('this_month')).toBe('2026-11-01T04:00:00.000Z');
		expect(p('last_month')).toBe('2026-10-01T04:00:00.000Z');
		expect(p('now')).toBe('2026-11-27T17:00:00.000Z');
		expect(p('3 hours ago')).toBe('2026-11-27T14:00:00.000Z');
		expect(p('@0')).toBe('1970-01-01T00:00:00.000Z');
		expect(p('2026-02-30')).toBeNull();
		expect(p('soon')).toBeNull();
	});

	it('parses v5 ISO values only with an offset', () => {
		expect(iso(parseIsoWithOffset('2026-11-27T08:00:00-05:00'))).toBe('2026-11-27T13:00:00.000Z');
		expect(iso(parseIsoWithOffset('2026-11-27T08:00:00.250Z'))).toBe('2026-11-27T08:00:00.250Z');
		expect(parseIsoWithOffset('2026-11-27T08:00:00 05:00')).toBeNull();
		expect(parseIsoWithOffset('2026-11-27T08:00:00')).toBeNull();
	});
});
