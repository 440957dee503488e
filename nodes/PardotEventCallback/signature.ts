import { createHmac } from 'crypto';
import type { INodeCredentialTestResult } from 'n8n-workflow';

/**
 * The notification's signature: the HMAC of each body (Elements-Webhook-Signature) with the key of
 * the Pardot Callback Signing Key credential, and that credential's test. Pure.
 */

export const SIGNING_CREDENTIAL = 'pardotCallbackSigningApi';

/** Elements-Webhook-Signature: `sha256=` + base64(HMAC-SHA256(key, the body's UTF-8 bytes)). */
export function signatureOf(signingKey: string, body: string): string {
	return `sha256=${createHmac('sha256', signingKey).update(Buffer.from(body, 'utf8')).digest('base64')}`;
}

/**
 * The signing key credential has nothing remote to call, so its test checks the key itself for
 * the mistakes that make every signature fail at the receiver.
 */
export function checkSigningKey(value: unknown): INodeCredentialTestResult {
	if (typeof value !== 'string' || value === '') {
		return { status: 'Error', message: 'The signing key is empty. Paste the key your receiver verifies signatures with.' };
	}
	if (value.trim() !== value) {
		return {
			status: 'Error',
			message: 'The signing key starts or ends with a space or line break, which would be signed too. Paste it again without them.',
		};
	}
	return {
		status: 'OK',
		message: 'The signing key is set. The receiver checks it on the first notification: a wrong key shows there as a rejected signature.',
	};
}
