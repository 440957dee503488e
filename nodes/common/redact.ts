/**
 * Keeping secrets out of every text a node shows: errors, logs, output items. Used by both nodes:
 * the trigger marks a removed secret `[redacted]`, the callback `***` (each as its users have seen
 * it in every build).
 */

// `user:password@` or `user@` after a URL scheme; `user:password@host` without one (an e-mail address stays).
const USERINFO_AFTER_SCHEME = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;
const USERINFO_BARE = /(^|[\s('"=,;])[^\s/?#@:'"(),;=]+:[^\s/?#@'"]*@(?=[\w[])/g;

/** Secrets shorter than this are not replaced: replacing every "a" would garble text for nothing. */
const MIN_SECRET_LENGTH = 4;

/** Drops the `user:password@` part of every URL in a text. */
export function redactUserinfo(text: string): string {
	return text.replace(USERINFO_AFTER_SCHEME, '$1').replace(USERINFO_BARE, '$1');
}

/**
 * Removes every secret value (as written and percent-encoded, longest first) from a text, and the
 * user:password part of any URL in it.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>, mark = '[redacted]'): string {
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
		forms.add(secret);
		forms.add(encodeURIComponent(secret));
	}
	let out = redactUserinfo(text);
	for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(mark);
	return out;
}
