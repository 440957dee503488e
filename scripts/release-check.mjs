#!/usr/bin/env node
/**
 * The release workflow's last gate before `npm publish`: refuses to publish a version whose metadata or links are
 * not real yet, or that is not the version the tag names.
 *
 *   node scripts/release-check.mjs --tag v0.1.0 --repository owner/name [--root .] [--tarball file.tgz]
 *
 * --tag and --repository default to GITHUB_REF_NAME and GITHUB_REPOSITORY (set in GitHub Actions). Without
 * --tarball the root is packed (its dist/ must be built). Checks:
 *   - the tag is `v` + package.json's version;
 *   - package.json no longer holds the placeholder (UNRELEASED-PLACEHOLDER) anywhere;
 *   - author has a name and an e-mail address; repository.url is the GitHub repository the workflow runs in
 *     (npm's provenance check and n8n's verification compare them); homepage and bugs.url are URLs;
 *   - no file in the tarball holds the placeholder, or a GitHub link to a repository of this package's name other
 *     than that repository (documentation links in nodes and credentials included);
 *   - CHANGELOG.md has a dated entry for the version (`## 0.1.0 - 2026-12-01`).
 * Prints every problem found and exits 1, or prints "ready to publish" and exits 0 (2 on bad usage).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PLACEHOLDER = 'UNRELEASED-PLACEHOLDER';

function usage(message) {
	console.error(`${message}\nUsage: node scripts/release-check.mjs --tag vX.Y.Z --repository owner/name [--root dir] [--tarball file.tgz]`);
	process.exit(2);
}

const options = { tag: process.env.GITHUB_REF_NAME, repository: process.env.GITHUB_REPOSITORY, root: '.', tarball: undefined };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
	const name = args[i].replace(/^--/, '');
	if (!args[i].startsWith('--') || !(name in options) || args[i + 1] === undefined) usage(`Bad argument ${args[i]}.`);
	options[name] = args[++i];
}
if (!options.tag) usage('No tag: pass --tag or set GITHUB_REF_NAME.');
if (!options.repository || !/^[\w.-]+\/[\w.-]+$/.test(options.repository)) {
	usage('No repository (owner/name): pass --repository or set GITHUB_REPOSITORY.');
}
const root = path.resolve(options.root);
const repository = options.repository;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const problems = [];

// The tag names the version.
if (options.tag !== `v${pkg.version}`) {
	problems.push(`The tag ${options.tag} does not match package.json's version ${pkg.version} (expected tag v${pkg.version}).`);
}

// Metadata.
const placeholderAt = [];
(function find(value, at) {
	if (typeof value === 'string' && value.includes(PLACEHOLDER)) placeholderAt.push(at);
	else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) find(v, at ? `${at}.${k}` : k);
})(pkg, '');
if (placeholderAt.length) {
	problems.push(`package.json still holds the placeholder ${PLACEHOLDER} in ${placeholderAt.join(', ')}: set the real maintainers (RELEASING.md, "Before the first release").`);
}
const author = typeof pkg.author === 'object' && pkg.author ? pkg.author : {};
if (!author.name?.trim()) problems.push('package.json has no author.name.');
if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(author.email ?? '')) problems.push('package.json has no author.email address.');
const repoUrl = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
const expectedRepo = `https://github.com/${repository}`.toLowerCase();
const normalized = (repoUrl ?? '').replace(/^git\+/, '').replace(/\.git$/, '').replace(/\/$/, '').toLowerCase();
if (normalized !== expectedRepo) {
	problems.push(`package.json's repository.url is ${repoUrl ? `"${repoUrl}"` : 'missing'}; it must be git+https://github.com/${repository}.git, the repository this release is built in.`);
}
for (const [field, value] of [
	['homepage', pkg.homepage],
	['bugs.url', typeof pkg.bugs === 'string' ? pkg.bugs : pkg.bugs?.url],
]) {
	if (!/^https:\/\/\S+$/.test(value ?? '')) problems.push(`package.json's ${field} is ${value ? `"${value}", not an https URL` : 'missing'}.`);
}

// What ships.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'release-check-'));
try {
	let tarball = options.tarball && path.resolve(options.tarball);
	if (!tarball) {
		const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		tarball = path.join(work, JSON.parse(out)[0].filename);
	}
	const unpacked = path.join(work, 'package');
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
	const ownLink = new RegExp(`github\\.com/([\\w.-]+/${pkg.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})(?:\\.git)?(?![\\w.-])`, 'gi');
	const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
	for (const file of walk(unpacked)) {
		const text = fs.readFileSync(file, 'utf8');
		const rel = path.relative(unpacked, file);
		if (text.includes(PLACEHOLDER) && rel !== 'package.json') problems.push(`${rel} holds the placeholder ${PLACEHOLDER}.`);
		const foreign = new Set([...text.matchAll(ownLink)].map((m) => m[1]).filter((r) => r.toLowerCase() !== repository.toLowerCase()));
		if (foreign.size) problems.push(`${rel} links to github.com/${[...foreign].join(', github.com/')}, not to github.com/${repository}.`);
	}
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}

// The changelog.
const changelogPath = path.join(root, 'CHANGELOG.md');
const changelog = fs.existsSync(changelogPath) ? fs.readFileSync(changelogPath, 'utf8') : '';
const escapedVersion = pkg.version.replace(/\./g, '\\.');
if (!new RegExp(`^## ${escapedVersion} - \\d{4}-\\d{2}-\\d{2}\\s*$`, 'm').test(changelog)) {
	problems.push(`CHANGELOG.md has no dated entry "## ${pkg.version} - YYYY-MM-DD".`);
}

if (problems.length) {
	console.error(`Not publishing ${pkg.name}@${pkg.version}:\n${problems.map((p) => `- ${p}`).join('\n')}`);
	process.exit(1);
}
console.log(`${pkg.name}@${pkg.version}: ready to publish from github.com/${repository} (tag ${options.tag}).`);
