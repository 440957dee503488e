import fs from 'node:fs';
import path from 'node:path';

import { ROOT, removeTempDirs, run, tempDir } from './fresh';

afterAll(removeTempDirs);

/**
 * scripts/release-check.mjs, the publish workflow's last step before `npm publish`, run on small packages made
 * here: it accepts complete metadata, and refuses each thing that must not reach npm.
 */

const CHECK = path.join(ROOT, 'scripts/release-check.mjs');
const REPO = 'example-owner/n8n-nodes-pardot';
const PLACEHOLDER = 'UNRELEASED-PLACEHOLDER';

const complete = () => ({
	name: 'n8n-nodes-pardot',
	version: '1.2.3',
	license: 'MIT',
	author: { name: 'Ada Maintainer', email: 'ada@example.com' },
	homepage: `https://github.com/${REPO}#readme`,
	bugs: { url: `https://github.com/${REPO}/issues` },
	repository: { type: 'git', url: `git+https://github.com/${REPO}.git` },
	files: ['dist'],
});

function fixture(pkg: object, options: { changelog?: string; dist?: Record<string, string> } = {}): string {
	const dir = tempDir('release');
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
	fs.writeFileSync(path.join(dir, 'CHANGELOG.md'), options.changelog ?? '# Changelog\n\n## 1.2.3 - 2026-12-01\n\n- Fixed things.\n');
	for (const [file, text] of Object.entries(options.dist ?? { 'dist/index.js': `// see https://github.com/${REPO}#readme\n` })) {
		fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
		fs.writeFileSync(path.join(dir, file), text);
	}
	return dir;
}

const check = (dir: string, tag = 'v1.2.3', repository = REPO) =>
	run('node', [CHECK, '--tag', tag, '--repository', repository, '--root', dir], { env: { ...process.env, GITHUB_REF_NAME: '', GITHUB_REPOSITORY: '' } });

test('complete metadata, the matching tag and a dated changelog entry: ready to publish', () => {
	const result = check(fixture(complete()));
	expect(result.output).toContain(`n8n-nodes-pardot@1.2.3: ready to publish from github.com/${REPO} (tag v1.2.3).`);
	expect(result.status).toBe(0);
});

test('the placeholder of package.json, as this repository has it until the first release, is refused', () => {
	const ours = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const result = check(fixture({ ...complete(), author: { name: PLACEHOLDER, email: PLACEHOLDER } }));
	expect(result.status).toBe(1);
	expect(result.output).toContain(`package.json still holds the placeholder ${PLACEHOLDER} in author.name, author.email`);
	expect(result.output).toContain('package.json has no author.email address.');
	// The repository's own package.json is either still marked with this placeholder, or complete.
	if (JSON.stringify(ours).includes(PLACEHOLDER)) expect(ours.author).toEqual({ name: expect.stringContaining(PLACEHOLDER), email: PLACEHOLDER });
	else expect(ours.repository?.url).toMatch(/^git\+https:\/\/github\.com\/[\w.-]+\/n8n-nodes-pardot\.git$/);
});

test('a tag that is not the version is refused', () => {
	const result = check(fixture(complete()), 'v1.2.4');
	expect(result.status).toBe(1);
	expect(result.output).toContain("The tag v1.2.4 does not match package.json's version 1.2.3 (expected tag v1.2.3).");
});

test('a repository.url other than the repository the workflow runs in, and missing homepage and bugs, are refused', () => {
	const pkg: Partial<ReturnType<typeof complete>> = { ...complete(), repository: { type: 'git', url: 'git+https://github.com/someone-else/n8n-nodes-pardot.git' } };
	delete pkg.homepage;
	delete pkg.bugs;
	const result = check(fixture(pkg));
	expect(result.status).toBe(1);
	expect(result.output).toContain(`it must be git+https://github.com/${REPO}.git`);
	expect(result.output).toContain("package.json's homepage is missing.");
	expect(result.output).toContain("package.json's bugs.url is missing.");
});

test('a shipped file linking to another repository of this name (a documentation URL) is refused', () => {
	const dir = fixture(complete(), {
		dist: {
			'dist/credentials/X.credentials.js': "documentationUrl = 'https://github.com/n8n-nodes-pardot/n8n-nodes-pardot#oauth2-credential';\n",
			'dist/nodes/X/X.node.json': `{ "url": "https://github.com/${REPO}#pardot-trigger", "other": "https://github.com/n8n-io/n8n" }\n`,
		},
	});
	const result = check(dir);
	expect(result.status).toBe(1);
	expect(result.output).toContain(`- dist/credentials/X.credentials.js links to github.com/n8n-nodes-pardot/n8n-nodes-pardot, not to github.com/${REPO}.`);
	expect(result.output).not.toContain('X.node.json');
});

test('a changelog without a dated entry for the version is refused', () => {
	const result = check(fixture(complete(), { changelog: '# Changelog\n\n## 1.2.3 - unreleased\n' }));
	expect(result.status).toBe(1);
	expect(result.output).toContain('CHANGELOG.md has no dated entry "## 1.2.3 - YYYY-MM-DD".');
});
