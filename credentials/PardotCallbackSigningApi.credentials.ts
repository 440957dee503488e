import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The shared secret of the Pardot Event Callback: with it, every request carries
 * `Elements-Webhook-Signature: sha256=<base64 HMAC-SHA256 of the exact body>`, as Open Connectors
 * signs its callbacks, so the receiver can tell our requests from anyone else's.
 *
 * No `test` request here: there is no service to call with a signing key. The node that uses
 * this credential declares `testedBy: 'pardotCallbackSigningKeyTest'` instead, a local check of
 * the key (empty, or wrapped in spaces or line breaks that would be signed too); the receiver
 * verifies the key itself on the first notification.
 */
export class PardotCallbackSigningApi implements ICredentialType {
	name = 'pardotCallbackSigningApi';

	displayName = 'Pardot Callback Signing Key API';

	icon: Icon = {
		light: 'file:../nodes/PardotEventCallback/pardotEventCallback.svg',
		dark: 'file:../nodes/PardotEventCallback/pardotEventCallback.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pardot#pardot-event-callback';

	properties: INodeProperties[] = [
		// The key is the HMAC secret; the rule only recognises names such as "secret" or "token".
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'Signing Key',
			name: 'signingKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The secret your receiver verifies Elements-Webhook-Signature with: the same key on both sides, used as is (no trimming). Moving from Open Connectors: its Callback Notification Signature Key.',
		},
	];
}
