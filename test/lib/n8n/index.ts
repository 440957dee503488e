/**
 * Test harness: runs this package's nodes in n8n-core's own contexts, over real HTTP.
 *
 * - core.ts: n8n-core's PollContext and ExecuteContext on an n8n-workflow Workflow, with what n8n's
 *   server supplies (credentials helper, container), and a log of the requests they send
 * - credentials.ts: credential defaults and `$self` expressions, the credential store
 * - poll.ts: n8n's poll loop around the PollContext, with static data saved as n8n saves it
 */
export { RequestRecorder, TestExecuteContext, TestPollContext, createAdditionalData, createWorkflow } from './core';
export type { RequestRecord } from './core';
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
