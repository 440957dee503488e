/** The signature (signature.ts): the HMAC of each body, and the signing key credential's test. */
import { createHmac } from 'node:crypto';

import { PardotEventCallback } from '../../../nodes/PardotEventCallback/PardotEventCallback.node';
import { checkSigningKey, signatureOf } from '../../../nodes/PardotEventCallback/signature';

describe('signatureOf', () => {
	test('matches the published HMAC-SHA256 test vector', () => {
		// HMAC_SHA256("key", "The quick brown fox jumps over the lazy dog") = f7bc83f4...3cd8 (hex)
		const hex = 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8';
		expect(signatureOf('key', 'The quick brown fox jumps over the lazy dog')).toBe(
			`sha256=${Buffer.from(hex, 'hex').toString('base64')}`,
		);
	});

	test('signs the UTF-8 bytes of the body', () => {
		const body = '{"name":"Zoë 🚀"}';
		const expected = createHmac('sha256', 'k').update(Buffer.from(body, 'utf8')).digest('base64');
		expect(signatureOf('k', body)).toBe(`sha256=${expected}`);
	});
});

describe('checkSigningKey (the credential test)', () => {
	test.each([
		['a key', 'whsec_abc', 'OK'],
		['empty', '', 'Error'],
		['missing', undefined, 'Error'],
		['trailing newline', 'whsec_abc\n', 'Error'],
		['leading space', ' whsec_abc', 'Error'],
		['inner space is fine', 'two words', 'OK'],
	])('%s -> %s', (_name, value, status) => {
		expect(checkSigningKey(value).status).toBe(status);
	});

	test('the node exposes it under the name its credential entry tests with', async () => {
		const node = new PardotEventCallback();
		const entry = node.description.credentials?.find((credential) => credential.name === 'pardotCallbackSigningApi');
		expect(entry?.required).toBe(false);
		const name = entry?.testedBy as string;
		const test = node.methods.credentialTest[name as 'pardotCallbackSigningKeyTest'];
		const result = await test.call({} as never, { id: '1', name: 'key', type: 'pardotCallbackSigningApi', data: { signingKey: 'k' } });
		expect(result.status).toBe('OK');
	});
});
