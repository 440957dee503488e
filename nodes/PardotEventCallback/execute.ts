import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import { redact } from '../common/redact';
import { deliver, type DeliveryResult, type Runtime } from './deliver';
import { deliveryError, operationError, redactedNode, timeoutNote } from './errors';
import { checkEvent } from './events';
import { notificationsOf, requestHeadersOf, type IndexedEvent, type Notification } from './notifications';
import { describeBlocked, describeFailure, outputOf, type Failure, type ReportContext } from './report';
import { runInResourceOrder, type JobState } from './schedule';
import { DEFAULTS, resolveSettings, type RawOptions, type Settings } from './settings';
import { SIGNING_CREDENTIAL } from './signature';
import { callbackTransport } from './transport';
import { SECRET_MARK } from './url';
import { waitUnlessAborted } from './wait';

/**
 * One execution: the settings checked (settings.ts), every item checked (events.ts), the events
 * grouped into notifications (notifications.ts), delivered in resource order (schedule.ts, deliver.ts,
 * transport.ts), and one output item per notification (report.ts), in input order.
 */

/** The credential is optional: attached means "sign", absent means "send unsigned". */
export async function signingKeyOf(context: Pick<IExecuteFunctions, 'getCredentials'>, node: INode): Promise<string | undefined> {
	if (!node.credentials?.[SIGNING_CREDENTIAL]) return undefined;
	const { signingKey } = await context.getCredentials<{ signingKey?: unknown }>(SIGNING_CREDENTIAL);
	if (typeof signingKey !== 'string' || signingKey === '') {
		throw operationError(node, 'The Pardot Callback Signing Key credential has no signing key', {
			description: 'Enter the key in the credential, or remove the credential from this node to send unsigned requests.',
		});
	}
	return signingKey;
}

/** An output item and the input item it stands for (output keeps input order). */
interface Placed {
	position: number;
	item: INodeExecutionData;
}

export async function executeCallback(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = context.getNode();
	const items = context.getInputData();
	const continueOnFail = context.continueOnFail();

	const checked = resolveSettings(
		context.getNodeParameter('callbackUrl', 0, ''),
		context.getNodeParameter('batchSize', 0, DEFAULTS.batchSize),
		context.getNodeParameter('options', 0, {}) as RawOptions,
		context.getWorkflow().name,
	);
	if (!checked.ok) throw operationError(redactedNode(node, ''), checked.problem);
	const settings = checked.settings;
	const errorNode = redactedNode(node, settings.target.displayUrl);
	const signingKey = await signingKeyOf(context, errorNode);
	const report: ReportContext = {
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
	const output: Placed[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const event = checkEvent(items[itemIndex].json, settings.payload);
		if (event.ok) {
			events.push({ itemIndex, event: event.event });
			continue;
		}
		const error = operationError(errorNode, `Item ${itemIndex} is not a standardized event: its field "${event.field}" ${event.problem}`, {
			itemIndex,
			description: 'Connect this node to the Pardot Trigger, or shape items as the event format in the README shows.',
		});
		if (!continueOnFail) throw error;
		output.push({ position: itemIndex, item: { json: items[itemIndex].json, error, pairedItem: { item: itemIndex } } });
	}

	const notifications = notificationsOf(events, {
		batchSize: settings.batchSize,
		shape: settings.payload,
		instance: settings.instance,
		idFormat: settings.idFormat,
	});
	const states = await deliverAll(context, notifications, settings, signingKey, continueOnFail);

	const delivered = states.filter((state) => state.state === 'done' && state.result.delivered).length;
	const summary = `${delivered} of ${notifications.length} notifications were delivered.`;
	if (states.some((state) => state.state === 'done' && state.result.cancelled)) {
		throw operationError(errorNode, 'The execution was cancelled while notifications were being delivered', {
			description: `${summary} Run the workflow again to send the rest; receivers can drop copies they already processed by their Elements-Webhook-Id.${timeoutNote(context, settings.retry.maxRetryTimeMs)}`,
		});
	}

	for (const notification of notifications) {
		const state = states[notification.index];
		const failure = failureOf(notification, state, notifications, report);
		if (failure && state.state === 'done') {
			context.logger.warn(`Pardot Event Callback: ${redact(failure.message, report.secrets, SECRET_MARK)}`);
			if (!continueOnFail) {
				const error = deliveryError(errorNode, notification, state.result, failure, report);
				error.description = redact(`${failure.description} ${summary}`, report.secrets, SECRET_MARK);
				throw error;
			}
		}
		if (state.state !== 'notStarted') output.push({ position: notification.itemIndexes[0], item: outputItem(errorNode, notification, state, failure, report) });
	}

	output.sort((a, b) => a.position - b.position);
	return [output.map(({ item }) => item)];
}

/** Sends every notification, a resource's in order, up to Concurrency at once; each one's fate by index. */
async function deliverAll(
	context: IExecuteFunctions,
	notifications: Notification[],
	settings: Settings,
	signingKey: string | undefined,
	continueOnFail: boolean,
): Promise<Array<JobState<DeliveryResult>>> {
	const transport = callbackTransport(context, { timeoutMs: settings.timeoutMs, auth: settings.target.auth });
	const cancelSignal = context.getExecutionCancelSignal?.();
	const runtime: Runtime = {
		now: () => Date.now(),
		sleep: async (ms) => await waitUnlessAborted(ms, cancelSignal),
		random: Math.random,
		onRetry: ({ notificationId, attempt, delayMs, what }) =>
			context.logger.debug(
				`Pardot Event Callback: notification ${notificationId} to ${settings.target.displayUrl} got ${what} on attempt ${attempt}; retrying in ${delayMs} ms`,
			),
	};
	return await runInResourceOrder<DeliveryResult>(
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
}

/** Why a notification was not delivered: it failed, or an earlier one of its resources did. */
function failureOf(notification: Notification, state: JobState<DeliveryResult>, notifications: Notification[], report: ReportContext): Failure | undefined {
	if (state.state === 'blocked') return describeBlocked(notification, notifications[state.by], report);
	if (state.state === 'done' && !state.result.delivered) return describeFailure(notification, state.result, report);
	return undefined;
}

/** A notification's output item, paired with the input items it carried; with Continue On Fail, its error. */
function outputItem(
	errorNode: INode,
	notification: Notification,
	state: JobState<DeliveryResult>,
	failure: Failure | undefined,
	report: ReportContext,
): INodeExecutionData {
	const item: INodeExecutionData = {
		json: outputOf(notification, state, failure, report),
		pairedItem: notification.itemIndexes.map((index) => ({ item: index })),
	};
	if (failure) {
		item.error =
			state.state === 'done'
				? deliveryError(errorNode, notification, state.result, failure, report)
				: operationError(errorNode, failure.message, { description: failure.description });
	}
	return item;
}
