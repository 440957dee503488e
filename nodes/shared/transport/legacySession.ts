import { createHash } from 'crypto';

import type { PardotConnection, PardotContext } from './connection';
import { addSecret } from './connection';
import { pardotError, unexpectedResponse } from './failures';
import { pardotFailure, parseBody } from './response';
import { ENVELOPE_BYTES, send } from './send';

/**
 * The legacy api_key: one login per user and 60 minutes, shared by every poll of this process.
 *
 * The api_key lives 60 minutes from its first issue, and a login while it is valid returns the
 * same key (so logging in again at 55 minutes would only get the old key back, 5 minutes from its
 * end). It is kept in this process's memory only (never in workflow static data, output or logs),
 * keyed by a hash of the login, used until 5 seconds before its end, then replaced by a new login;
 * and at once when Pardot answers error 1.
 */

const API_KEY_LIFETIME_MS = 60 * 60_000;
const API_KEY_MARGIN_MS = 5_000;

interface Session {
	apiKey: string;
	/** When Pardot first issued this key (the clock of `now`). */
	firstSeen: number;
}

export interface LoginOptions {
	timeoutMs: number;
	/** The clock the cache runs on (tests give the simulator's). */
	now: () => number;
}

/** A cache of api_keys. The node uses one for the whole process; each test builds its own. */
export class LegacySessions {
	private readonly sessions = new Map<string, Session>();

	private readonly loginsInFlight = new Map<string, Promise<string>>();

	/** A usable api_key for this login: the cached one, the one a concurrent login is fetching, or a new login's. */
	async apiKey(ctx: PardotContext, conn: PardotConnection, options: LoginOptions): Promise<string> {
		const key = sessionKey(conn);
		const cached = this.sessions.get(key);
		// Stays a secret after it expires or is replaced by a fresh login.
		addSecret(conn, cached?.apiKey);
		if (cached && usable(cached, options.now())) return cached.apiKey;
		let pending = this.loginsInFlight.get(key);
		if (!pending) {
			pending = this.login(ctx, conn, options).finally(() => this.loginsInFlight.delete(key));
			this.loginsInFlight.set(key, pending);
		}
		const apiKey = await pending;
		addSecret(conn, apiKey);
		return apiKey;
	}

	/** Pardot refused this key (error 1): the next request logs in again. */
	forget(conn: PardotConnection, apiKey: string): void {
		const key = sessionKey(conn);
		if (this.sessions.get(key)?.apiKey === apiKey) this.sessions.delete(key);
	}

	private async login(ctx: PardotContext, conn: PardotConnection, options: LoginOptions): Promise<string> {
		const l = conn.legacy!;
		const form = new URLSearchParams({ email: l.email, password: l.password, user_key: l.userKey, format: 'json' });
		const sent = await send(ctx, conn, { timeoutMs: options.timeoutMs, maxBytes: ENVELOPE_BYTES }, {
			method: 'POST',
			url: `${conn.baseUrl}/api/login/version/${conn.apiVersion}`,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			body: form.toString(),
		});
		if ('networkFailure' in sent) throw sent.networkFailure;
		const { response } = sent;
		const parsed = parseBody(response);
		if ('unexpected' in parsed) throw unexpectedResponse(ctx, conn, response.statusCode, parsed.unexpected);
		const failure = pardotFailure(parsed.body);
		if (failure) {
			// Error 1 at login means the user key itself is wrong: there is nothing to renew.
			throw pardotError(ctx, conn, failure.code, failure.message, response.statusCode);
		}
		const apiKey = typeof parsed.body.api_key === 'string' ? parsed.body.api_key : '';
		if (!apiKey) throw unexpectedResponse(ctx, conn, response.statusCode, 'the login answer has no api_key');
		const now = options.now();
		const previous = this.sessions.get(sessionKey(conn));
		let firstSeen = now;
		if (previous?.apiKey === apiKey) {
			// Pardot gave the same key back: it still ends 60 minutes after its first issue. If it should
			// have ended already (clocks differ), trust Pardot for one more margin, then log in again.
			firstSeen = usable(previous, now) ? previous.firstSeen : now - API_KEY_LIFETIME_MS + 2 * API_KEY_MARGIN_MS;
		}
		this.sessions.set(sessionKey(conn), { apiKey, firstSeen });
		return apiKey;
	}
}

/** The cache n8n's process uses (an n8n restart empties it). */
export const processSessions = new LegacySessions();

function sessionKey(conn: PardotConnection): string {
	const l = conn.legacy!;
	return createHash('sha256').update([conn.baseUrl, conn.apiVersion, l.email, l.password, l.userKey].join('\u0000')).digest('hex');
}

const usable = (session: Session, now: number) => now < session.firstSeen + API_KEY_LIFETIME_MS - API_KEY_MARGIN_MS;
