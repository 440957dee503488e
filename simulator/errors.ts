/**
 * Pardot error codes and their messages: the wording of Pardot's published error list
 * (pardot/api-docs, kb/error-codes-messages; see README.md for the exact source).
 */

export const PARDOT_MESSAGES: Record<number, string> = {
	1: 'Invalid API key or user key',
	5: 'Invalid query parameters',
	7: 'Invalid timestamp',
	8: 'Invalid time range',
	3: 'Invalid prospect ID',
	4: 'Invalid prospect email address',
	13: 'One or more required parameters are missing',
	15: 'Login failed',
	16: 'Invalid ID',
	17: 'Invalid ID range',
	19: 'Invalid value specified for sort_by',
	20: 'Invalid value specified for sort_order',
	21: 'Invalid value specified for offset',
	23: 'Invalid value specified for limit',
	27: 'Parameter deleted must be true or false',
	29: 'Invalid value specified for score',
	30: 'Invalid score range specified',
	31: 'Invalid combination of parameters for score',
	32: 'Invalid value specified for grade',
	33: 'Invalid grade range specified',
	34: 'Invalid combination of parameters for grade',
	40: 'Invalid opportunity probability',
	41: 'Invalid probability range specified',
	42: 'Invalid opportunity value',
	43: 'Invalid opportunity value range specified',
	44: 'The provided prospect_id and prospect_email parameters do not match',
	50: 'Invalid boolean',
	51: 'Invalid parameter',
	66: 'You have exceeded your concurrent request limit.  Please wait, before trying again',
	88: 'Your account must use version 4 of the API.',
	89: 'Your account is unable to use version 4 of the API.',
	122: 'Daily API rate limit met',
	131: 'Your account is locked due to too many failed login attempts. Reset your password at https://pi.pardot.com/user/passwordReset',
	181: 'A required header is missing',
	184: 'access_token is invalid, unknown, or malformed: Inactive token',
	199: 'Authentication using an api_key is no longer supported. Use Salesforce OAuth access token instead. See https://developer.pardot.com/kb/authentication/ for details.',
	201: 'Business Unit specified in Pardot-Business-Unit-Id header not found or inactive.',
};

export function messageFor(code: number): string {
	return PARDOT_MESSAGES[code] ?? `Error ${code}`;
}

/** Raised inside request handlers; the router renders it in the right envelope. */
export class PardotError extends Error {
	constructor(
		readonly code: number,
		readonly status?: number,
		message?: string,
	) {
		super(message ?? messageFor(code));
	}
}
