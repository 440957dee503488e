/** What each Pardot error code means to the transport (errors.ts): re-login, back off, or fail. */
import { describePardotError } from '../../../../nodes/shared/transport/errors';

describe('error table', () => {
	test.each([
		[1, 'relogin'],
		[15, 'fail'],
		[66, 'backoff'],
		[122, 'fail'],
		[199, 'fail'],
		[201, 'fail'],
		[9999, 'fail'],
	])('code %i -> %s', (code, action) => {
		const info = describePardotError(code, 'msg');
		expect(info.action).toBe(action);
		expect(info.message.length).toBeGreaterThan(10);
		expect(info.description.length).toBeGreaterThan(10);
	});
});
