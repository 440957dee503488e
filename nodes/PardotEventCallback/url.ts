/**
 * The callback URL, split into what is sent, what may be shown, and what must never be shown.
 * Pure.
 */

export interface CallbackTarget {
	/** What the request goes to: no user info (sent as HTTP Basic instead), no fragment. */
	requestUrl: string;
	/** What output, errors and logs show: scheme, host, port and path only. */
	displayUrl: string;
	/** From `user:pass@`, percent-decoded as browsers and curl do. */
	auth?: { username: string; password: string };
	/** The URL's credentials and query values, for redact() (which also tries their encoded forms). */
	secrets: string[];
}

export type TargetCheck = { ok: true; target: CallbackTarget } | { ok: false; problem: string };

function decode(part: string): string {
	try {
		return decodeURIComponent(part);
	} catch {
		// A stray "%" that starts no escape: the text is what the user typed, keep it.
		return part;
	}
}

/**
 * Accepts absolute http(s) URLs only. Problems name the scheme at most: the URL itself may
 * hold credentials, so it is never echoed.
 */
export function parseCallbackUrl(input: unknown): TargetCheck {
	if (typeof input !== 'string' || input.trim() === '') {
		return { ok: false, problem: 'Callback URL is empty. Enter the receiver\'s address, such as https://example.com/pardot-events.' };
	}
	let url: URL;
	try {
		url = new URL(input.trim());
	} catch {
		return {
			ok: false,
			problem: 'Callback URL is not a valid absolute URL. Enter it with its scheme, such as https://example.com/pardot-events.',
		};
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return {
			ok: false,
			problem: `Callback URL must use http or https, not "${url.protocol.replace(/:$/, '')}". Enter an address starting with https:// (or http:// for a local receiver).`,
		};
	}
	const secrets: string[] = [];
	let auth: CallbackTarget['auth'];
	if (url.username !== '' || url.password !== '') {
		const username = decode(url.username);
		const password = decode(url.password);
		auth = { username, password };
		const userInfo = `${username}:${password}`;
		secrets.push(
			url.username,
			url.password,
			username,
			password,
			`${url.username}:${url.password}`,
			userInfo,
			Buffer.from(userInfo, 'utf8').toString('base64'),
		);
		url.username = '';
		url.password = '';
	}
	// The query string is never shown, and a receiver may echo it back: each value, as typed and decoded.
	for (const part of url.search.replace(/^\?/, '').split('&')) {
		const raw = part.slice(part.indexOf('=') + 1);
		if (part.includes('=') && raw !== '') secrets.push(raw, decode(raw.replace(/\+/g, ' ')));
	}
	url.hash = '';
	const requestUrl = url.toString();
	return {
		ok: true,
		target: { requestUrl, displayUrl: `${url.origin}${url.pathname}`, auth, secrets },
	};
}

/** What the callback shows in place of a secret (redact() in nodes/common/redact.ts). */
export const SECRET_MARK = '***';
