/**
 * Test harness: runs n8n nodes' poll() the way n8n does, over real HTTP.
 *
 * - http.ts: helpers.httpRequest (n8n-core http-request.ts + axios semantics)
 * - auth.ts: helpers.httpRequestWithAuthentication (n8n-core authentication.ts / oauth.ts)
 * - credentials.ts: credential defaults and `$self` expressions, the credential store
 * - poll.ts: the poll context and n8n's poll loop with static data saved as JSON
 * Each file's header says what was read in n8n's source and what is mirrored.
 */
export {
	AxiosError,
	CanceledError,
	N8N_DEFAULT_TIMEOUT_MS,
	Transport,
	buildRequestUrl,
	createHttpRequest,
	stringifyQuery,
	urlencodeBody,
} from './http';
export type { AxiosLikeResponse, HarnessRequestConfig, HttpRequestFn, RequestRecord } from './http';
export { OAuth2AuthError, OAuth2ResponseError, SUPPORTED_AUTH_TYPES, createHttpRequestWithAuthentication } from './auth';
export {
	CredentialStore,
	KNOWN_CREDENTIAL_TYPES,
	OAUTH2_API_BASE_PROPERTIES,
	credentialProperties,
	evaluateExpression,
	resolveCredentials,
} from './credentials';
export type { StoredCredential, TokenWrite } from './credentials';
export {
	HarnessLogger,
	PollRunner,
	buildNode,
	createHttpHelpers,
	createPollContext,
	loadStaticData,
	nodeProperties,
	runPoll,
} from './poll';
export type {
	HarnessExtras,
	HarnessPollContext,
	HttpHelpers,
	HttpHelpersOptions,
	LogEntry,
	NodeOptions,
	PollContextOptions,
	PollOutcome,
	PollRunnerOptions,
	RunPollResult,
} from './poll';
