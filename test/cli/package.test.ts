/**
 * The migration command as users get it: its own npm package (cli/), packed, installed from the tarball, run
 * through its bin. And why it is its own package: n8n's community-package scanner refuses the command's code inside
 * n8n-nodes-pardot's tarball.
 */
import fs from 'node:fs';
import path from 'node:path';

import { ROOT, freshBuild, pack, removeTempDirs, run, tempDir } from '../package/fresh';
import { instance } from './fixtures';

afterAll(removeTempDirs);

const CLI_INPUTS = ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'src'];

/** cli/ copied with the root tsconfig it extends, built with this repository's TypeScript. */
function builtCli(): string {
	const root = tempDir('cli-build');
	fs.copyFileSync(path.join(ROOT, 'tsconfig.json'), path.join(root, 'tsconfig.json'));
	fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
	const cli = path.join(root, 'cli');
	for (const entry of CLI_INPUTS) fs.cpSync(path.join(ROOT, 'cli', entry), path.join(cli, entry), { recursive: true });
	const r = run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(cli, 'tsconfig.json')]);
	expect(r.output).toBe('');
	expect(r.status).toBe(0);
	return cli;
}

let cli: string;
beforeAll(() => {
	cli = builtCli();
}, 120_000);

test('the tarball holds the compiled command, its README and licence; no dependencies; the bin is a node script', () => {
	const tgz = pack(cli);
	const listing = run('tar', ['-tzf', tgz]).output.trim().split('\n').sort();
	expect(listing).toEqual(['package/LICENSE', 'package/README.md', 'package/dist/cli.js', 'package/dist/instance.js', 'package/dist/n8n-api.js', 'package/dist/workflow.js', 'package/package.json']);
	const pkg = JSON.parse(fs.readFileSync(path.join(cli, 'package.json'), 'utf8'));
	expect(pkg.dependencies ?? {}).toEqual({});
	expect(pkg.bin).toEqual({ 'n8n-nodes-pardot-migrate': 'dist/cli.js' });
	expect(fs.readFileSync(path.join(cli, 'dist/cli.js'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
}, 60_000);

test('installed from its tarball (as npx does), the bin turns an instance JSON into a workflow file', () => {
	const tgz = pack(cli);
	const prefix = tempDir('cli-install');
	const install = run('npm', ['install', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--loglevel=error', tgz]);
	expect(install.status).toBe(0);
	const work = tempDir('cli-run');
	fs.writeFileSync(path.join(work, 'instance.json'), JSON.stringify(instance({ name: 'From the tarball' })));
	const bin = path.join(prefix, 'node_modules/.bin/n8n-nodes-pardot-migrate');
	const r = run(bin, ['instance.json'], { cwd: work });
	expect(r.status).toBe(0);
	const wf = JSON.parse(fs.readFileSync(path.join(work, 'pardot-from-the-tarball.workflow.json'), 'utf8'));
	expect(wf.nodes[1].parameters.options.instanceName).toBe('From the tarball');
	expect(run(bin, ['--n8n-url', 'http://127.0.0.1:5678', 'instance.json'], { cwd: work, env: { ...process.env, N8N_API_KEY: '' } }).status).toBe(2);
}, 120_000);

test('inside n8n-nodes-pardot\'s tarball the command would fail n8n\'s scanner (process, console, fs): hence a package of its own', () => {
	const pkg = freshBuild();
	fs.cpSync(path.join(cli, 'dist'), path.join(pkg, 'dist', 'cli'), { recursive: true });
	const result = run('node', [path.join(ROOT, 'scripts/n8n-scan.mjs'), pkg, '--tarball', pack(pkg)]);
	expect(result.status).toBe(1);
	expect(result.output).toMatch(/^FAILED: tarball .*ESLint violations found$/m);
	const cliReport = result.output.slice(result.output.indexOf('dist/cli/cli.js'));
	expect(cliReport).toMatch(/Use of restricted global 'process'/);
	expect(cliReport).toMatch(/Import of 'node:fs' is not allowed|Require of 'node:fs' is not allowed/);
}, 180_000);
