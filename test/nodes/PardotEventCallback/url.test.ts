/** The Callback URL (url.ts): what is sent, what is shown, and what never is. */
import { redact } from '../../../nodes/common/redact';
import { parseCallbackUrl, SECRET_MARK } from '../../../nodes/PardotEventCallback/url';

describe('parseCallbackUrl', () => {
	test.each([
		['https', 'https://example.com/hooks/pardot', 'https://example.com/hooks/pardot', 'https://example.com/hooks/pardot'],
		['http with port', 'http://127.0.0.1:8080/x', 'http://127.0.0.1:8080/x', 'http://127.0.0.1:8080/x'],
		['bare host', 'https://example.com', 'https://example.com/', 'https://example.com/'],
		['query kept for sending, hidden for showing', 'https://e.com/h?token=abc&x=1', 'https://e.com/h?token=abc&x=1', 'https://e.com/h'],
		['fragment dropped', 'https://e.com/h#frag', 'https://e.com/h', 'https://e.com/h'],
		['surrounding spaces', '  https://e.com/h  ', 'https://e.com/h', 'https://e.com/h'],
		['user info moved out', 'https://u:p%40ss@e.com/h', 'https://e.com/h', 'https://e.com/h'],
	])('%s', (_name, input, requestUrl, displayUrl) => {
		const parsed = parseCallbackUrl(input);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.target.requestUrl).toBe(requestUrl);
		expect(parsed.target.displayUrl).toBe(displayUrl);
	});

	test('user info becomes decoded Basic credentials and secrets in every form', () => {
		const parsed = parseCallbackUrl('https://us%20er:p%40ss-word@e.com/h');
		expect(parsed.ok && parsed.target.auth).toEqual({ username: 'us er', password: 'p@ss-word' });
		expect(parsed.ok && parsed.target.secrets).toEqual(
			expect.arrayContaining(['p%40ss-word', 'p@ss-word', 'us er:p@ss-word', Buffer.from('us er:p@ss-word').toString('base64')]),
		);
	});

	test.each([
		['ftp', 'ftp://user:topsecret@e.com/h', /not "ftp"/],
		['file', 'file:///etc/passwd', /not "file"/],
		['mailto', 'mailto:a@b.c', /not "mailto"/],
		['data', 'data:text/plain,hi', /not "data"/],
		['relative', '/hook', /not a valid absolute URL/],
		['no scheme', 'example.com/hook', /not a valid absolute URL/],
		['empty', '', /is empty/],
		['spaces', '   ', /is empty/],
		['not a string', 42, /is empty/],
	])('%s is refused without echoing it', (_name, input, problem) => {
		const parsed = parseCallbackUrl(input);
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.problem).toMatch(problem);
		expect(parsed.problem).not.toContain('topsecret');
	});

	test('every query value is a secret, as typed and decoded, so an answer that echoes it shows ***', () => {
		const parsed = parseCallbackUrl('https://e.com/h?token=a%2Fb+c&empty=&flag&sig=xyz');
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.target.secrets).toEqual(['a%2Fb+c', 'a/b c', 'xyz', 'xyz']);
		const echoed = 'receiver saw token=a/b c and sig xyz';
		expect(redact(echoed, parsed.target.secrets, SECRET_MARK)).toBe('receiver saw token=*** and sig ***');
	});

	test('a URL without user info or query has no secrets and no Basic credentials', () => {
		const parsed = parseCallbackUrl('https://e.com/h');
		expect(parsed).toEqual({ ok: true, target: { requestUrl: 'https://e.com/h', displayUrl: 'https://e.com/h', auth: undefined, secrets: [] } });
	});

	test('a stray % in the password is kept as typed', () => {
		const parsed = parseCallbackUrl('https://user:100%zz@e.com/h');
		expect(parsed.ok && parsed.target.auth).toEqual({ username: 'user', password: '100%zz' });
	});
});
