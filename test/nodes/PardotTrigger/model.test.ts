/** The trigger's core helpers (model.ts): seconds, the id order, what counts as a Salesforce lead. */
import { compareIds, isSalesforceLead, secondOf } from '../../../nodes/PardotTrigger/model';

describe('model', () => {
	test('an instant falls in the second that starts at or before it', () => {
		const second = Date.parse('2026-11-27T14:03:11Z');
		expect(secondOf(second)).toBe(second);
		expect(secondOf(second + 999)).toBe(second);
		expect(secondOf(second - 1)).toBe(second - 1000);
	});

	test('ids compare as numbers when both are, else as text', () => {
		expect(compareIds('10', '9')).toBeGreaterThan(0);
		expect(compareIds('9', '10')).toBeLessThan(0);
		expect(compareIds('42', '42')).toBe(0);
		expect(compareIds('a10', 'a9')).toBeLessThan(0);
		expect(compareIds('10', 'a')).toBeLessThan(0);
	});

	test.each([
		[{ crm_lead_fid: '00Q1', crm_contact_fid: null }, true],
		[{ crm_lead_fid: '00Q1', crm_contact_fid: '0031' }, false],
		[{ salesforceLeadId: '00Q1', salesforceContactId: '' }, true],
		[{ email: 'x@example.com' }, false],
	])('Salesforce lead: %j -> %s', (raw, expected) => {
		expect(isSalesforceLead(raw)).toBe(expected);
	});
});
