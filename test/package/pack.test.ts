import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** What `npm publish` would ship: the built package and its docs, nothing else. */
test('npm pack contains only dist/, README.md, LICENSE and package.json', () => {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--offline', '--no-update-notifier'], {
		cwd: path.join(__dirname, '../..'),
		encoding: 'utf8',
	});
	const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
	const unexpected = files.filter((f) => !f.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(f));
	expect(unexpected).toEqual([]);
	expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
	expect(files.some((f) => /test|simulator|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toBe(false);
});

test('package.json follows the community-node rules', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const pkg = require('../../package.json');
	expect(pkg.keywords).toContain('n8n-community-node-package');
	expect(pkg.dependencies ?? {}).toEqual({});
	expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
	expect(pkg.files).toEqual(['dist']);
	for (const entry of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
		expect(entry).toMatch(/^dist\/(credentials|nodes)\/.+\.js$/);
	}
});
