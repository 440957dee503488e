import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { apiBaseUrlExpression, baseUrlField, environmentField, PARDOT_API_HOSTS, timeZoneField } from './shared';

/**
 * Pardot's original user-key login (API v3/v4). Salesforce retired it for real accounts on
 * 2021-02-15 (they answer error 199); it stays for existing setups and for the local simulator.
 * The api_key obtained at login is cached in memory by the transport layer, never stored here.
 */
export class PardotApi implements ICredentialType {
	name = 'pardotApi';

	displayName = 'Pardot Legacy User Key API';

	icon: Icon = { light: 'file:pardot.svg', dark: 'file:pardot.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pardot#legacy-user-key-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Email',
			name: 'username',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			required: true,
			description: 'Email address of the Pardot API user',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		// The user key is a secret: with the email and password it grants full API access.
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'User Key',
			name: 'userKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The 32-character user key from Pardot: Settings → My Profile → API User Key',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			options: [
				{ name: '3', value: '3', description: 'For accounts that allow only one prospect per email address' },
				{ name: '4', value: '4', description: 'For accounts that allow several prospects with the same email' },
			],
			default: '4',
			description: 'Pardot tells which version an account must use: pick the other one if a login answers error 88 or 89',
		},
		environmentField(
			[
				{ name: 'Production', value: 'production', description: PARDOT_API_HOSTS.production },
				{ name: 'Demo / Developer', value: 'demo', description: PARDOT_API_HOSTS.demo },
			],
			'Another base URL, such as the local Pardot simulator',
		),
		baseUrlField('Base URL'),
		timeZoneField(
			'IANA name of the Pardot API user\'s time zone (Pardot: the user\'s settings). API v3/v4 return dates in this zone without an offset; it must match or changes can be missed.',
		),
	];

	// The login call itself: its error codes tell wrong login details (15: email, password or user
	// key, Pardot does not say which), a retired login method (199) and a locked account (131) apart.
	// Error 1 at login is kept for servers that answer it to a bad user key.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `=${apiBaseUrlExpression('$credentials')}`,
			url: '=/api/login/version/{{ $credentials.apiVersion }}',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: {
				email: '={{ $credentials.username }}',
				password: '={{ $credentials.password }}',
				user_key: '={{ $credentials.userKey }}',
				format: 'json',
			},
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: '@attributes.err_code',
					value: 15,
					message: 'Pardot rejected the login (error 15): the email, password or user key is wrong. Check all three (user key: Pardot → Settings → My Profile → API User Key).',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: '@attributes.err_code',
					value: 1,
					message: 'Pardot rejected the user key (error 1). Copy it again from Pardot: Settings → My Profile → API User Key.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: '@attributes.err_code',
					value: 199,
					message: 'Pardot no longer accepts user-key logins for this account: use the Pardot OAuth2 API credential',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: '@attributes.err_code',
					value: 131,
					message: 'Pardot locked this user after too many failed logins (error 131). Unlock it in Pardot, then test again.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: '@attributes.err_code',
					value: 88,
					message: 'This Pardot account must use API version 4: change API Version to 4',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: '@attributes.err_code',
					value: 89,
					message: 'This Pardot account cannot use API version 4: change API Version to 3',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: '@attributes.stat',
					value: undefined,
					message: 'The server at this address did not answer like Pardot. Check Environment and Base URL.',
				},
			},
		],
	};
}
