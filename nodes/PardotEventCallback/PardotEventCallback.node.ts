import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IExecuteFunctions,
	type INode,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';

import { keepMessage } from '../common/errors';
import { redact } from '../common/redact';
import { deliver, type DeliveryResult, type Runtime } from './helpers/deliver';
import { checkEvent, notificationsOf, requestHeadersOf, type IndexedEvent, type Notification } from './helpers/events';
import { describeBlocked, describeFailure, outputOf, type Failure, type ReportContext } from './helpers/report';
import { runInResourceOrder, type JobState } from './helpers/schedule';
import { checkSigningKey, DEFAULTS, resolveSettings, type RawOptions } from './helpers/settings';
import { SECRET_MARK } from './helpers/url';
import { waitUnlessAborted } from './helpers/wait';
import { callbackTransport } from './transport';

const CREDENTIAL = 'pardotCallbackSigningApi';

/** The credential is optional: attached means "sign", absent means "send unsigned". */
async function signingKeyOf(context: IExecuteFunctions, node: INode): Promise<string | undefined> {
	if (!node.credentials?.[CREDENTIAL]) return undefined;
	const { signingKey } = await context.getCredentials<{ signingKey?: unknown }>(CREDENTIAL);
	if (typeof signingKey !== 'string' || signingKey === '') {
		throw operationError(node, 'The Pardot Callback Signing Key credential has no signing key', {
			description: 'Enter the key in the credential, or remove the credential from this node to send unsigned requests.',
		});
	}
	return signingKey;
}

function operationError(node: INode, message: string, options: { description?: string; itemIndex?: number } = {}) {
	return keepMessage(new NodeOperationError(node, message, options), message);
}

/**
 * Errors carry the node, and n8n hands it on (error workflows, logs): give them a copy whose
 * Callback URL parameter holds no credentials or query string.
 */
function redactedNode(node: INode, displayUrl: string): INode {
	return { ...node, parameters: { ...node.parameters, callbackUrl: displayUrl } };
}

function deliveryError(node: INode, notification: Notification, result: DeliveryResult, failure: Failure, ctx: ReportContext) {
	const response: JsonObject = {
		notificationId: notification.id,
		url: ctx.displayUrl,
		status: result.status,
		attempts: result.attempts,
	};
	const error = new NodeApiError(node, response, {
		message: failure.message,
		description: failure.description,
		httpCode: result.status === null ? undefined : String(result.status),
	});
	return keepMessage(error, failure.message);
}

/**
 * n8n cancels an execution when it is stopped or when the workflow's own timeout passes. When
 * that timeout is shorter than Max Retry Time, say so: those retries can never be waited out.
 */
function timeoutNote(context: IExecuteFunctions, maxRetryTimeMs: number): string {
	let timeoutSeconds: number | undefined;
	try {
		timeoutSeconds = context.getWorkflowSettings?.().executionTimeout;
	} catch {
		return '';
	}
	if (typeof timeoutSeconds !== 'number' || timeoutSeconds <= 0 || timeoutSeconds * 1000 >= maxRetryTimeMs) return '';
	return ` This workflow times out after ${timeoutSeconds} s, before Max Retry Time (${maxRetryTimeMs} ms) ends: raise the workflow's timeout or lower Max Retry Time.`;
}

export class PardotEventCallback implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pardot Event Callback',
		name: 'pardotEventCallback',
		icon: { light: 'file:pardotEventCallback.svg', dark: 'file:pardotEventCallback.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ "batches of " + $parameter["batchSize"] }}',
		description: 'Deliver Pardot change events to a callback URL, signed and retried, as SAP Open Connectors does',
		defaults: { name: 'Pardot Event Callback' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'pardotCallbackSigningApi',
				required: false,
				// A signing key has nothing remote to test: the node's own check below looks at the
				// key itself (see checkSigningKey), and the receiver verifies it on first delivery.
				testedBy: 'pardotCallbackSigningKeyTest',
			},
		],
		properties: [
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'https://example.com/pardot-events',
				description:
					'Where each notification is POSTed. Only http and https are accepted. A user:password@ part is sent as HTTP Basic authentication and never shown.',
			},
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 1, maxValue: 100 },
				description: 'Events per notification, in input order. Open Connectors sends 10.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Account ID',
						name: 'accountId',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0, numberPrecision: 0 },
						description:
							'Sent as message.accountId, a number, for receivers that read it (Open Connectors\' account ID). 0: not sent.',
					},
					{
						displayName: 'Company ID',
						name: 'companyId',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0, numberPrecision: 0 },
						description:
							'Sent as message.companyId, a number, for receivers that read it (Open Connectors\' company ID). 0: not sent.',
					},
					{
						displayName: 'Concurrency',
						name: 'concurrency',
						type: 'number',
						default: 4,
						typeOptions: { minValue: 1, maxValue: 10 },
						description:
							'How many notifications may be in flight at once. Notifications that share an object type are always sent one after the other, in order.',
					},
					{
						displayName: 'Extra Headers',
						name: 'headers',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						default: {},
						placeholder: 'Add Header',
						description: 'Headers to add to every request, such as an API key the receiver expects',
						options: [
							{
								displayName: 'Header',
								name: 'header',
								values: [
									{
										displayName: 'Name',
										name: 'name',
										type: 'string',
										default: '',
									},
									{
										displayName: 'Value',
										name: 'value',
										type: 'string',
										default: '',
									},
								],
							},
						],
					},
					{
						displayName: 'Instance ID',
						name: 'instanceId',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0, numberPrecision: 0 },
						description:
							'Sent as a number under the key Instance ID Field names, for receivers that read it (the ID of the Open Connectors instance). 0: not sent.',
					},
					{
						displayName: 'Instance ID Field',
						name: 'instanceIdField',
						type: 'options',
						default: 'instanceId',
						description: 'Which key of message carries Instance ID. Receivers model one or the other.',
						options: [
							{ name: 'Camel Case', value: 'instanceId', description: 'Sent as message.instanceId' },
							{ name: 'Snake Case', value: 'instance_id', description: 'Sent as message.instance_id' },
							{ name: 'Both', value: 'both', description: 'Sent as message.instanceId and as message.instance_id' },
						],
					},
					{
						displayName: 'Instance Name',
						name: 'instanceName',
						type: 'string',
						default: '',
						description:
							'Sent as message.instanceName: receivers route and validate on it, so use the name of the Open Connectors instance this replaces. Empty: the name of this workflow.',
					},
					{
						displayName: 'Instance Tags',
						name: 'instanceTags',
						type: 'string',
						default: '',
						placeholder: 'production, pardot',
						description: 'Comma-separated. Sent as message.instanceTags, an array of strings. Not sent unless set.',
					},
					{
						displayName: 'Max Retry Time',
						name: 'maxRetryTime',
						type: 'number',
						default: 120000,
						typeOptions: { minValue: 0, maxValue: 604800000 },
						description:
							'Milliseconds after a notification\'s first attempt when no further retry starts, whatever Retries says. Up to 7 days, where the execution may run that long (see the README).',
					},
					{
						displayName: 'Notification ID Format',
						name: 'notificationIdFormat',
						type: 'options',
						default: 'uuid',
						description:
							'The form of message.eventId, which the webhook ID header repeats. Both forms are stable: the same input gets the same ID.',
						options: [
							{
								name: 'UUID',
								value: 'uuid',
								description: 'A string such as 6f1c2a9e-53b0-8d4e-a1f7-2c9b0e4d8a31',
							},
							{
								name: 'Number',
								value: 'number',
								description:
									'A whole number below 2^53, as Open Connectors\' numeric IDs, for receivers that parse message.eventId as an integer',
							},
						],
					},
					{
						displayName: 'Payload',
						name: 'payload',
						type: 'options',
						default: 'envelope',
						description: 'What the body of each request holds',
						options: [
							{
								name: 'Envelope (Open Connectors)',
								value: 'envelope',
								description:
									'The message envelope as Open Connectors sent it: one object type per notification, raw.objectType and the records under the resource\'s name',
							},
							{
								name: 'Envelope, Object Types Mixed',
								value: 'envelopeMixed',
								description:
									'The envelope as the pre-release builds of this node sent it: batches in input order, object types together, raw without objectType',
							},
							{
								name: 'Events Array',
								value: 'events',
								description: 'Only the events, each whole (with eventId and raw), as a JSON array',
							},
						],
					},
					{
						displayName: 'Retries',
						name: 'retries',
						type: 'number',
						default: 5,
						typeOptions: { minValue: 0, maxValue: 10 },
						description:
							'Further attempts after a timeout, a connection error, HTTP 408, 429 or 5xx. Other answers are not retried.',
					},
					{
						displayName: 'Retry Base Delay',
						name: 'retryBaseDelay',
						type: 'number',
						default: 1000,
						typeOptions: { minValue: 0, maxValue: 86400000 },
						description:
							'Milliseconds. Retry n waits between half and all of this times 2^(n-1), at random, unless the receiver sends Retry-After.',
					},
					{
						displayName: 'Retry Max Delay',
						name: 'retryMaxDelay',
						type: 'number',
						default: 30000,
						typeOptions: { minValue: 0, maxValue: 86400000 },
						description:
							'Milliseconds, up to one day. No single wait is longer, even when the receiver\'s Retry-After asks for more.',
					},
					{
						displayName: 'Success Status Codes',
						name: 'successStatusCodes',
						type: 'string',
						default: '200-299',
						placeholder: '200',
						description:
							'Answers that count as delivered: 2xx codes and ranges, comma-separated. Any other 2xx fails the notification at once, with its status in the output. Example: 200 for a receiver that answers 203 to an instance it does not know.',
					},
					{
						displayName: 'Timeout',
						name: 'timeout',
						type: 'number',
						default: 10000,
						typeOptions: { minValue: 1, maxValue: 3600000 },
						description: 'Milliseconds one attempt may take, from sending the request to the end of the receiver\'s answer',
					},
					{
						displayName: 'User ID',
						name: 'userId',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0, numberPrecision: 0 },
						description:
							'Sent as message.userId, a number, for receivers that read it (Open Connectors\' user ID). 0: not sent.',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			async pardotCallbackSigningKeyTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return checkSigningKey(credential.data?.signingKey);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const node = this.getNode();
		const items = this.getInputData();
		const continueOnFail = this.continueOnFail();

		const checked = resolveSettings(
			this.getNodeParameter('callbackUrl', 0, ''),
			this.getNodeParameter('batchSize', 0, DEFAULTS.batchSize),
			this.getNodeParameter('options', 0, {}) as RawOptions,
			this.getWorkflow().name,
		);
		if (!checked.ok) throw operationError(redactedNode(node, ''), checked.problem);
		const settings = checked.settings;
		const errorNode = redactedNode(node, settings.target.displayUrl);
		const signingKey = await signingKeyOf(this, errorNode);
		const ctx: ReportContext = {
			displayUrl: settings.target.displayUrl,
			timeoutMs: settings.timeoutMs,
			maxRetryTimeMs: settings.retry.maxRetryTimeMs,
			successStatuses: settings.successStatuses,
			// Everything the node sends that may be secret: the URL's credentials and query values, the signing key,
			// every Extra Headers value (README: the place for an API key). A receiver may echo any of them back.
			secrets: [...settings.target.secrets, ...Object.values(settings.headers), ...(signingKey === undefined ? [] : [signingKey])],
		};

		// Every item is checked before anything is sent.
		const events: IndexedEvent[] = [];
		const output: Array<{ position: number; item: INodeExecutionData }> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const event = checkEvent(items[itemIndex].json, settings.payload);
			if (event.ok) {
				events.push({ itemIndex, event: event.event });
				continue;
			}
			const error = operationError(
				errorNode,
				`Item ${itemIndex} is not a standardized event: its field "${event.field}" ${event.problem}`,
				{
					itemIndex,
					description: 'Connect this node to the Pardot Trigger, or shape items as the event format in the README shows.',
				},
			);
			if (!continueOnFail) throw error;
			output.push({ position: itemIndex, item: { json: items[itemIndex].json, error, pairedItem: { item: itemIndex } } });
		}

		const notifications = notificationsOf(events, {
			batchSize: settings.batchSize,
			shape: settings.payload,
			instance: settings.instance,
			idFormat: settings.idFormat,
		});
		const transport = callbackTransport(this, { timeoutMs: settings.timeoutMs, auth: settings.target.auth });
		const cancelSignal = this.getExecutionCancelSignal?.();
		const runtime: Runtime = {
			now: () => Date.now(),
			sleep: async (ms) => await waitUnlessAborted(ms, cancelSignal),
			random: Math.random,
			onRetry: ({ notificationId, attempt, delayMs, what }) =>
				this.logger.debug(
					`Pardot Event Callback: notification ${notificationId} to ${ctx.displayUrl} got ${what} on attempt ${attempt}; retrying in ${delayMs} ms`,
				),
		};

		const states = await runInResourceOrder<DeliveryResult>(
			notifications.map((notification) => notification.objectTypes),
			{
				concurrency: settings.concurrency,
				succeeded: (result) => result.delivered,
				stops: (result) => result.cancelled || (!result.delivered && !continueOnFail),
			},
			async (index) => {
				const { id, body } = notifications[index];
				const headers = requestHeadersOf(id, body, signingKey, settings.headers);
				const request = { url: settings.target.requestUrl, headers, body };
				return await deliver(id, request, settings.retry, transport, runtime, settings.successStatuses);
			},
		);

		const delivered = states.filter((state) => state.state === 'done' && state.result.delivered).length;
		const summary = `${delivered} of ${notifications.length} notifications were delivered.`;
		const failureOf = (notification: Notification, state: JobState<DeliveryResult>): Failure | undefined => {
			if (state.state === 'blocked') return describeBlocked(notification, notifications[state.by], ctx);
			if (state.state === 'done' && !state.result.delivered) return describeFailure(notification, state.result, ctx);
			return undefined;
		};

		if (states.some((state) => state.state === 'done' && state.result.cancelled)) {
			throw operationError(errorNode, 'The execution was cancelled while notifications were being delivered', {
				description: `${summary} Run the workflow again to send the rest; receivers can drop copies they already processed by their Elements-Webhook-Id.${timeoutNote(this, settings.retry.maxRetryTimeMs)}`,
			});
		}

		notifications.forEach((notification, index) => {
			const state = states[index];
			const failure = failureOf(notification, state);
			if (failure && state.state === 'done') this.logger.warn(`Pardot Event Callback: ${redact(failure.message, ctx.secrets, SECRET_MARK)}`);
			if (failure && !continueOnFail && state.state === 'done') {
				const error = deliveryError(errorNode, notification, state.result, failure, ctx);
				error.description = redact(`${failure.description} ${summary}`, ctx.secrets, SECRET_MARK);
				throw error;
			}
			if (state.state === 'notStarted') return;
			const json = outputOf(notification, state, failure, ctx);
			const item: INodeExecutionData = {
				json,
				pairedItem: notification.itemIndexes.map((item) => ({ item })),
			};
			if (failure) {
				item.error =
					state.state === 'done'
						? deliveryError(errorNode, notification, state.result, failure, ctx)
						: operationError(errorNode, failure.message, { description: failure.description });
			}
			output.push({ position: notification.itemIndexes[0], item });
		});

		output.sort((a, b) => a.position - b.position);
		return [output.map(({ item }) => item)];
	}
}
