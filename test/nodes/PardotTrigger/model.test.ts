/** The trigger's core helpers (model.ts): seconds, the id order, what counts as a Salesforce lead. */
import { compareIds, isSalesforceLead, secondOf } from '../../../nodes/PardotTrigger/model';
import { seededInts } from '../../lib/random';

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
		expect(compareIds('b', 'b')).toBe(0);
		// Not whole numbers as Pardot writes them: text.
		expect(compareIds('1e3', '999')).toBeLessThan(0);
		expect(compareIds(' 12', '9')).toBeLessThan(0);
		expect(compareIds('010', '9')).toBeLessThan(0);
	});

	test('whole-number ids of any length compare as their numbers; the order is total and only an id equals itself', () => {
		const next = seededInts(7);
		const digits = (n: number) => Array.from({ length: n }, (_, i) => String(i === 0 ? 1 + next(9) : next(10))).join('');
		const ids = ['0', ...Array.from({ length: 120 }, () => digits(1 + next(24))), 'a', 'a1', '1a', '-5', '1e3', '0x1F', ''];
		for (const a of ids) {
			for (const b of ids) {
				const order = Math.sign(compareIds(a, b));
				expect(order + Math.sign(compareIds(b, a))).toBe(0);
				expect(order === 0).toBe(a === b);
				const numbers = /^(0|[1-9]\d*)$/.test(a) && /^(0|[1-9]\d*)$/.test(b);
				if (numbers) expect(order).toBe(BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
			}
		}
		// Transitive over the whole-number ids (Pardot's): sorting them gives their numeric order.
		const whole = ids.filter((id) => /^(0|[1-9]\d*)$/.test(id));
		const sorted = [...whole].sort(compareIds);
		expect(sorted).toEqual([...whole].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : BigInt(x) > BigInt(y) ? 1 : 0)));
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
