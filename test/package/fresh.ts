import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.join(__dirname, '../..');

/** What a build needs: the published files' sources and the build configuration. */
const BUILD_INPUTS = ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.build.json', 'gulpfile.js', 'nodes', 'credentials'];

const made: string[] = [];

/** A new temporary folder, removed by removeTempDirs() (each test file calls it in afterAll). */
export function tempDir(prefix: string): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-nodes-pardot-${prefix}-`));
	made.push(dir);
	return dir;
}

export function removeTempDirs(): void {
	for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A copy of the package sources built with `npm run build` in a temporary folder (node_modules linked), so a test
 * packs what the current sources build to, not whatever dist/ happens to hold, and can change sources freely.
 */
export function freshBuild(into = tempDir('pkg')): string {
	for (const entry of BUILD_INPUTS) fs.cpSync(path.join(ROOT, entry), path.join(into, entry), { recursive: true });
	fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(into, 'node_modules'), 'dir');
	build(into);
	return into;
}

export function build(dir: string): void {
	fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: dir, stdio: 'pipe' });
}

/** `npm pack` of a folder into `destination`; returns the tarball's path. */
export function pack(dir: string, destination = tempDir('tgz')): string {
	const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
		cwd: dir,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	return path.join(destination, (JSON.parse(out) as Array<{ filename: string }>)[0].filename);
}

export interface Run {
	status: number;
	output: string;
}

/** Runs a command, returning its exit status and stdout+stderr instead of throwing. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Run {
	try {
		const output = execFileSync(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			input: options.input,
			encoding: 'utf8',
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		return { status: 0, output };
	} catch (error) {
		const e = error as { status?: number; stdout?: string; stderr?: string };
		return { status: e.status ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
	}
}
