/** The fields a user may ask for (fields.ts): the list as typed, v5's names, and the mix-up a message points at. */
import { DEFAULT_FIELDS_V5, looksLikeOtherFamily, parseFieldList, REQUIRED_FIELDS, unknownV5Fields } from '../../../../nodes/PardotTrigger/transport/fields';
import { STREAMS } from '../../../../nodes/PardotTrigger/model';

test('a comma-separated list, blanks and spaces dropped', () => {
	expect(parseFieldList(' email, firstName,,score ')).toEqual(['email', 'firstName', 'score']);
	expect(parseFieldList('')).toEqual([]);
	expect(parseFieldList(undefined)).toEqual([]);
});

test('v5 knows its standard fields and any custom field ending in __c; the rest are named', () => {
	expect(unknownV5Fields('prospects', ['email', 'firstName', 'Region__c'])).toEqual([]);
	expect(unknownV5Fields('prospects', ['first_name', 'emial'])).toEqual(['first_name', 'emial']);
	expect(unknownV5Fields('opportunities', ['stage', 'closed_at'])).toEqual(['closed_at']);
});

test('snake_case with v5, or camelCase with v3/v4, is the likely mix-up', () => {
	expect(looksLikeOtherFamily('first_name', true)).toBe(true);
	expect(looksLikeOtherFamily('Region__c', true)).toBe(false);
	expect(looksLikeOtherFamily('firstName', false)).toBe(true);
	expect(looksLikeOtherFamily('email', false)).toBe(false);
});

test('what the trigger reads of every stream is always asked for: id and both dates', () => {
	for (const stream of STREAMS) {
		expect(REQUIRED_FIELDS.v5[stream]).toEqual(expect.arrayContaining(['id', 'createdAt', 'updatedAt']));
		expect(REQUIRED_FIELDS.legacy[stream]).toEqual(expect.arrayContaining(['id', 'created_at', 'updated_at']));
		expect(DEFAULT_FIELDS_V5[stream]).toEqual(expect.arrayContaining(['id', 'createdAt', 'updatedAt']));
	}
});
