import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PARDOT_API_HOSTS } from '../../../credentials/shared';

/**
 * The Pardot credential, read once per poll: which host, which API version, how to authenticate,
 * and every value that must never appear in a message.
 */

export type PardotContext = Pick<IPollFunctions | IExecuteFunctions, 'getCredentials' | 'getNode' | 'logger'> & {
	helpers: Pick<IPollFunctions['helpers'], 'httpRequest' | 'httpRequestWithAuthentication'>;
};

export type Authentication = 'oAuth2' | 'legacy';
export type ApiVersion = '3' | '4' | '5';

export interface PardotConnection {
	authentication: Authentication;
	apiVersion: ApiVersion;
	baseUrl: string;
	timezone: string;
	/** Values that must never appear in messages: password, user key, api_key, tokens. */
	secrets: string[];
	legacy?: { email: string; password: string; userKey: string };
	businessUnitId?: string;
	/** OAuth2: the grant the credential uses. */
	grantType?: string;
}

/** The credentials' Environment values and their hosts (Custom: the credential's Base URL). */
const HOSTS: Record<string, string> = {
	production: PARDOT_API_HOSTS.production,
	demo: PARDOT_API_HOSTS.demo,
	sandbox: PARDOT_API_HOSTS.demo,
};

/** A Salesforce Business Unit ID: 18 characters, starting with 0Uv. */
const BUSINESS_UNIT_ID = /^0Uv[0-9A-Za-z]{15}$/;

function trimBaseUrl(url: string): string {
	return url.trim().replace(/\/+$/, '');
}

export async function loadConnection(ctx: PardotContext, authentication: Authentication): Promise<PardotConnection> {
	const type = authentication === 'legacy' ? 'pardotApi' : 'pardotOAuth2Api';
	const credentials = (await ctx.getCredentials(type)) as ICredentialDataDecryptedObject;
	const environment = String(credentials.environment ?? 'production');
	const baseUrl = environment === 'custom' ? trimBaseUrl(String(credentials.baseUrl ?? '')) : HOSTS[environment];
	if (!/^https?:\/\/[^/]+/i.test(baseUrl ?? '')) {
		throw new NodeOperationError(ctx.getNode(), 'The Pardot credential has no valid Base URL', {
			description: 'Set a URL such as https://pi.pardot.com (or the simulator\'s http://127.0.0.1:PORT) in the credential.',
		});
	}
	const timezone = String(credentials.timezone || 'UTC').trim();
	const apiVersion = String(credentials.apiVersion ?? (authentication === 'legacy' ? '4' : '5')) as ApiVersion;
	if (authentication === 'legacy') {
		const legacy = {
			email: String(credentials.username ?? ''),
			password: String(credentials.password ?? ''),
			userKey: String(credentials.userKey ?? ''),
		};
		if (apiVersion === '5') {
			throw new NodeOperationError(ctx.getNode(), 'API v5 needs the Pardot OAuth2 credential', {
				description: 'User-key logins work with API v3 and v4 only.',
			});
		}
		return { authentication, apiVersion, baseUrl, timezone, legacy, secrets: [legacy.password, legacy.userKey] };
	}
	const businessUnitId = String(credentials.businessUnitId ?? '').trim();
	if (!BUSINESS_UNIT_ID.test(businessUnitId)) {
		throw new NodeOperationError(ctx.getNode(), 'The Business Unit ID in the Pardot OAuth2 credential is not valid', {
			description:
				'It has 18 characters and starts with 0Uv. Find it in Salesforce Setup → Account Engagement → Business Unit Setup.',
		});
	}
	if (String(credentials.grantType ?? '') === 'clientCredentials' && !isMyDomainLogin(String(credentials.loginUrl ?? ''))) {
		throw new NodeOperationError(ctx.getNode(), 'The client credentials flow needs your My Domain URL as Salesforce Login URL', {
			description:
				'Salesforce refuses this flow on login.salesforce.com and test.salesforce.com. In the Pardot OAuth2 credential, set Salesforce Login URL to https://<your domain>.my.salesforce.com (Salesforce Setup → My Domain), or use the authorization code grant. Nothing was sent.',
		});
	}
	const token = (credentials.oauthTokenData as IDataObject | undefined) ?? {};
	const secrets = [credentials.clientSecret, token.access_token, token.refresh_token].filter(
		(s): s is string => typeof s === 'string',
	);
	return { authentication, apiVersion, baseUrl, timezone, businessUnitId, secrets, grantType: String(credentials.grantType ?? '') };
}

/** Whether a Login URL names a host Salesforce runs the client credentials flow on (not the generic ones). */
export function isMyDomainLogin(loginUrl: string): boolean {
	const host = /^https?:\/\/(?:[^/@]*@)?([^/:?#]+)/i.exec(loginUrl.trim())?.[1]?.toLowerCase();
	return Boolean(host) && host !== 'login.salesforce.com' && host !== 'test.salesforce.com';
}

/** Adds a value to the connection's secrets (an api_key or bearer token learnt while running). */
export function addSecret(conn: PardotConnection, secret: string | undefined): void {
	if (secret && !conn.secrets.includes(secret)) conn.secrets.push(secret);
}
