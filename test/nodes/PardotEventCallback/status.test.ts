import { describeStatusRanges, isAccepted, parseStatusRanges } from '../../../nodes/PardotEventCallback/status';

describe('parseStatusRanges (Success Status Codes)', () => {
	test.each([
		['200', [200], [201, 203, 204]],
		['200-299', [200, 203, 250, 299], [199, 300, 302]],
		[' 200 , 202-204 ', [200, 202, 203, 204], [201, 205]],
		['204,200', [200, 204], [202]],
	])('"%s" accepts %j and refuses %j', (text, accepted, refused) => {
		const parsed = parseStatusRanges(text);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		for (const status of accepted) expect(isAccepted(status, parsed.ranges)).toBe(true);
		for (const status of refused) expect(isAccepted(status, parsed.ranges)).toBe(false);
	});

	test.each([
		['', /is empty/],
		['  ', /is empty/],
		['ok', /"ok", which is not a status code/],
		['200,', /"", which is not a status code/],
		['2000', /"2000", which is not a status code/],
		['204-200', /end comes before its start/],
		['302', /only 2xx codes/],
		['200-300', /only 2xx codes/],
		['404', /only 2xx codes/],
	])('"%s" is refused', (text, problem) => {
		const parsed = parseStatusRanges(text);
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.problem).toMatch(problem);
	});

	test('ranges read back as written', () => {
		const parsed = parseStatusRanges('200, 202-204');
		expect(parsed.ok && describeStatusRanges(parsed.ranges)).toBe('200, 202-204');
	});
});
