import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import semver from 'semver';

import { ROOT } from './fresh';

/** package.json's promises (supported versions, links, addresses) against what the project tests and ships. */

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const e2e = JSON.parse(fs.readFileSync(path.join(ROOT, 'e2e/versions.json'), 'utf8'));
const lines = Object.values(e2e.lines) as Array<{ n8n: string; node: string | null }>;
const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
	.split('\n')
	.filter((f) => f && fs.existsSync(path.join(ROOT, f)) && !/\.(png|jpe?g|gif|ico|tgz)$/.test(f) && f !== 'package-lock.json');

describe('supported versions (engines) are the ones the end-to-end suite runs', () => {
	test('n8n: every tested version is in the range, and each part of the range starts at a tested version', () => {
		const range: string = pkg.engines.n8n;
		for (const line of lines) expect(semver.satisfies(line.n8n, range)).toBe(true);
		const starts = range.split('||').map((part) => semver.minVersion(part.trim())?.version);
		expect(starts.sort()).toEqual(lines.map((l) => l.n8n).sort());
	});

	test('Node.js: the Node 24 the suite installs for n8n 2.x, and this Node (n8n 1.x runs on it)', () => {
		const range: string = pkg.engines.node;
		const installed = lines.map((l) => l.node).filter((n): n is string => n !== null).map((n) => /@(\d+\.\d+\.\d+)$/.exec(n)?.[1]);
		expect(installed.length).toBeGreaterThan(0);
		for (const version of installed) expect(semver.satisfies(version as string, range)).toBe(true);
		expect(semver.satisfies(process.version, range)).toBe(true);
	});

	test('the README states the same ranges', () => {
		const compatibility = readme.slice(readme.indexOf('## Compatibility\n'), readme.indexOf('\n## ', readme.indexOf('## Compatibility\n') + 1));
		expect(compatibility).toContain(`\`${pkg.engines.n8n}\``);
		expect(compatibility).toContain(`\`${pkg.engines.node}\``);
		for (const line of lines) expect(compatibility).toContain(line.n8n);
	});
});

describe('no invented links or addresses', () => {
	test('links to a repository of this package name point at package.json\'s repository (none while it is not decided)', () => {
		// Tests build links to made-up repositories on purpose (the release check must refuse them).
		const files = tracked.filter((f) => !f.startsWith('test/'));
		const own = (pkg.repository?.url ?? '').replace(/^git\+/, '').replace(/\.git$/, '').replace(/^https:\/\//, '').toLowerCase();
		const pattern = new RegExp(`github\\.com/[\\w.-]+/${pkg.name}(?![\\w.-])`, 'gi');
		const found = files.flatMap((f) => [...fs.readFileSync(path.join(ROOT, f), 'utf8').matchAll(pattern)].map((m) => `${f}: ${m[0]}`));
		expect(found.filter((hit) => hit.split(': ')[1].toLowerCase() !== own)).toEqual([]);
	});

	test('e-mail addresses in the docs, examples, metadata and workflows are on reserved example domains', () => {
		const docs = tracked.filter((f) => /\.md$/.test(f) || /^(docs|examples|\.github)\//.test(f) || f === 'package.json');
		const addresses = docs.flatMap((f) =>
			[...fs.readFileSync(path.join(ROOT, f), 'utf8').matchAll(/[\w.+-]+@((?:[\w-]+\.)+[a-z]{2,})\b/gi)].map((m) => ({ f, address: m[0], domain: m[1].toLowerCase() })),
		);
		expect(addresses.length).toBeGreaterThan(0);
		expect(addresses.filter((a) => !/(^|\.)example\.(com|org|net)$/.test(a.domain)).map((a) => `${a.f}: ${a.address}`)).toEqual([]);
	});

	test('documentation links in the nodes and credentials open README sections on the package\'s npm page', () => {
		const sources = tracked.filter((f) => /^(nodes|credentials)\/.*\.(ts|json)$/.test(f));
		const links = sources.flatMap((f) => [...fs.readFileSync(path.join(ROOT, f), 'utf8').matchAll(/https?:\/\/[^\s'"`]+/g)].map((m) => m[0]));
		const docs = links.filter((l) => /npmjs\.com|github\.com/.test(l));
		expect(docs.length).toBeGreaterThanOrEqual(5);
		const slugs = new Set(
			[...readme.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
				m[1]
					.toLowerCase()
					.replace(/[^\w\- ]/g, '')
					.replace(/ /g, '-'),
			),
		);
		for (const link of docs) {
			const [page, anchor] = link.split('#');
			expect(page).toBe(`https://www.npmjs.com/package/${pkg.name}`);
			expect(slugs).toContain(anchor);
		}
	});
});
