/**
 * Our package, as users get it: the `npm pack` tarball, installed into an n8n user folder the way n8n's own
 * community-package installer does it (n8n 2.41: CommunityPackagesService.downloadPackage):
 *   1. extract the tarball into <user folder>/.n8n/nodes/node_modules/n8n-nodes-pardot;
 *   2. drop devDependencies, peerDependencies and optionalDependencies from that copy's package.json;
 *   3. `npm install --install-strategy=shallow --ignore-scripts --package-lock=false` inside it;
 *   4. record it in <user folder>/.n8n/nodes/package.json, the ledger n8n keeps.
 * Never a symlink to this repository: Node would then resolve `n8n-workflow` from our own node_modules (our
 * devDependency) instead of the host n8n's copy, which is what users' installs get.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './install';
import { runToEnd } from './procs';

export const PACKAGE_NAME = 'n8n-nodes-pardot';

export interface Tarball {
	/** the tarball, in a temporary folder of its own (removeTarball deletes both) */
	file: string;
	name: string;
	version: string;
	sha1: string;
	bytes: number;
	/** "n8n-nodes-pardot-0.1.0.tgz (12.3 kB, sha1 0123abcd)" */
	describe: string;
}

/** `npm pack` of the built package (dist/ must be there) into a temporary folder. */
export async function packPackage(): Promise<Tarball> {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist'))) throw new Error('dist/ is missing: run npm run build');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-pardot-pack-'));
	const r = await runToEnd('npm pack', 'npm', ['pack', '--json', '--pack-destination', dir, '--loglevel=error'], {
		cwd: REPO_ROOT,
		timeoutMs: 120_000,
	});
	if (r.code !== 0) throw new Error(`npm pack failed:\n${r.output.slice(-2000)}`);
	const info = JSON.parse(r.output.slice(r.output.indexOf('['))) as Array<{ filename: string; name: string; version: string }>;
	const file = path.join(dir, info[0].filename);
	const bytes = fs.statSync(file).size;
	const sha1 = createHash('sha1').update(fs.readFileSync(file)).digest('hex');
	return {
		file,
		name: info[0].name,
		version: info[0].version,
		sha1,
		bytes,
		describe: `${path.basename(file)} (${(bytes / 1024).toFixed(1)} kB, sha1 ${sha1.slice(0, 12)})`,
	};
}

export function removeTarball(tarball: Tarball) {
	fs.rmSync(path.dirname(tarball.file), { recursive: true, force: true });
}

/** Where n8n loads community packages from, for a given N8N_USER_FOLDER. */
export function nodesDir(userFolder: string) {
	return path.join(userFolder, '.n8n', 'nodes');
}

/** Install the tarball into an n8n user folder exactly as n8n's installer does (see the top of this file). */
export async function installPackage(userFolder: string, tarball: Tarball, env: NodeJS.ProcessEnv = process.env) {
	const nodes = nodesDir(userFolder);
	const target = path.join(nodes, 'node_modules', tarball.name);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	const untar = await runToEnd('tar', 'tar', ['-xzf', tarball.file, '-C', target, '--strip-components=1'], { cwd: nodes, timeoutMs: 60_000 });
	if (untar.code !== 0) throw new Error(`tar -xzf ${tarball.file} failed: ${untar.output}`);

	const pkgPath = path.join(target, 'package.json');
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
	fs.writeFileSync(pkgPath, JSON.stringify(pkg, null, 2), 'utf8');

	const npm = await runToEnd(
		'npm install (package)',
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
		{ cwd: target, env: { ...env, npm_config_update_notifier: 'false' }, timeoutMs: 180_000 },
	);
	if (npm.code !== 0) throw new Error(`npm install in ${target} failed:\n${npm.output.slice(-2000)}`);

	const ledgerPath = path.join(nodes, 'package.json');
	const ledger = fs.existsSync(ledgerPath)
		? JSON.parse(fs.readFileSync(ledgerPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	ledger.dependencies = { ...(ledger.dependencies ?? {}), [tarball.name]: tarball.version };
	fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
	return target;
}

/**
 * What the installed copy will get at runtime: it ships no node_modules of its own with n8n-workflow or luxon
 * (so `require` falls through to the host n8n's module paths), and those are the versions e2e/versions.json pins
 * for this line's host (the same pins the host-export test in `npm test` checks against).
 */
export function checkHostModules(installedDir: string, n8nDir: string, pinned: Record<string, string>): string[] {
	const problems: string[] = [];
	for (const [mod, version] of Object.entries(pinned)) {
		const own = path.join(installedDir, 'node_modules', mod);
		if (fs.existsSync(own)) problems.push(`the installed package has its own ${mod} (${own}); n8n's would not be used`);
		const hostPkg = path.join(n8nDir, 'node_modules', mod, 'package.json');
		const hostVersion = fs.existsSync(hostPkg) ? JSON.parse(fs.readFileSync(hostPkg, 'utf8')).version : 'missing';
		if (hostVersion !== version) problems.push(`host ${mod} is ${hostVersion}, e2e/versions.json pins ${version}`);
		const declared = JSON.parse(fs.readFileSync(path.join(n8nDir, 'node_modules', 'n8n', 'package.json'), 'utf8')).dependencies?.[mod];
		if (declared !== version) problems.push(`n8n declares ${mod} ${declared}, e2e/versions.json pins ${version}`);
	}
	return problems;
}
