/**
 * Keeping secrets out of every text a node shows: errors, logs, output items. Used by both nodes:
 * the trigger marks a removed secret `[redacted]`, the callback `***` (each as its users have seen
 * it in every build).
 */

// `user:password@` or `user@` after a URL scheme; `user:password@host` without one (an e-mail address stays).
const USERINFO_AFTER_SCHEME = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;
const USERINFO_BARE = /(^|[\s('"=,;])[^\s/?#@:'"(),;=]+:[^\s/?#@'"]*@(?=[\w[])/g;

/**
 * Secrets shorter than this are replaced only where they stand alone (no letter or digit right before or after):
 * replacing every "a" inside other words would garble a text for nothing, and a short secret standing alone
 * still goes.
 */
const MIN_SECRET_LENGTH = 4;

/** Drops the `user:password@` part of every URL in a text. */
export function redactUserinfo(text: string): string {
	return text.replace(USERINFO_AFTER_SCHEME, '$1').replace(USERINFO_BARE, '$1');
}

/** JSON's escapes of a string (quotes, backslashes, control characters), without the quotes around it. */
const jsonEscaped = (value: string) => JSON.stringify(value).slice(1, -1);

/**
 * Every form in which a value the node sent can come back in a text: as written; percent-encoded (upper and lower
 * case hex, `+` or `%20` for a space, as encodeURIComponent and as HTML forms encode); JSON-escaped, also with `\/`
 * and `\uXXXX` for every non-ASCII character (PHP's json_encode); and JSON-escaped after percent-encoding.
 */
export function secretForms(secret: string): string[] {
	const encoded = encodeURIComponent(secret);
	const form = new URLSearchParams({ s: secret }).toString().slice(2);
	const json = jsonEscaped(secret);
	const ascii = json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	const lower = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
	return [...new Set([secret, encoded, lower(encoded), encoded.replace(/%20/g, '+'), form, lower(form), json, json.replace(/\//g, '\\/'), ascii, ascii.replace(/\//g, '\\/')])];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes every secret value (in every form secretForms gives, longest first) from a text, and the user:password
 * part of any URL in it.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>, mark = '[redacted]'): string {
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (secret) for (const form of secretForms(secret)) forms.add(form);
	}
	let out = redactUserinfo(text);
	for (const form of [...forms].sort((a, b) => b.length - a.length)) {
		out =
			form.length >= MIN_SECRET_LENGTH
				? out.split(form).join(mark)
				: out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(form)}(?![\\p{L}\\p{N}])`, 'gu'), mark);
	}
	return out;
}
