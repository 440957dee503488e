import { sleep } from 'n8n-workflow';

/**
 * Waits `ms` milliseconds, or rejects as soon as `signal` aborts (the execution was cancelled).
 *
 * Our own because the host decides which n8n-workflow we get at runtime: `sleepWithAbort` exists in
 * n8n 1.x's copy but not in n8n 2.41's, while `sleep` exists in every supported line (the host-export
 * test checks this). n8n's lint forbids the timer globals in node code, so the timer is n8n-workflow's
 * `sleep`; on abort we stop waiting for it and let it run out on its own (at most the longest retry
 * delay), which holds nothing else.
 */
export async function waitUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal === undefined) return await sleep(ms);
	if (signal.aborted) throw cancelled();
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(cancelled());
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([sleep(ms), aborted]);
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
	}
}

function cancelled(): Error {
	const error = new Error('The execution was cancelled while waiting to retry');
	error.name = 'AbortError';
	return error;
}
