/**
 * Who may call a Pardot API endpoint: the v3/v4 api_key (or a Salesforce access token) and the API
 * version the account must use, and the v5 access token. Shared by every handler (legacy.ts,
 * legacy-writes.ts, v5.ts, v5-writes.ts, imports.ts); throws PardotError, which routes.ts renders.
 */
import type { HandlerState, RequestContext } from './context';
import { PardotError } from './errors';
import { checkOAuth } from './oauth';

/** The version in a v3/v4 path, checked against the one the account must use (88: must use 4, 89: cannot use 4). */
export function checkVersion(sim: HandlerState, version: string): 3 | 4 {
	if (version !== '3' && version !== '4') throw new PardotError(94, 200, 'The provided version is not a valid number');
	const requested = Number(version) as 3 | 4;
	if (requested !== sim.config.accountVersion) {
		// 88: the account allows several prospects per email and must use v4; 89: the reverse.
		throw new PardotError(sim.config.accountVersion === 4 ? 88 : 89);
	}
	return requested;
}

/** Parses `Pardot api_key=..., user_key=...` (the `Pardot ` prefix is optional, order free). */
function parsePardotAuth(header: string): { apiKey?: string; userKey?: string } | null {
	const text = header.replace(/^\s*Pardot\s+/i, '');
	if (!/api_key\s*=/.test(text) && !/user_key\s*=/.test(text)) return null;
	const out: { apiKey?: string; userKey?: string } = {};
	for (const part of text.split(',')) {
		const m = /^\s*(api_key|user_key)\s*=\s*"?([^"\s]*)"?\s*$/.exec(part);
		if (m?.[1] === 'api_key') out.apiKey = m[2];
		if (m?.[1] === 'user_key') out.userKey = m[2];
	}
	return out;
}

/** A v3/v4 call: a Salesforce access token, or an api_key and user key in the Authorization header. */
export function authenticateLegacy(sim: HandlerState, ctx: RequestContext): void {
	// Pardot refuses credentials passed in the URL: only the Authorization header counts.
	if (ctx.query.has('api_key') || ctx.query.has('user_key')) throw new PardotError(1, sim.config.expiredKeyStatus);
	const header = String(ctx.headers.authorization ?? '');
	const bearer = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
	if (bearer) {
		checkOAuth(sim, ctx, bearer[1]);
		return;
	}
	const creds = parsePardotAuth(header);
	if (!creds?.apiKey || !creds.userKey) throw new PardotError(1, sim.config.expiredKeyStatus);
	if (sim.config.legacyLoginRetired) throw new PardotError(199);
	const info = sim.sessions.apiKeys.get(creds.apiKey);
	// An expired api_key is indistinguishable from a wrong one: error 1, with a status seen to vary.
	if (!info || info.expiresAt <= sim.now() || info.userKey !== creds.userKey) {
		throw new PardotError(1, sim.config.expiredKeyStatus);
	}
}

/** A v5 call: a Salesforce access token and the Business Unit header (184, 181, 201). */
export function authenticateV5(sim: HandlerState, ctx: RequestContext): void {
	const header = String(ctx.headers.authorization ?? '');
	const bearer = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
	if (!bearer) throw new PardotError(184, 401);
	checkOAuth(sim, ctx, bearer[1]);
}
