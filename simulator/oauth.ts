/**
 * Salesforce's OAuth endpoints, as far as a Pardot client uses them: `/services/oauth2/token`
 * (authorization_code, refresh_token, client_credentials) and `/services/oauth2/authorize`; and the
 * check of the access token on Pardot API calls (checkOAuth, for legacy.ts and v5.ts).
 */
import { randomBytes } from 'node:crypto';

import type { HandlerState, RequestContext } from './context';
import { PardotError } from './errors';
import { jsonReply, textReply, type Reply } from './render';
import type { SimOAuthClient } from './types';

const AUTH_CODE_LIFETIME_MS = 15 * 60_000;
const ORG_ID = '00D000000000001AAA';
const USER_ID = '005000000000001AAA';

/** Salesforce's error shape: `{ error, error_description }`, HTTP 400 (401 for a bad client secret is not used). */
const oauthError = (error: string, description: string, status = 400) =>
	jsonReply(status, { error, error_description: description });

/** Checks the OAuth part of a Pardot API call: Business Unit header present, token valid, Business Unit known. */
export function checkOAuth(sim: HandlerState, ctx: RequestContext, token: string): void {
	const bu = ctx.headers['pardot-business-unit-id'];
	const buId = Array.isArray(bu) ? bu[0] : bu;
	if (!buId) throw new PardotError(181, 400);
	const info = sim.sessions.accessTokens.get(token);
	if (!info || info.expiresAt <= sim.now()) throw new PardotError(184, 401);
	if (!sim.config.businessUnits.includes(buId)) throw new PardotError(201, 400);
}

function issueAccessToken(sim: HandlerState, clientId: string): string {
	const token = `00D000000000001!${randomBytes(36).toString('base64url')}`;
	sim.sessions.accessTokens.set(token, { clientId, expiresAt: sim.now() + sim.config.accessTokenLifetimeMs });
	return token;
}

function clientCredentialsFrom(ctx: RequestContext): { id: string; secret: string } {
	const header = String(ctx.headers.authorization ?? '');
	const basic = /^\s*Basic\s+(\S+)\s*$/i.exec(header);
	if (basic) {
		const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		if (colon >= 0) {
			return {
				id: decodeURIComponent(decoded.slice(0, colon)),
				secret: decodeURIComponent(decoded.slice(colon + 1)),
			};
		}
	}
	return { id: ctx.params.get('client_id') ?? '', secret: ctx.params.get('client_secret') ?? '' };
}

function findClient(sim: HandlerState, id: string): SimOAuthClient | undefined {
	return sim.config.oauthClients.find((c) => c.clientId === id);
}

function tokenResponse(sim: HandlerState, ctx: RequestContext, clientId: string, scope: string, withRefresh: boolean): Reply {
	const accessToken = issueAccessToken(sim, clientId);
	const body: Record<string, unknown> = { access_token: accessToken };
	if (withRefresh) {
		const refreshToken = `5Aep861${randomBytes(32).toString('base64url')}`;
		sim.sessions.refreshTokens.set(refreshToken, { clientId, scope });
		body.refresh_token = refreshToken;
	}
	// Salesforce sends no expires_in: clients learn of expiry from a 401.
	Object.assign(body, {
		signature: randomBytes(32).toString('base64'),
		scope,
		instance_url: ctx.origin,
		id: `${ctx.origin}/id/${ORG_ID}/${USER_ID}`,
		token_type: 'Bearer',
		issued_at: String(sim.now()),
	});
	return jsonReply(200, body, { 'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private' });
}

export function oauthToken(sim: HandlerState, ctx: RequestContext): Reply {
	if (ctx.method !== 'POST') return oauthError('invalid_request', 'must use HTTP POST');
	const grantType = ctx.params.get('grant_type') ?? '';
	// The client credentials flow needs the org's My Domain URL: login.salesforce.com and
	// test.salesforce.com answer this (Salesforce Help, client credentials flow; body as observed).
	if (grantType === 'client_credentials' && sim.config.loginHost === 'generic') {
		return oauthError('invalid_grant', 'request not supported on this domain');
	}
	const creds = clientCredentialsFrom(ctx);
	const client = findClient(sim, creds.id);
	if (!client) return oauthError('invalid_client_id', 'client identifier invalid');
	if (client.clientSecret !== creds.secret) return oauthError('invalid_client', 'invalid client credentials');

	switch (grantType) {
		case 'authorization_code': {
			const code = ctx.params.get('code') ?? '';
			const info = sim.sessions.authCodes.get(code);
			if (!info || info.clientId !== client.clientId || info.expiresAt <= sim.now()) {
				return oauthError('invalid_grant', 'invalid authorization code');
			}
			const redirectUri = ctx.params.get('redirect_uri');
			if (info.redirectUri !== null && redirectUri !== info.redirectUri) {
				return oauthError('invalid_grant', 'redirect_uri must match configuration');
			}
			sim.sessions.authCodes.delete(code); // single use
			return tokenResponse(sim, ctx, client.clientId, info.scope, true);
		}
		case 'refresh_token': {
			const info = sim.sessions.refreshTokens.get(ctx.params.get('refresh_token') ?? '');
			if (!info || info.clientId !== client.clientId) return oauthError('invalid_grant', 'expired access/refresh token');
			// Salesforce does not rotate refresh tokens by default: the answer carries none.
			return tokenResponse(sim, ctx, client.clientId, info.scope, false);
		}
		case 'client_credentials': {
			if (client.clientCredentials === false) {
				return oauthError('invalid_grant', 'no client credentials user enabled');
			}
			return tokenResponse(sim, ctx, client.clientId, 'pardot_api', false);
		}
		default:
			return oauthError('unsupported_grant_type', 'grant type not supported');
	}
}

/** The demo's consent screen, skipped: redirects straight back with a code. */
export function oauthAuthorize(sim: HandlerState, ctx: RequestContext): Reply {
	const q = ctx.params;
	const client = findClient(sim, q.get('client_id') ?? '');
	if (!client) return textReply(400, 'error=invalid_client_id&error_description=client%20identifier%20invalid');
	const redirectUri = q.get('redirect_uri');
	if (!redirectUri) return textReply(400, 'error=invalid_request&error_description=missing%20redirect_uri');
	if (client.redirectUris && client.redirectUris.length > 0 && !client.redirectUris.includes(redirectUri)) {
		return textReply(400, 'error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration');
	}
	let target: URL;
	try {
		target = new URL(redirectUri);
	} catch {
		return textReply(400, 'error=invalid_request&error_description=invalid%20redirect_uri');
	}
	if ((q.get('response_type') ?? 'code') !== 'code') {
		target.searchParams.set('error', 'unsupported_response_type');
	} else {
		const code = `aPrx${randomBytes(24).toString('base64url')}`;
		sim.sessions.authCodes.set(code, {
			clientId: client.clientId,
			redirectUri,
			expiresAt: sim.now() + AUTH_CODE_LIFETIME_MS,
			scope: q.get('scope') || 'pardot_api refresh_token',
		});
		target.searchParams.set('code', code);
	}
	const state = q.get('state');
	if (state !== null) target.searchParams.set('state', state);
	return { status: 302, headers: { Location: target.toString(), 'Content-Type': 'text/plain' }, body: '' };
}
