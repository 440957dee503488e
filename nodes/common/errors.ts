import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * n8n rewrites an error message that merely contains a network error code (a host named
 * "econnreset.example" would do, or "Nothing is listening at ... (ECONNREFUSED)") into a generic
 * sentence without the host. Both nodes' messages already say what happened: keep them.
 */
export function keepMessage<E extends Error>(error: E, message: string): E {
	error.message = message;
	return error;
}

/** An error as a node throws it: n8n's own error classes as they are, anything else wrapped for `node`. */
export function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error);
}
