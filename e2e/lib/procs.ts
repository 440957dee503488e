/**
 * Every process the e2e suite, the demo or the screenshots script starts goes through here: each runs in its own
 * process group (detached), and all groups are killed when we exit, fail, or get Ctrl-C / SIGTERM.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';

export interface Proc {
	name: string;
	child: ChildProcess;
	exited: Promise<number | null>;
	/** SIGTERM the group, then SIGKILL after graceMs */
	stop(graceMs?: number): Promise<void>;
}

const live = new Set<Proc>();

function killGroup(pid: number | undefined, signal: NodeJS.Signals) {
	if (!pid) return;
	try {
		process.kill(-pid, signal);
	} catch {
		/* already gone */
	}
}

export function start(
	name: string,
	cmd: string,
	args: string[],
	opts: SpawnOptions & { logFile?: string; onLine?: (line: string) => void } = {},
): Proc {
	const { logFile, onLine, ...spawnOpts } = opts;
	const child = spawn(cmd, args, { ...spawnOpts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	const logStream = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
	let buf = '';
	const onData = (d: Buffer) => {
		logStream?.write(d);
		if (onLine) {
			buf += d.toString();
			let i;
			while ((i = buf.indexOf('\n')) >= 0) {
				onLine(buf.slice(0, i));
				buf = buf.slice(i + 1);
			}
		}
	};
	child.stdout!.on('data', onData);
	child.stderr!.on('data', onData);
	const exited = new Promise<number | null>((resolve) => {
		child.on('exit', (code) => {
			live.delete(proc);
			resolve(code);
		});
		child.on('error', (e) => {
			logStream?.write(`spawn error: ${e.message}\n`);
			live.delete(proc);
			resolve(-1);
		});
	});
	const proc: Proc = {
		name,
		child,
		exited,
		async stop(graceMs = 15_000) {
			if (child.exitCode !== null || child.signalCode !== null) return;
			killGroup(child.pid, 'SIGTERM');
			const t = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
			await exited;
			clearTimeout(t);
			// children of the group that outlived the leader
			killGroup(child.pid, 'SIGKILL');
		},
	};
	live.add(proc);
	return proc;
}

/** Run to completion with a timeout (the group is killed on timeout). */
export async function runToEnd(
	name: string,
	cmd: string,
	args: string[],
	opts: SpawnOptions & { timeoutMs: number; logFile?: string },
): Promise<{ code: number | null; output: string }> {
	let output = '';
	const p = start(name, cmd, args, { ...opts, onLine: (l) => (output += l + '\n') });
	let timedOut = false;
	const t = setTimeout(() => {
		timedOut = true;
		void p.stop(2_000);
	}, opts.timeoutMs);
	const code = await p.exited;
	clearTimeout(t);
	if (timedOut) throw new Error(`${name}: timed out after ${opts.timeoutMs / 1000}s: ${cmd} ${args.join(' ')}\n${output.slice(-2000)}`);
	return { code, output };
}

export function killAll() {
	for (const p of live) {
		killGroup(p.child.pid, 'SIGTERM');
	}
	const deadline = Date.now() + 3_000;
	// synchronous best effort: a short busy wait, then SIGKILL whatever is left
	while (Date.now() < deadline && [...live].some((p) => p.child.exitCode === null && isAlive(p.child.pid))) {
		Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
	}
	for (const p of live) killGroup(p.child.pid, 'SIGKILL');
}

export async function stopAll(graceMs = 10_000) {
	await Promise.all([...live].map((p) => p.stop(graceMs)));
}

function isAlive(pid: number | undefined) {
	if (!pid) return false;
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

let installed = false;
/** Kill every started group on exit, on Ctrl-C, on SIGTERM and on an unhandled error. */
export function installCleanup(onSignal?: (signal: string) => void) {
	if (installed) return;
	installed = true;
	process.on('exit', killAll);
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(sig, () => {
			onSignal?.(sig);
			killAll();
			process.exit(130);
		});
	}
	process.on('uncaughtException', (e) => {
		console.error('uncaught exception:', e);
		killAll();
		process.exit(1);
	});
	process.on('unhandledRejection', (e) => {
		console.error('unhandled rejection:', e);
		killAll();
		process.exit(1);
	});
}
