/** The trigger's settings (settings.ts): Start From, Max Events Per Poll, which streams serve the resources. */
import { maxEventsPerPollOf, parseStartFrom, streamsFor } from '../../../nodes/PardotTrigger/settings';

describe('Start From', () => {
	test('without an offset it is a wall-clock time in the workflow\'s time zone', () => {
		expect(parseStartFrom('2026-11-27T09:00:00', 'America/New_York')).toBe(Date.parse('2026-11-27T14:00:00Z'));
		expect(parseStartFrom('2026-11-27 09:00:00', 'Europe/Berlin')).toBe(Date.parse('2026-11-27T08:00:00Z'));
	});

	test('with an offset it is taken as given', () => {
		expect(parseStartFrom('2026-11-27T09:00:00+01:00', 'America/New_York')).toBe(Date.parse('2026-11-27T08:00:00Z'));
	});

	test('empty is no Start From; text that is no date is NaN (refused by readSettings)', () => {
		expect(parseStartFrom('', 'UTC')).toBeUndefined();
		expect(parseStartFrom(undefined, 'UTC')).toBeUndefined();
		expect(parseStartFrom('  ', 'UTC')).toBeUndefined();
		expect(parseStartFrom('last tuesday', 'UTC')).toBeNaN();
	});
});

test.each([
	[undefined, 1000],
	[50, 50],
	['250', 250],
	[2.7, 2],
	[0, 1000],
	[-5, 1000],
	['many', 1000],
])('Max Events Per Poll %p -> %p', (value, expected) => {
	expect(maxEventsPerPollOf(value)).toBe(expected);
});

describe('streams', () => {
	test('contacts are prospects; leads are opportunities unless Leads Are = Salesforce Leads', () => {
		expect([...streamsFor({ resources: ['contacts', 'leads'], leadsAre: 'opportunities' })]).toEqual([
			['prospects', ['contacts']],
			['opportunities', ['leads']],
		]);
		expect([...streamsFor({ resources: ['leads', 'contacts'], leadsAre: 'salesforceLeads' })]).toEqual([['prospects', ['contacts', 'leads']]]);
	});

	test('the other resources read the object of their name, every stream in one fixed order', () => {
		expect([...streamsFor({ resources: ['visitors', 'lists', 'contacts', 'visitorActivities'], leadsAre: 'opportunities' }).keys()]).toEqual([
			'prospects',
			'visitorActivities',
			'lists',
			'visitors',
		]);
		expect(streamsFor({ resources: [], leadsAre: 'opportunities' }).size).toBe(0);
	});
});
