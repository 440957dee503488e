/** Open Connectors Pardot instance JSONs for the migration tests, shaped as Open Connectors' documentation shows them. */

export const SECRETS = {
	password: 'Tr0ub4dor&3-pardot',
	userKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
	signingKey: 'oc-signing-key-5f2e',
};

/** A complete instance: every value filled in, events on, both objects, a signing key, v4. */
export function instance(overrides: { configuration?: Record<string, unknown>; [key: string]: unknown } = {}) {
	const { configuration, ...top } = overrides;
	return {
		element: { key: 'pardot' },
		configuration: {
			'apikey.user.name': 'marketing-api@example.com',
			'apikey.user.password': SECRETS.password,
			'apikey.user.key': SECRETS.userKey,
			'provider.version': '4',
			'event.notification.enabled': 'true',
			'event.notification.callback.url': 'https://hooks.example.com/open-connectors/pardot?token=q1',
			'event.notification.signature.key': SECRETS.signingKey,
			'event.poller.urls': 'contacts|leads',
			'event.poller.refresh_interval': '5',
			...configuration,
		},
		tags: ['crm', 'production'],
		name: 'Pardot to CRM',
		...top,
	};
}

/** The instance example of Open Connectors' Pardot events page, as the page gives it: placeholders everywhere. */
export const DOCUMENTED_EXAMPLE = {
	element: { key: 'pardot' },
	configuration: {
		'apikey.user.name': '<PARDOT_USERNAME>',
		'apikey.user.password': '<PARDOT_PASSWORD>',
		'apikey.user.key': '<PARDOT_API_USER_KEY>',
		'provider.version': '4',
		'event.notification.enabled': 'true',
		'event.notification.callback.url': '<YOUR_APPS_CALLBACK_URL>',
		'event.poller.urls': 'contacts|leads',
	},
	tags: ['<TAGS>'],
	name: '<INSTANCE_NAME>',
};
