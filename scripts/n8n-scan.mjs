#!/usr/bin/env node
/**
 * n8n's community-package gate, run here before n8n runs it.
 *
 * When n8n verifies a version, `@n8n/scan-community-package` (its `analyzePackageByName`) lints two things with
 * `analyzePackage`: the source checkout named in the npm provenance statement (the scanner's own
 * SOURCE_FILE_PATTERNS: package.json and nodes/credentials sources) and the tarball npm serves (every .js file and
 * package.json). This script calls the same `analyzePackage` of the pinned devDependency on the same two things,
 * locally: a source tree, and the tarball `npm pack` makes of it (or a given tarball).
 *
 *   node scripts/n8n-scan.mjs [source dir, default .] [--tarball file.tgz]
 *
 * Without --tarball the source dir is packed, so its dist/ must be built (`npm run build`).
 * Exit status 0 when both legs pass, 1 when either fails (the scanner's report is printed), 2 on bad usage.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

/** The tarball leg's patterns, as the scanner's analyzePackageByName passes them (not exported by the scanner). */
export const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

function usage(message) {
	console.error(`${message}\nUsage: node scripts/n8n-scan.mjs [source dir] [--tarball file.tgz]`);
	process.exit(2);
}

const args = process.argv.slice(2);
let sourceDir = '.';
let tarball;
for (let i = 0; i < args.length; i++) {
	if (args[i] === '--tarball') {
		tarball = args[++i];
		if (!tarball) usage('--tarball needs a file.');
	} else if (args[i].startsWith('-')) usage(`Unknown option ${args[i]}.`);
	else sourceDir = args[i];
}
sourceDir = path.resolve(sourceDir);
if (!fs.existsSync(path.join(sourceDir, 'package.json'))) usage(`${sourceDir} has no package.json.`);
if (!tarball && !fs.existsSync(path.join(sourceDir, 'dist'))) {
	usage(`${sourceDir} has no dist/: run \`npm run build\` first, or pass --tarball.`);
}

// The scanner makes a temporary folder when it is imported; keep it inside ours, removed at the end.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
process.env.TMPDIR = work;
// eslint-plugin-n8n-nodes-base reads NODE_ENV when it loads: under "test" (as jest sets it) it treats every file as
// "Test.node.ts" and reports what n8n's scan never would. n8n does not run its scanner so.
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
const require = createRequire(import.meta.url);
const scannerVersion = require('@n8n/scan-community-package/package.json').version;
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');

let failed = false;
try {
	if (!tarball) {
		const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
			cwd: sourceDir,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		tarball = path.join(work, JSON.parse(out)[0].filename);
	}
	const packageDir = path.join(work, 'package');
	fs.mkdirSync(packageDir);
	execFileSync('tar', ['-xzf', path.resolve(tarball), '-C', packageDir, '--strip-components=1']);

	console.log(`@n8n/scan-community-package ${scannerVersion}`);
	for (const [leg, dir, patterns] of [
		[`source ${sourceDir} (${SOURCE_FILE_PATTERNS.join(', ')})`, sourceDir, SOURCE_FILE_PATTERNS],
		[`tarball ${path.basename(tarball)} (${TARBALL_FILE_PATTERNS.join(', ')})`, packageDir, TARBALL_FILE_PATTERNS],
	]) {
		const result = await analyzePackage(dir, patterns);
		console.log(`${result.passed ? 'passed' : 'FAILED'}: ${leg}${result.message ? `: ${result.message}` : ''}`);
		if (result.details) console.log(result.details);
		if (!result.passed) failed = true;
	}
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
