/** What the two Pardot credentials share (credentials/shared.ts): one definition, so they cannot drift apart. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { PardotApi } from '../../credentials/PardotApi.credentials';
import { PardotOAuth2Api } from '../../credentials/PardotOAuth2Api.credentials';
import { apiBaseUrlExpression, PARDOT_API_HOSTS } from '../../credentials/shared';

const legacy = new PardotApi();
const oauth = new PardotOAuth2Api();
const field = (properties: INodeProperties[], name: string) => properties.find((p) => p.name === name)!;
/** A field without the words shown to the user: what n8n stores and checks. */
const shape = ({ displayName: _d, description: _e, options, ...rest }: INodeProperties) => ({
	...rest,
	values: (options as INodePropertyOptions[] | undefined)?.map((o) => o.value),
});

test('both ask for Environment, Base URL and Time Zone alike: names, types, defaults, when Base URL shows', () => {
	expect(shape(field(legacy.properties, 'baseUrl'))).toEqual(shape(field(oauth.properties, 'baseUrl')));
	expect(shape(field(legacy.properties, 'timezone'))).toEqual(shape(field(oauth.properties, 'timezone')));
	expect(field(legacy.properties, 'timezone').default).toBe('UTC');
	for (const credential of [legacy, oauth]) {
		const environment = field(credential.properties, 'environment');
		expect(environment.default).toBe('production');
		expect((environment.options as INodePropertyOptions[]).at(-1)!.value).toBe('custom');
		expect(field(credential.properties, 'baseUrl').displayOptions).toEqual({ show: { environment: ['custom'] } });
	}
});

test('the legacy login test and the OAuth2 requests go to the same host for each Environment', () => {
	expect(legacy.test!.request.baseURL).toBe(`=${apiBaseUrlExpression('$credentials')}`);
	expect(field(oauth.properties, 'apiBaseUrl').default).toBe(`=${apiBaseUrlExpression('$self')}`);
	expect(apiBaseUrlExpression('$self')).toContain(`"${PARDOT_API_HOSTS.production}"`);
	expect(apiBaseUrlExpression('$self')).toContain(`"${PARDOT_API_HOSTS.demo}"`);
	expect(PARDOT_API_HOSTS).toEqual({ production: 'https://pi.pardot.com', demo: 'https://pi.demo.pardot.com' });
});
