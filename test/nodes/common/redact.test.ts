import { redact, redactUserinfo } from '../../../nodes/common/redact';

describe('redact', () => {
	test.each<[string, string, string[], string]>([
		['replaces every occurrence', 'a SECRET b SECRET', ['SECRET'], 'a [redacted] b [redacted]'],
		['raw and URL-encoded', 'key=s3cr+t/x and s3cr%2Bt%2Fx', ['s3cr+t/x'], 'key=[redacted] and [redacted]'],
		['longest first', 'user:password', ['password', 'user:password'], '[redacted]'],
		['short secrets are left alone', 'a b c', ['a'], 'a b c'],
		['nothing to do', 'plain', [], 'plain'],
	])('%s', (_name, text, secrets, expected) => {
		expect(redact(text, secrets)).toBe(expected);
	});

	test('the callback marks a secret ***', () => {
		expect(redact('a SECRET b', ['SECRET'], '***')).toBe('a *** b');
	});

	test('user:password@ of a URL goes, with or without a scheme; an e-mail address stays', () => {
		expect(redactUserinfo('see https://bob:pw@example.com/x and ada@example.com')).toBe('see https://example.com/x and ada@example.com');
		expect(redactUserinfo('proxy bob:pw@127.0.0.1:9')).toBe('proxy 127.0.0.1:9');
		expect(redact('at http://bob:pw@host/', [])).toBe('at http://host/');
	});
});
