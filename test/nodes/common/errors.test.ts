/** The errors both nodes throw (errors.ts): n8n's own classes, with the node's own message. */
import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError, keepMessage } from '../../../nodes/common/errors';

const node = { name: 'Pardot', type: 'n8n-nodes-pardot.pardotTrigger', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;

test('n8n\'s own errors pass as they are; anything else becomes a NodeOperationError of the node', () => {
	const api = new NodeApiError(node, { message: 'Pardot said no' });
	const operation = new NodeOperationError(node, 'Select a resource');
	expect(asNodeError(node, api)).toBe(api);
	expect(asNodeError(node, operation)).toBe(operation);
	const wrapped = asNodeError(node, new Error('socket hang up'));
	expect(wrapped).toBeInstanceOf(NodeOperationError);
	expect(wrapped.message).toBe('socket hang up');
	expect(wrapped.node).toBe(node);
});

test('keepMessage puts back a message that names a network code', () => {
	const message = 'Nothing is listening at http://econnrefused.example (ECONNREFUSED)';
	const error = keepMessage(new NodeOperationError(node, message), message);
	expect(error.message).toBe(message);
});
