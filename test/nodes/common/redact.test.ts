import { redact, redactUserinfo } from '../../../nodes/common/redact';

describe('redact', () => {
	test.each<[string, string, string[], string]>([
		['replaces every occurrence', 'a SECRET b SECRET', ['SECRET'], 'a [redacted] b [redacted]'],
		['raw and URL-encoded', 'key=s3cr+t/x and s3cr%2Bt%2Fx', ['s3cr+t/x'], 'key=[redacted] and [redacted]'],
		['longest first', 'user:password', ['password', 'user:password'], '[redacted]'],
		['a secret under 4 characters goes where it stands alone, not inside other words', 'key k9x refused; k9xyz, ak9x and (k9x) stay or go: k9x', ['k9x'], 'key [redacted] refused; k9xyz, ak9x and ([redacted]) stay or go: [redacted]'],
		['a one-character secret too, never inside a word or a number', 'pin 7 of 17, 7a; =7', ['7'], 'pin [redacted] of 17, 7a; =[redacted]'],
		['nothing to do', 'plain', [], 'plain'],
	])('%s', (_name, text, secrets, expected) => {
		expect(redact(text, secrets)).toBe(expected);
	});

	test.each<[string, string]>([
		['as sent', 'q t+ok/en&="ü'],
		['percent-encoded', 'q%20t%2Bok%2Fen%26%3D%22%C3%BC'],
		['percent-encoded, lower-case hex', 'q%20t%2bok%2fen%26%3d%22%c3%bc'],
		['form-encoded (+ for a space)', 'q+t%2Bok%2Fen%26%3D%22%C3%BC'],
		['JSON-escaped', JSON.stringify('q t+ok/en&="ü').slice(1, -1)],
		['JSON-escaped with \\/ and \\u (PHP)', 'q t+ok\\/en&=\\"\\u00fc'],
	])('every form a value comes back in: %s', (_name, form) => {
		expect(redact(`echo: ${form} end`, ['q t+ok/en&="ü'])).toBe('echo: [redacted] end');
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
