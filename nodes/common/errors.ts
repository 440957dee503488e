/**
 * n8n rewrites an error message that merely contains a network error code (a host named
 * "econnreset.example" would do, or "Nothing is listening at ... (ECONNREFUSED)") into a generic
 * sentence without the host. Both nodes' messages already say what happened: keep them.
 */
export function keepMessage<E extends Error>(error: E, message: string): E {
	error.message = message;
	return error;
}
