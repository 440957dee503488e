import type { INodeProperties } from 'n8n-workflow';

import { DEFAULTS, LIMITS } from './settings';

// By name: n8n's lint rules take a default they cannot evaluate from a plain name only.
const {
	batchSize,
	concurrency,
	instanceIdField,
	maxRetryTimeMs,
	notificationIdFormat,
	payload,
	retries,
	retryBaseDelayMs,
	retryMaxDelayMs,
	successStatusCodes,
	timeoutMs,
} = DEFAULTS;

/**
 * The Pardot Event Callback's parameters as n8n's editor shows them; their defaults and bounds are
 * the settings' own (settings.ts), which check every value again (expressions bypass the editor).
 */
export function callbackProperties(): INodeProperties[] {
	return [
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
			default: batchSize,
			typeOptions: { minValue: LIMITS.batchSize.min, maxValue: LIMITS.batchSize.max },
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
					default: concurrency,
					typeOptions: { minValue: LIMITS.concurrency.min, maxValue: LIMITS.concurrency.max },
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
					default: instanceIdField,
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
					default: maxRetryTimeMs,
					typeOptions: { minValue: LIMITS.maxRetryTimeMs.min, maxValue: LIMITS.maxRetryTimeMs.max },
					description:
						'Milliseconds after a notification\'s first attempt when no further retry starts, whatever Retries says. Up to 7 days, where the execution may run that long (see the README).',
				},
				{
					displayName: 'Notification ID Format',
					name: 'notificationIdFormat',
					type: 'options',
					default: notificationIdFormat,
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
					default: payload,
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
					default: retries,
					typeOptions: { minValue: LIMITS.retries.min, maxValue: LIMITS.retries.max },
					description:
						'Further attempts after a timeout, a connection error, HTTP 408, 429 or 5xx. Other answers are not retried.',
				},
				{
					displayName: 'Retry Base Delay',
					name: 'retryBaseDelay',
					type: 'number',
					default: retryBaseDelayMs,
					typeOptions: { minValue: LIMITS.delayMs.min, maxValue: LIMITS.delayMs.max },
					description:
						'Milliseconds. Retry n waits between half and all of this times 2^(n-1), at random, unless the receiver sends Retry-After.',
				},
				{
					displayName: 'Retry Max Delay',
					name: 'retryMaxDelay',
					type: 'number',
					default: retryMaxDelayMs,
					typeOptions: { minValue: LIMITS.delayMs.min, maxValue: LIMITS.delayMs.max },
					description:
						'Milliseconds, up to one day. No single wait is longer, even when the receiver\'s Retry-After asks for more.',
				},
				{
					displayName: 'Success Status Codes',
					name: 'successStatusCodes',
					type: 'string',
					default: successStatusCodes,
					placeholder: '200',
					description:
						'Answers that count as delivered: 2xx codes and ranges, comma-separated. Any other 2xx fails the notification at once, with its status in the output. Example: 200 for a receiver that answers 203 to an instance it does not know.',
				},
				{
					displayName: 'Timeout',
					name: 'timeout',
					type: 'number',
					default: timeoutMs,
					typeOptions: { minValue: LIMITS.timeoutMs.min, maxValue: LIMITS.timeoutMs.max },
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
	];
}
