import {
	instantToIso,
	isoToInstant,
	localCandidates,
	lowerBoundFilter,
	pardotLocalToInstant,
	toPardotLocal,
	upperBoundFilter,
} from '../../../nodes/PardotTrigger/time';

const NY = 'America/New_York';
const iso = (ms: number) => new Date(ms).toISOString();

describe('Pardot local time <-> UTC', () => {
	test.each([
		['UTC', '2026-06-01T12:00:00Z', '2026-06-01 12:00:00'],
		[NY, '2026-06-01T16:00:00Z', '2026-06-01 12:00:00'], // EDT, UTC-4
		[NY, '2026-01-15T17:30:05Z', '2026-01-15 12:30:05'], // EST, UTC-5
		['Asia/Kolkata', '2026-06-01T06:30:00Z', '2026-06-01 12:00:00'], // half-hour offset
		['Australia/Lord_Howe', '2026-01-10T01:00:00Z', '2026-01-10 12:00:00'], // +11 in summer
	])('%s: %s renders as %s', (zone, utc, local) => {
		expect(toPardotLocal(Date.parse(utc), zone)).toBe(local);
		expect(localCandidates(local, zone).map(iso)).toEqual([new Date(utc).toISOString()]);
	});

	test('the repeated hour of a fall-back has two instants, earliest first', () => {
		expect(localCandidates('2026-11-01 01:30:00', NY).map(iso)).toEqual([
			'2026-11-01T05:30:00.000Z',
			'2026-11-01T06:30:00.000Z',
		]);
	});

	test('a spring-forward gap string maps to the instant after the gap', () => {
		expect(localCandidates('2026-03-08 02:30:00', NY).map(iso)).toEqual(['2026-03-08T07:30:00.000Z']);
	});

	test.each([
		['an unambiguous time stays as is', '2026-11-01T04:10:00Z', '2026-11-01 00:10:00'],
		['first pass of the repeated hour steps back before it', '2026-11-01T05:10:00Z', '2026-11-01 00:10:00'],
		['second pass of the repeated hour steps back before it', '2026-11-01T06:10:00Z', '2026-11-01 00:10:00'],
	])('lower bound filter: %s', (_name, utc, expected) => {
		const filter = lowerBoundFilter(Date.parse(utc), NY);
		expect(filter).toBe(expected);
		// Whatever instant Pardot reads the filter as, it is not after the wanted one.
		for (const c of localCandidates(filter, NY)) expect(c).toBeLessThanOrEqual(Date.parse(utc));
	});

	test('upper bound filter steps forward past the repeated hour', () => {
		const wanted = Date.parse('2026-11-01T05:10:00Z');
		const filter = upperBoundFilter(wanted, NY);
		expect(filter).toBe('2026-11-01 02:10:00');
		for (const c of localCandidates(filter, NY)) expect(c).toBeGreaterThanOrEqual(wanted);
	});

	test.each([
		['no hint: the earliest', undefined, '2026-11-01T05:30:00.000Z'],
		['hint before both: the earliest', '2026-11-01T05:00:00Z', '2026-11-01T05:30:00.000Z'],
		['hint between: the later one', '2026-11-01T06:00:00Z', '2026-11-01T06:30:00.000Z'],
		['hint after both: the latest', '2026-11-01T07:00:00Z', '2026-11-01T06:30:00.000Z'],
	])('ambiguous local time with %s', (_name, hint, expected) => {
		const notBefore = hint ? Date.parse(hint) : undefined;
		expect(iso(pardotLocalToInstant('2026-11-01 01:30:00', NY, notBefore)!)).toBe(expected);
	});

});

describe('ISO dates (API v5)', () => {
	test.each([
		['2026-11-27T06:03:11-08:00', '2026-11-27T14:03:11.000Z'],
		['2026-11-27T06:03:11+05:30', '2026-11-27T00:33:11.000Z'],
		['2026-11-27T14:03:11Z', '2026-11-27T14:03:11.000Z'],
		['2026-11-27T14:03:11.250+00:00', '2026-11-27T14:03:11.250Z'],
		['2026-11-27T06:03:11-0800', '2026-11-27T14:03:11.000Z'],
	])('%s is %s', (input, expected) => {
		expect(new Date(isoToInstant(input)!).toISOString()).toBe(expected);
	});

	test('garbage is undefined; output drops zero milliseconds only', () => {
		expect(isoToInstant('not a date')).toBeUndefined();
		expect(instantToIso(Date.parse('2026-11-27T14:03:11Z'))).toBe('2026-11-27T14:03:11Z');
		expect(instantToIso(Date.parse('2026-11-27T14:03:11.5Z'))).toBe('2026-11-27T14:03:11.500Z');
	});
});
