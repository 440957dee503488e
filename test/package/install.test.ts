import fs from 'node:fs';
import path from 'node:path';

import semver from 'semver';

import { ROOT, freshBuild, pack, removeTempDirs, run, tempDir } from './fresh';

afterAll(removeTempDirs);

/**
 * The README's installs without the editor (npm by hand, the release tarball by hand) and examples/Dockerfile,
 * run as written, on the tarball of a fresh build. n8n itself is not started here: the end-to-end suite loads
 * the package into real n8n from its tarball. No container runtime runs here either: the Dockerfile's install
 * and start-up commands are run outside Docker, in folders that stand for the image's.
 */

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const installation = readme.slice(readme.indexOf('## Installation\n'), readme.indexOf('\n## ', readme.indexOf('## Installation\n') + 1));
const e2eVersions = JSON.parse(fs.readFileSync(path.join(ROOT, 'e2e/versions.json'), 'utf8'));

/** The first ```sh block after a heading of the README's Installation section. */
function shellBlock(heading: string): string {
	const at = installation.indexOf(`### ${heading}\n`);
	expect(at).toBeGreaterThanOrEqual(0);
	const block = /```sh\n([\s\S]*?)```/.exec(installation.slice(at))?.[1];
	expect(block).toBeDefined();
	return block as string;
}

/** `sh -e` with HOME in a temporary folder, npm kept off the registry. */
function sh(script: string, options: { cwd: string; home: string; env?: NodeJS.ProcessEnv }) {
	return run('sh', ['-e', '-c', script], {
		cwd: options.cwd,
		env: { ...process.env, HOME: options.home, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', NODE_PATH: '', ...options.env },
	});
}

let tarball: string;
let otherPackage: string;
beforeAll(() => {
	tarball = pack(freshBuild());
	// Another community package, installed later with npm in the same folder.
	const other = tempDir('other');
	fs.writeFileSync(path.join(other, 'package.json'), JSON.stringify({ name: 'n8n-nodes-other', version: '1.0.0' }));
	otherPackage = pack(other);
}, 120_000);

/** Checks a package folder is the release, as n8n's installer leaves it, and that n8n's own n8n-workflow is the one it gets. */
function expectInstalled(dir: string): void {
	const installed = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	expect(installed.version).toBe(pkg.version);
	expect(installed).not.toHaveProperty('peerDependencies');
	expect(installed).not.toHaveProperty('devDependencies');
	for (const file of [...installed.n8n.nodes, ...installed.n8n.credentials]) expect(fs.existsSync(path.join(dir, file))).toBe(true);
	// No private n8n-workflow next to it: at run time require('n8n-workflow') reaches n8n's (n8n adds it to NODE_PATH).
	const resolved = run('node', ['-e', "require.resolve('n8n-workflow')"], { cwd: path.join(dir, 'dist'), env: { ...process.env, NODE_PATH: '' } });
	expect(resolved.status).not.toBe(0);
}

test('the install commands name the current version', () => {
	const named = [...installation.matchAll(/n8n-nodes-pardot(?:@|-|=)(\d+\.\d+\.\d+)/g)].map((m) => m[1]);
	expect(named.length).toBeGreaterThan(5);
	expect(new Set(named)).toEqual(new Set([pkg.version]));
	expect(path.basename(tarball)).toBe(`n8n-nodes-pardot-${pkg.version}.tgz`);
});

test('from npm by hand: no second n8n-workflow, now or at a later npm install in the folder', () => {
	const home = tempDir('home');
	// The README's commands, with the registry package replaced by its tarball (the same file).
	const script = shellBlock('From npm, by hand').replace(`n8n-nodes-pardot@${pkg.version}`, tarball);
	const first = sh(script, { cwd: home, home });
	expect(first.output).not.toMatch(/npm error/);
	expect(first.status).toBe(0);
	const nodes = path.join(home, '.n8n/nodes');
	expect(fs.existsSync(path.join(nodes, 'node_modules/n8n-nodes-pardot/dist'))).toBe(true);
	expect(fs.existsSync(path.join(nodes, 'node_modules/n8n-workflow'))).toBe(false);

	const later = sh(`npm install ${otherPackage}`, { cwd: nodes, home });
	expect(later.status).toBe(0);
	expect(fs.readdirSync(path.join(nodes, 'node_modules')).filter((n) => !n.startsWith('.')).sort()).toEqual(['n8n-nodes-other', 'n8n-nodes-pardot']);
}, 60_000);

describe('from the release tarball by hand', () => {
	const script = () => shellBlock('From the release tarball, without the registry');

	test("leaves what n8n's installer leaves, and a later npm install in the folder keeps it", () => {
		const home = tempDir('home');
		const downloads = tempDir('downloads');
		fs.copyFileSync(tarball, path.join(downloads, path.basename(tarball)));
		const result = sh(script(), { cwd: downloads, home });
		expect(result.output).not.toMatch(/npm error/);
		expect(result.status).toBe(0);

		const nodes = path.join(home, '.n8n/nodes');
		expectInstalled(path.join(nodes, 'node_modules/n8n-nodes-pardot'));
		expect(JSON.parse(fs.readFileSync(path.join(nodes, 'package.json'), 'utf8')).dependencies).toEqual({ 'n8n-nodes-pardot': pkg.version });

		// n8n's manual-install guide runs npm install in this folder for other packages; without the recorded
		// dependency npm would delete the hand-installed folder.
		const later = sh(`npm install ${otherPackage}`, { cwd: nodes, home });
		expect(later.status).toBe(0);
		expectInstalled(path.join(nodes, 'node_modules/n8n-nodes-pardot'));
	}, 60_000);

	test('over an older version: replaces it, files the new version dropped included', () => {
		const home = tempDir('home');
		const old = path.join(home, '.n8n/nodes/node_modules/n8n-nodes-pardot');
		fs.mkdirSync(path.join(old, 'dist'), { recursive: true });
		fs.writeFileSync(path.join(old, 'package.json'), JSON.stringify({ name: 'n8n-nodes-pardot', version: '0.0.1' }));
		fs.writeFileSync(path.join(old, 'dist/removed-in-this-version.js'), '');
		fs.writeFileSync(path.join(home, '.n8n/nodes/package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { 'n8n-nodes-pardot': '0.0.1', 'n8n-nodes-other': '1.0.0' } }));
		const downloads = tempDir('downloads');
		fs.copyFileSync(tarball, path.join(downloads, path.basename(tarball)));

		expect(sh(script(), { cwd: downloads, home }).status).toBe(0);
		expectInstalled(old);
		expect(fs.existsSync(path.join(old, 'dist/removed-in-this-version.js'))).toBe(false);
		expect(JSON.parse(fs.readFileSync(path.join(home, '.n8n/nodes/package.json'), 'utf8')).dependencies).toEqual({ 'n8n-nodes-pardot': pkg.version, 'n8n-nodes-other': '1.0.0' });
	}, 60_000);
});

describe('examples/Dockerfile', () => {
	/** Instructions with their line continuations joined. */
	const instructions = fs
		.readFileSync(path.join(ROOT, 'examples/Dockerfile'), 'utf8')
		.replace(/\\\n/g, ' ')
		.split('\n')
		.filter((line) => line.trim() && !line.trim().startsWith('#'))
		.map((line) => {
			const [, keyword, rest] = /^\s*(\w+)\s+(.*)$/.exec(line) ?? [];
			return { keyword, rest: rest.trim() };
		});
	const all = (keyword: string) => instructions.filter((i) => i.keyword === keyword).map((i) => i.rest);
	const argDefault = (name: string) => [...all('ARG')].map((a) => /^(\w+)=(.*)$/.exec(a)).find((m) => m?.[1] === name)?.[2];
	const runScript = all('RUN')[0];
	const entrypoint: string[] = JSON.parse(all('ENTRYPOINT')[0]);

	test("builds on n8n's official image, by default at an n8n version the end-to-end suite runs", () => {
		expect(instructions[0]).toEqual({ keyword: 'ARG', rest: expect.stringMatching(/^N8N_VERSION=/) });
		expect(all('FROM')).toEqual(['docker.n8n.io/n8nio/n8n:${N8N_VERSION}']);
		const tested = Object.values(e2eVersions.lines).map((line) => (line as { n8n: string }).n8n);
		expect(tested).toContain(argDefault('N8N_VERSION'));
		expect(semver.satisfies(argDefault('N8N_VERSION') as string, pkg.engines.n8n)).toBe(true);
	});

	test('adds the release tarball of the current version, and runs n8n as the image does (user node, its entrypoint)', () => {
		expect(argDefault('PACKAGE_TARBALL')).toBe(path.basename(tarball));
		const text = fs.readFileSync(path.join(ROOT, 'examples/Dockerfile'), 'utf8');
		expect(new Set([...text.matchAll(/n8n-nodes-pardot[@-](\d+\.\d+\.\d+)/g)].map((m) => m[1]))).toEqual(new Set([pkg.version]));
		expect(all('COPY')).toEqual(['${PACKAGE_TARBALL} /tmp/n8n-nodes-pardot.tgz']);
		expect(instructions.filter((i) => i.keyword === 'USER').map((i) => i.rest)).toEqual(['root', 'node']);
		expect(instructions.at(-1)?.keyword).toBe('ENTRYPOINT');
		expect(entrypoint.slice(0, 4)).toEqual(['tini', '--', '/bin/sh', '-c']);
		expect(entrypoint[4]).toMatch(/exec \/docker-entrypoint\.sh "\$@"$/);
	});

	/** The RUN and ENTRYPOINT commands outside Docker: /opt, /tmp and the image's entrypoint mapped to folders here. */
	function simulate(options: { home: string; args: string[]; env?: NodeJS.ProcessEnv }) {
		const image = tempDir('image');
		const opt = path.join(image, 'opt/n8n-nodes-pardot');
		const copied = path.join(image, 'n8n-nodes-pardot.tgz');
		fs.copyFileSync(tarball, copied); // COPY
		const build = sh(runScript.replaceAll('/tmp/n8n-nodes-pardot.tgz', copied).replaceAll('/opt/n8n-nodes-pardot', opt), { cwd: image, home: options.home });
		expect(build.output).not.toMatch(/npm error/);
		expect(build.status).toBe(0);
		expect(fs.existsSync(copied)).toBe(false);
		expectInstalled(opt);

		const original = path.join(image, 'docker-entrypoint.sh');
		fs.writeFileSync(original, '#!/bin/sh\necho "n8n started with: $*"\n', { mode: 0o755 });
		const [, , shell, flag, script, name] = entrypoint;
		const start = run(shell, [flag, script.replaceAll('/opt/n8n-nodes-pardot', opt).replaceAll('/docker-entrypoint.sh', original), name, ...options.args], {
			cwd: image,
			env: { ...process.env, HOME: options.home, N8N_USER_FOLDER: '', ...options.env },
		});
		expect(start.status).toBe(0);
		return start.output;
	}

	test('a worker container: the package lands in the nodes folder, and the entrypoint gets its arguments', () => {
		const home = tempDir('home');
		expect(simulate({ home, args: ['worker', '--concurrency=5'] })).toBe('n8n started with: worker --concurrency=5\n');
		expectInstalled(path.join(home, '.n8n/nodes/node_modules/n8n-nodes-pardot'));
	});

	test("a volume holding another version at ~/.n8n: the image's version replaces it at start", () => {
		const home = tempDir('home');
		const stale = path.join(home, '.n8n/nodes/node_modules/n8n-nodes-pardot');
		fs.mkdirSync(path.join(stale, 'dist'), { recursive: true });
		fs.writeFileSync(path.join(stale, 'package.json'), JSON.stringify({ name: 'n8n-nodes-pardot', version: '0.0.1' }));
		fs.writeFileSync(path.join(stale, 'dist/old.js'), '');
		expect(simulate({ home, args: [] })).toBe('n8n started with: \n');
		expectInstalled(stale);
		expect(fs.existsSync(path.join(stale, 'dist/old.js'))).toBe(false);
	});

	test('N8N_USER_FOLDER set: the package goes where n8n then looks', () => {
		const home = tempDir('home');
		const userFolder = tempDir('n8n-user');
		simulate({ home, args: [], env: { N8N_USER_FOLDER: userFolder } });
		expectInstalled(path.join(userFolder, '.n8n/nodes/node_modules/n8n-nodes-pardot'));
		expect(fs.existsSync(path.join(home, '.n8n'))).toBe(false);
	});
});
