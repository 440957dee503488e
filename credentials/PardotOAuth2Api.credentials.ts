import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { apiBaseUrlExpression, baseUrlField, environmentField, timeZoneField } from './shared';

// Sandboxes log in through test.salesforce.com, the other environments through login.salesforce.com.
const loginBaseUrlExpression =
	'{{ ($self.loginUrl || "").trim() ? $self.loginUrl.trim().replace(/\\/+$/, "") : ($self.environment === "sandbox" ? "https://test.salesforce.com" : "https://login.salesforce.com") }}';

export class PardotOAuth2Api implements ICredentialType {
	name = 'pardotOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Pardot OAuth2 API';

	icon: Icon = { light: 'file:pardot.svg', dark: 'file:pardot.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-pardot#oauth2-credential';

	properties: INodeProperties[] = [
		environmentField(
			[
				{
					name: 'Production',
					value: 'production',
					description: 'Salesforce production org: login.salesforce.com and pi.pardot.com',
				},
				{
					name: 'Sandbox',
					value: 'sandbox',
					description: 'Salesforce sandbox: test.salesforce.com and pi.demo.pardot.com',
				},
				{
					name: 'Developer / Demo',
					value: 'demo',
					description: 'Developer or training org: login.salesforce.com and pi.demo.pardot.com',
				},
			],
			'Other hosts, such as the local Pardot simulator',
		),
		baseUrlField('Pardot Base URL'),
		{
			displayName: 'Business Unit ID',
			name: 'businessUnitId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '0Uv000000000000AAA',
			description:
				'18 characters starting with 0Uv. Salesforce Setup → Account Engagement → Business Unit Setup.',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			options: [
				{ name: '3', value: '3' },
				{ name: '4', value: '4' },
				{ name: '5', value: '5', description: 'Recommended: pages of 1,000 and filters on update dates for every object' },
			],
			default: '5',
		},
		timeZoneField(
			'IANA name of the Pardot API user\'s time zone. Used only with API v3/v4, which return dates in this zone without an offset.',
		),
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{ name: 'Authorization Code', value: 'authorizationCode' },
				{ name: 'Client Credentials', value: 'clientCredentials' },
			],
			default: 'authorizationCode',
		},
		{
			displayName:
				'Client credentials: set Salesforce Login URL to your My Domain URL (https://your-domain.my.salesforce.com). Salesforce refuses this flow on login.salesforce.com and test.salesforce.com.',
			name: 'clientCredentialsNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { grantType: ['clientCredentials'] } },
		},
		{
			displayName: 'Salesforce Login URL',
			name: 'loginUrl',
			type: 'string',
			default: '',
			placeholder: 'https://mycompany.my.salesforce.com',
			description:
				"Your My Domain URL (Setup → My Domain): required for client credentials, which Salesforce refuses on login.salesforce.com and test.salesforce.com. Empty with authorization code: the environment's login host.",
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `=${loginBaseUrlExpression}/services/oauth2/authorize`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `=${loginBaseUrlExpression}/services/oauth2/token`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'pardot_api refresh_token',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		{
			displayName: 'Pardot API Base URL',
			name: 'apiBaseUrl',
			type: 'hidden',
			default: `=${apiBaseUrlExpression('$self')}`,
		},
	];

	// One small read with the Business Unit header: Pardot's error code names a missing or
	// unknown Business Unit (181, 201), a token without Pardot access (184) or a wrong host.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.apiBaseUrl }}',
			url: '={{ $credentials.apiVersion === "5" ? "/api/v5/objects/prospects?fields=id&limit=1" : "/api/prospect/version/" + $credentials.apiVersion + "/do/query?format=json&limit=1&output=bulk" }}',
			headers: { 'Pardot-Business-Unit-Id': '={{ $credentials.businessUnitId.trim() }}' },
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 181,
					message: 'Pardot needs a Business Unit ID: copy it from Salesforce Setup → Account Engagement → Business Unit Setup',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 201,
					message: 'Pardot does not know this Business Unit ID on this host: check the ID (18 characters, starts with 0Uv) and the Environment',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 184,
					message: 'Salesforce issued a token that Pardot does not accept: give the connected app the pardot_api scope and reconnect',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: '@attributes.err_code',
					value: 181,
					message: 'Pardot needs a Business Unit ID: copy it from Salesforce Setup → Account Engagement → Business Unit Setup',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: '@attributes.err_code',
					value: 201,
					message: 'Pardot does not know this Business Unit ID on this host: check the ID (18 characters, starts with 0Uv) and the Environment',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: '@attributes.err_code',
					value: 184,
					message: 'Salesforce issued a token that Pardot does not accept: give the connected app the pardot_api scope and reconnect',
				},
			},
		],
	};
}
