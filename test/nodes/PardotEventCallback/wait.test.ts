import { waitUnlessAborted } from '../../../nodes/PardotEventCallback/wait';

/** The retry wait: a plain wait, cut short by the execution's cancel signal. */

test('waits the given time when nothing aborts it', async () => {
	const started = Date.now();
	await waitUnlessAborted(120, new AbortController().signal);
	expect(Date.now() - started).toBeGreaterThanOrEqual(110);
});

test('waits without a signal (n8n versions without a cancel signal)', async () => {
	const started = Date.now();
	await waitUnlessAborted(50);
	expect(Date.now() - started).toBeGreaterThanOrEqual(40);
});

test('rejects at once when the execution was already cancelled', async () => {
	const controller = new AbortController();
	controller.abort();
	const started = Date.now();
	await expect(waitUnlessAborted(5_000, controller.signal)).rejects.toThrow('cancelled');
	expect(Date.now() - started).toBeLessThan(100);
});

test('rejects as soon as the execution is cancelled during the wait, and lets go of the signal', async () => {
	const controller = new AbortController();
	const started = Date.now();
	const waiting = waitUnlessAborted(1_000, controller.signal);
	await new Promise((resolve) => setTimeout(resolve, 50));
	controller.abort();
	await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
	expect(Date.now() - started).toBeLessThan(500);
});

test('a finished wait leaves no listener behind: a later abort changes nothing', async () => {
	const controller = new AbortController();
	const added: unknown[] = [];
	const removed: unknown[] = [];
	const signal = controller.signal;
	const add = signal.addEventListener.bind(signal);
	const remove = signal.removeEventListener.bind(signal);
	signal.addEventListener = ((type: string, listener: any, options?: any) => {
		added.push(listener);
		add(type, listener, options);
	}) as typeof signal.addEventListener;
	signal.removeEventListener = ((type: string, listener: any, options?: any) => {
		removed.push(listener);
		remove(type, listener, options);
	}) as typeof signal.removeEventListener;
	await waitUnlessAborted(10, signal);
	expect(added).toHaveLength(1);
	expect(removed).toEqual(added);
	controller.abort();
});
