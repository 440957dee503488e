/**
 * What each Pardot error code means for a user, and what the transport does about it.
 * Pure: no n8n types here, so the table is easy to test and to read.
 */

export type ErrorAction =
	/** The api_key expired or was revoked: log in once more and retry (legacy auth only). */
	| 'relogin'
	/** Too many concurrent requests: wait and retry a bounded number of times. */
	| 'backoff'
	/** Anything else: stop and tell the user. */
	| 'fail';

export interface PardotErrorInfo {
	action: ErrorAction;
	message: string;
	description: string;
	/** The code is none this table knows: its meaning is Pardot's message alone. */
	generic?: true;
}

/** Error codes the trigger acts on beyond this table. */
export const PARDOT_ERROR = {
	/** None of the query's parameters was recognised (for a recycle-bin scan: `deleted` itself). */
	invalidParameters: 5,
	/** Too many concurrent requests (Pardot allows 5 per user). */
	tooManyRequests: 66,
	/** The account's daily API call limit is reached. */
	dailyLimit: 122,
} as const;

const FIX_CREDENTIALS = 'Open the Pardot credential in n8n, correct it, and use "Test" to confirm.';

export function describePardotError(code: number, apiMessage: string): PardotErrorInfo {
	const said = apiMessage ? ` Pardot said: "${apiMessage}".` : '';
	switch (code) {
		case 1:
			return {
				action: 'relogin',
				message: 'Pardot rejected the API key or user key (error 1)',
				description: `Check the user key (Pardot: Settings → My Profile → API User Key). ${FIX_CREDENTIALS}${said}`,
			};
		case 15:
			return {
				action: 'fail',
				message: 'Pardot rejected the login (error 15)',
				description: `The email, password or user key is wrong (Pardot does not say which; the user key is in Pardot: Settings → My Profile → API User Key). ${FIX_CREDENTIALS}${said}`,
			};
		case 66:
			return {
				action: 'backoff',
				message: 'Pardot is busy: too many concurrent API requests (error 66)',
				description:
					'Pardot allows 5 concurrent requests per account, shared by every integration. The request was retried and still refused; the next poll tries again. Reduce other integrations\' parallel calls if this persists.',
			};
		case 88:
			return {
				action: 'fail',
				message: 'This Pardot account must use API version 4 (error 88)',
				description: `Set "API Version" to 4 in the Pardot credential.${said}`,
			};
		case 89:
			return {
				action: 'fail',
				message: 'This Pardot account cannot use API version 4 (error 89)',
				description: `Set "API Version" to 3 in the Pardot credential.${said}`,
			};
		case 122:
			return {
				action: 'fail',
				message: 'Pardot\'s daily API call limit is reached (error 122)',
				description:
					'Pardot refuses further API calls for today. Nothing is lost: the trigger keeps its place, tries one small request at each poll, and catches up as soon as Pardot accepts calls again (after the daily reset, or at once when an administrator raises the limit). Consider a longer poll interval.',
			};
		case 131:
			return {
				action: 'fail',
				message: 'Pardot locked this user after too many failed logins (error 131)',
				description: 'Unlock the user in Pardot (or wait for the lock to expire), check the credential, then test it again.',
			};
		case 181:
			return {
				action: 'fail',
				message: 'Pardot needs a Business Unit ID (error 181)',
				description:
					'Enter the Business Unit ID in the Pardot OAuth2 credential: Salesforce Setup → Account Engagement → Business Unit Setup (18 characters, starts with 0Uv).',
			};
		case 184:
			return {
				action: 'fail',
				message: 'Pardot did not accept the Salesforce access token (error 184)',
				description:
					'Reconnect the Pardot OAuth2 credential. The connected app needs the "pardot_api" scope and the user needs access to Account Engagement.',
			};
		case 199:
			return {
				action: 'fail',
				message: 'Pardot no longer accepts user-key logins for this account (error 199)',
				description:
					'Salesforce retired Pardot-only logins in 2021. Use the "Pardot OAuth2 API" credential (see the README for the connected-app steps).',
			};
		case 201:
			return {
				action: 'fail',
				message: 'Pardot does not know this Business Unit ID on this host (error 201)',
				description:
					'Check the Business Unit ID (18 characters, starts with 0Uv) and the credential\'s Environment: sandboxes and developer orgs use pi.demo.pardot.com.',
			};
		case 19:
		case 20:
		case 21:
		case 23:
			return {
				action: 'fail',
				message: `Pardot refused the query parameters (error ${code})`,
				description: `This is a bug in n8n-nodes-pardot; please report it with this message.${said}`,
			};
		default:
			return {
				action: 'fail',
				generic: true,
				message: `Pardot returned error ${code}`,
				description: `${sentence(apiMessage) || 'No message was given.'} If this persists, check the credential and Pardot's status page.`,
			};
	}
}

/** Pardot's message as a sentence of its own: "Internal error" → "Internal error." (empty stays empty). */
function sentence(text: string): string {
	const trimmed = text.trim();
	return !trimmed || /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
