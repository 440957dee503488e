import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * What the two Pardot credentials share (PardotApi, PardotOAuth2Api): where Pardot's API is, and the
 * API user's time zone. n8n loads only the credential files package.json names; this one is a module
 * they import.
 */

/** Pardot's API hosts: production accounts, and developer orgs, training orgs and sandboxes. */
export const PARDOT_API_HOSTS = {
	production: 'https://pi.pardot.com',
	demo: 'https://pi.demo.pardot.com',
} as const;

/**
 * The credential's Pardot API base URL, as an n8n expression over its own fields (`$self` in a
 * credential's own properties, `$credentials` in its test): Base URL when Environment is Custom
 * (trailing slashes dropped), else the production host for Production and the demo host for the rest.
 */
export function apiBaseUrlExpression(fields: '$self' | '$credentials'): string {
	return `{{ ${fields}.environment === "custom" ? ${fields}.baseUrl.replace(/\\/+$/, "") : (${fields}.environment === "production" ? "${PARDOT_API_HOSTS.production}" : "${PARDOT_API_HOSTS.demo}") }}`;
}

/** Environment: the credential's own choices, then Custom (any host, such as the local Pardot simulator). */
export function environmentField(options: INodePropertyOptions[], custom: string): INodeProperties {
	return {
		displayName: 'Environment',
		name: 'environment',
		type: 'options',
		options: [...options, { name: 'Custom', value: 'custom', description: custom }],
		default: 'production',
	};
}

/** The Pardot API's base URL, asked for when Environment is Custom. */
export function baseUrlField(displayName: string): INodeProperties {
	return {
		displayName,
		name: 'baseUrl',
		type: 'string',
		default: '',
		placeholder: 'http://127.0.0.1:8765',
		required: true,
		displayOptions: { show: { environment: ['custom'] } },
		description: 'Scheme, host and port of the Pardot API, without a path',
	};
}

/** The API user's time zone, in which API v3/v4 write dates without an offset. */
export function timeZoneField(description: string): INodeProperties {
	return {
		displayName: 'Time Zone',
		name: 'timezone',
		type: 'string',
		default: 'UTC',
		placeholder: 'America/New_York',
		description,
	};
}
