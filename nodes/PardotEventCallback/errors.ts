import { NodeApiError, NodeOperationError, type IExecuteFunctions, type INode, type JsonObject } from 'n8n-workflow';

import { keepMessage } from '../common/errors';
import type { DeliveryResult } from './deliver';
import type { Notification } from './notifications';
import type { Failure, ReportContext } from './report';

/**
 * The errors the callback throws, or puts on an output item with Continue On Fail: the node they
 * carry holds no secret of the Callback URL, and their message is the node's own (keepMessage).
 */

export function operationError(node: INode, message: string, options: { description?: string; itemIndex?: number } = {}) {
	return keepMessage(new NodeOperationError(node, message, options), message);
}

/**
 * Errors carry the node, and n8n hands it on (error workflows, logs): give them a copy whose
 * Callback URL parameter holds no credentials or query string.
 */
export function redactedNode(node: INode, displayUrl: string): INode {
	return { ...node, parameters: { ...node.parameters, callbackUrl: displayUrl } };
}

export function deliveryError(node: INode, notification: Notification, result: DeliveryResult, failure: Failure, ctx: ReportContext) {
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
export function timeoutNote(context: Pick<IExecuteFunctions, 'getWorkflowSettings'>, maxRetryTimeMs: number): string {
	let timeoutSeconds: number | undefined;
	try {
		timeoutSeconds = context.getWorkflowSettings?.().executionTimeout;
	} catch {
		return '';
	}
	if (typeof timeoutSeconds !== 'number' || timeoutSeconds <= 0 || timeoutSeconds * 1000 >= maxRetryTimeMs) return '';
	return ` This workflow times out after ${timeoutSeconds} s, before Max Retry Time (${maxRetryTimeMs} ms) ends: raise the workflow's timeout or lower Max Retry Time.`;
}
