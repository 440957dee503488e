/**
 * Credentials as n8n hands them to a node: the user's data with the credential type's defaults
 * filled in, hidden fields dropped by their displayOptions, and `=` expressions resolved with
 * `$self` = that data (n8n: packages/cli/src/credentials-helper.ts, `getCredentialsProperties` and
 * `applyDefaultsAndOverwrites`, which call NodeHelpers.getNodeParameters and then
 * `expression.getComplexParameterValue(..., selfData = the data)`).
 *
 * A type that `extends: ['oAuth2Api']` gets oAuth2Api's properties first, its own properties
 * replacing those of the same name (NodeHelpers.mergeNodeProperties; properties marked
 * `doNotInherit` are not inherited). oAuth2Api also carries an `oauthTokenData` json property with
 * default `{}`: an OAuth2 credential that was never connected therefore arrives with
 * `oauthTokenData: {}`, not undefined.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeCredentials,
	INodeParameters,
	INodeProperties,
	INodeTypes,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, deepCopy } from 'n8n-workflow';

import { PardotApi } from '../../../credentials/PardotApi.credentials';
import { PardotCallbackSigningApi } from '../../../credentials/PardotCallbackSigningApi.credentials';
import { PardotOAuth2Api } from '../../../credentials/PardotOAuth2Api.credentials';

/**
 * The parts of n8n-nodes-base's oAuth2Api properties that matter to a type extending it (names,
 * types, defaults, the displayOptions that drop fields). Written for the harness, not copied.
 */
export const OAUTH2_API_BASE_PROPERTIES: INodeProperties[] = [
	{ displayName: 'Use Dynamic Client Registration', name: 'useDynamicClientRegistration', type: 'hidden', default: false },
	{
		displayName: 'Grant Type',
		name: 'grantType',
		type: 'options',
		options: [
			{ name: 'Authorization Code', value: 'authorizationCode' },
			{ name: 'Client Credentials', value: 'clientCredentials' },
			{ name: 'PKCE', value: 'pkce' },
		],
		default: 'authorizationCode',
	},
	{
		displayName: 'Authorization URL',
		name: 'authUrl',
		type: 'string',
		default: '',
		displayOptions: { show: { grantType: ['authorizationCode', 'pkce'] } },
	},
	{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'string', default: '' },
	{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
	{ displayName: 'Client Secret', name: 'clientSecret', type: 'string', typeOptions: { password: true }, default: '' },
	{ displayName: 'Scope', name: 'scope', type: 'string', default: '' },
	{
		displayName: 'Auth URI Query Parameters',
		name: 'authQueryParameters',
		type: 'string',
		default: '',
		displayOptions: { show: { grantType: ['authorizationCode', 'pkce'] } },
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'Body', value: 'body' },
			{ name: 'Header', value: 'header' },
		],
		default: 'header',
	},
	{
		displayName: 'Send Additional Body Properties',
		name: 'sendAdditionalBodyProperties',
		type: 'boolean',
		default: false,
		displayOptions: { show: { grantType: ['clientCredentials'], authentication: ['body'] } },
	},
	{
		displayName: 'Additional Body Properties',
		name: 'additionalBodyProperties',
		type: 'json',
		default: '',
		displayOptions: {
			show: { grantType: ['clientCredentials'], authentication: ['body'], sendAdditionalBodyProperties: [true] },
		},
	},
	{ displayName: 'Ignore SSL Issues', name: 'ignoreSSLIssues', type: 'boolean', default: false, doNotInherit: true },
	{ displayName: 'Token Expired Status Code', name: 'tokenExpiredStatusCode', type: 'number', default: 401, doNotInherit: true },
	{ displayName: 'oauthTokenData', name: 'oauthTokenData', type: 'json', required: false, default: {} },
];

/** The credential types the harness knows by name. */
export const KNOWN_CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	pardotApi: new PardotApi(),
	pardotOAuth2Api: new PardotOAuth2Api(),
	pardotCallbackSigningApi: new PardotCallbackSigningApi(),
};

/** Parent types of a credential type (n8n's CredentialTypes.getParentTypes). */
export function credentialParentTypes(credentialType: ICredentialType | undefined): string[] {
	const parents: string[] = [];
	for (const parent of credentialType?.extends ?? []) {
		parents.push(parent, ...credentialParentTypes(KNOWN_CREDENTIAL_TYPES[parent]));
	}
	return parents;
}

/** All properties of a credential type, parents' first (n8n's getCredentialsProperties). */
export function credentialProperties(credentialType: ICredentialType): INodeProperties[] {
	if (!credentialType.extends) return credentialType.properties;
	const combined: INodeProperties[] = [];
	for (const parent of credentialType.extends) {
		const parentProps =
			parent === 'oAuth2Api'
				? OAUTH2_API_BASE_PROPERTIES
				: KNOWN_CREDENTIAL_TYPES[parent]
					? credentialProperties(KNOWN_CREDENTIAL_TYPES[parent])
					: [];
		NodeHelpers.mergeNodeProperties(combined, parentProps);
	}
	NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
	return combined;
}

// ------------------------------------------------------------------ expressions

/** The node n8n's CredentialsHelper resolves credential expressions on (it names none). */
const MOCK_NODE: INode = { id: 'mock', name: '', type: 'mock', typeVersion: 1, position: [0, 0], parameters: {} };
const MOCK_NODE_TYPES = {
	getByName: () => ({ description: { properties: [] } }),
	getByNameAndVersion: () => ({ description: { properties: [] } }),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

/**
 * Resolves every `=` expression in `value` with n8n-workflow's own expression engine, `$self`
 * being `self` (n8n: CredentialsHelper.applyDefaultsAndOverwrites without an execution).
 */
export function evaluateExpression(value: unknown, self: IDataObject): unknown {
	const workflow = new Workflow({ nodes: [MOCK_NODE], connections: {}, active: false, nodeTypes: MOCK_NODE_TYPES });
	return workflow.expression.getComplexParameterValue(MOCK_NODE, value as INodeParameters, 'internal', {}, undefined, undefined, self);
}

/**
 * What `getCredentials(type)` returns for a credential of this class holding `userData`:
 * defaults filled in (displayOptions applied), `oauthTokenData` carried over, then every `=`
 * expression resolved with `$self` = the data before resolution.
 */
export function resolveCredentials(
	credentialType: ICredentialType,
	userData: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	const properties = credentialProperties(credentialType);
	const withDefaults = (NodeHelpers.getNodeParameters(
		properties,
		deepCopy(userData) as INodeParameters,
		true,
		false,
		null,
		null,
	) ?? {}) as ICredentialDataDecryptedObject;
	if (userData.oauthTokenData !== undefined) withDefaults.oauthTokenData = deepCopy(userData.oauthTokenData);
	return evaluateExpression(withDefaults, withDefaults) as ICredentialDataDecryptedObject;
}

// ------------------------------------------------------------------ the store

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	/** What the user entered, plus `oauthTokenData` as n8n stores it: unresolved. */
	data: ICredentialDataDecryptedObject;
}

export interface TokenWrite {
	type: string;
	oauthTokenData: IDataObject;
}

/**
 * The credentials of one n8n instance, by type (one credential per type is enough here).
 * `getDecrypted` answers like n8n's getCredentials: a fresh, resolved copy every call.
 * `updateOauthTokenData` is what n8n's updateCredentialsOauthTokenData does: only the token changes.
 */
export class CredentialStore {
	private readonly records = new Map<string, StoredCredential>();

	private readonly classes = new Map<string, ICredentialType>(Object.entries(KNOWN_CREDENTIAL_TYPES));

	/** Every token written back (fetched or refreshed), in order. */
	readonly tokenWrites: TokenWrite[] = [];

	constructor(initial: Record<string, ICredentialDataDecryptedObject> = {}) {
		for (const [type, data] of Object.entries(initial)) this.set(type, data);
	}

	/** Stores (or replaces) the credential of this type. */
	set(type: string, data: ICredentialDataDecryptedObject, meta: { id?: string; name?: string } = {}): this {
		const id = meta.id ?? this.records.get(type)?.id ?? `cred-${type}`;
		const name = meta.name ?? this.records.get(type)?.name ?? `${type} account`;
		this.records.set(type, { id, name, type, data: deepCopy(data) });
		return this;
	}

	/** Registers a credential class so its defaults and expressions apply. */
	registerType(credentialType: ICredentialType): this {
		this.classes.set(credentialType.name, credentialType);
		return this;
	}

	credentialType(type: string): ICredentialType | undefined {
		return this.classes.get(type);
	}

	has(type: string): boolean {
		return this.records.has(type);
	}

	types(): string[] {
		return [...this.records.keys()];
	}

	record(type: string): StoredCredential | undefined {
		const record = this.records.get(type);
		return record ? { ...record, data: deepCopy(record.data) } : undefined;
	}

	/** The stored, unresolved data (a copy). */
	raw(type: string): ICredentialDataDecryptedObject | undefined {
		const record = this.records.get(type);
		return record ? deepCopy(record.data) : undefined;
	}

	/** What a node's getCredentials(type) returns; undefined when no such credential is stored. */
	getDecrypted(type: string): ICredentialDataDecryptedObject | undefined {
		const record = this.records.get(type);
		if (!record) return undefined;
		const credentialType = this.classes.get(type);
		return credentialType ? resolveCredentials(credentialType, record.data) : deepCopy(record.data);
	}

	parentTypes(type: string): string[] {
		return credentialParentTypes(this.classes.get(type));
	}

	updateOauthTokenData(type: string, oauthTokenData: IDataObject): void {
		const record = this.records.get(type);
		if (!record) throw new Error(`harness: no credential of type "${type}" to update`);
		record.data = { ...record.data, oauthTokenData: deepCopy(oauthTokenData) };
		this.tokenWrites.push({ type, oauthTokenData: deepCopy(oauthTokenData) });
	}

	/** `node.credentials` for a node using every stored credential. */
	nodeCredentials(): INodeCredentials {
		const out: INodeCredentials = {};
		for (const record of this.records.values()) out[record.type] = { id: record.id, name: record.name };
		return out;
	}
}
