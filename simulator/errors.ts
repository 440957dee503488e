/**
 * Pardot error codes and their messages: the wording of Pardot's published error list
 * (pardot/api-docs, kb/error-codes-messages; see README.md for the exact source).
 */

export const PARDOT_MESSAGES: Record<number, string> = {
	1: 'Invalid API key or user key',
	2: 'Invalid action',
	3: 'Invalid prospect ID',
	4: 'Invalid prospect email address',
	5: 'Invalid query parameters',
	7: 'Invalid timestamp',
	8: 'Invalid time range',
	9: 'A prospect with the specified email address already exists',
	10: 'Invalid user ID',
	11: 'Invalid user email address',
	12: 'Invalid group ID',
	13: 'One or more required parameters are missing',
	14: 'Non-existent prospect ID; No email address provided',
	15: 'Login failed',
	16: 'Invalid ID',
	17: 'Invalid ID range',
	19: 'Invalid value specified for sort_by',
	22: 'Unsupported feature in this version of the API',
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
	35: 'Invalid opportunity ID',
	36: 'One or more required parameter values are missing',
	37: 'A SalesForce connector was detected',
	38: 'Invalid campaign ID',
	40: 'Invalid opportunity probability',
	41: 'Invalid probability range specified',
	42: 'Invalid opportunity value',
	43: 'Invalid opportunity value range specified',
	44: 'The provided prospect_id and prospect_email parameters do not match',
	50: 'Invalid boolean',
	51: 'Invalid parameter',
	54: 'Email address is already in use',
	55: 'Invalid list ID',
	56: 'Invalid number entered for field',
	57: 'Invalid date entered for field',
	58: 'That prospect is already a member of that list. Update the membership instead.',
	60: 'Invalid HTTP request method',
	66: 'You have exceeded your concurrent request limit.  Please wait, before trying again',
	88: 'Your account must use version 4 of the API.',
	89: 'Your account is unable to use version 4 of the API.',
	122: 'Daily API rate limit met',
	130: 'One or more of the specified fields are invalid',
	131: 'Your account is locked due to too many failed login attempts. Reset your password at https://pi.pardot.com/user/passwordReset',
	132: 'Prospect is archived',
	150: 'Input needs to be valid JSON',
	151: 'Unsupported content-type',
	152: "Request body can't be empty",
	153: 'Missing required property in request',
	154: 'Invalid property in request',
	155: 'Can\'t update. Import must be in "Open" state.',
	156: "Can't start processing. Import has no associated data.",
	159: 'The file is not in a valid CSV format',
	160: 'The limit of batches per import has been reached',
	161: 'The current state of the import does not allow the operation',
	162: 'No file was specified or uploaded',
	163: 'Too many files were specified or uploaded',
	165: 'column options is invalid',
	166: 'The input is not in the required format',
	180: 'One or more of the specified fields are invalid',
	181: 'A required header is missing',
	184: 'access_token is invalid, unknown, or malformed: Inactive token',
	199: 'Authentication using an api_key is no longer supported. Use Salesforce OAuth access token instead. See https://developer.pardot.com/kb/authentication/ for details.',
	192: 'Object specified does not exist',
	201: 'Business Unit specified in Pardot-Business-Unit-Id header not found or inactive.',
	204: "File size exceeds the max post size or the body message can't be empty",
	219: "Deleted records can't be updated. Please undelete before updating.",
	226: 'Mismatched CSV headers and column options',
};

export function messageFor(code: number): string {
	return PARDOT_MESSAGES[code] ?? `Error ${code}`;
}

/**
 * Raised inside request handlers; the router renders it in the right envelope. Without a status, v3/v4
 * answer HTTP 200 and v5 400. `headers` go with a v5 answer (e.g. `Pardot-Warning` for a record in
 * the recycle bin).
 */
export class PardotError extends Error {
	constructor(
		readonly code: number,
		readonly status?: number,
		message?: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message ?? messageFor(code));
	}
}
