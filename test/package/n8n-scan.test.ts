import fs from 'node:fs';
import path from 'node:path';

import { ROOT, build, freshBuild, pack, removeTempDirs, run, tempDir } from './fresh';

afterAll(removeTempDirs);

/**
 * n8n's own gate for community packages, @n8n/scan-community-package (pinned in devDependencies), run through its
 * own analyzePackage on the source tree and on the npm tarball, as n8n runs it when it verifies a version.
 */

const SCAN = path.join(ROOT, 'scripts/n8n-scan.mjs');
const scan = (dir: string, tarball: string) => run('node', [SCAN, dir, '--tarball', tarball]);

let clean: string;
beforeAll(() => {
	clean = freshBuild();
}, 120_000);

test('the source tree and the tarball of a fresh build pass the scanner', () => {
	const result = scan(clean, pack(clean));
	expect(result.output).toMatch(/^passed: source .*$/m);
	expect(result.output).toMatch(/^passed: tarball n8n-nodes-pardot-.*\.tgz .*$/m);
	expect(result.status).toBe(0);
}, 120_000);

test('a console.log planted in a node fails both legs: the .ts source and the compiled .js in the tarball', () => {
	const planted = tempDir('planted');
	fs.cpSync(clean, planted, { recursive: true, verbatimSymlinks: true });
	const file = path.join(planted, 'nodes/PardotTrigger/PardotTrigger.node.ts');
	fs.appendFileSync(file, "\nconsole.log('planted');\n");
	build(planted);

	const result = scan(planted, pack(planted));
	expect(result.status).toBe(1);
	expect(result.output).toMatch(/^FAILED: source .*ESLint violations found$/m);
	expect(result.output).toMatch(/^FAILED: tarball .*ESLint violations found$/m);
	expect(result.output).toMatch(/nodes\/PardotTrigger\/PardotTrigger\.node\.ts\n.*no-console/);
	expect(result.output).toMatch(/dist\/nodes\/PardotTrigger\/PardotTrigger\.node\.js\n.*no-console/);
}, 120_000);

test('a runtime dependency planted in package.json fails both legs', () => {
	const planted = tempDir('planted-dep');
	fs.cpSync(clean, planted, { recursive: true, verbatimSymlinks: true });
	const pkgPath = path.join(planted, 'package.json');
	const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
	pkg.dependencies = { 'left-pad': '1.3.0' };
	fs.writeFileSync(pkgPath, JSON.stringify(pkg, null, 2));

	const result = scan(planted, pack(planted));
	expect(result.status).toBe(1);
	expect(result.output).toMatch(/^FAILED: source /m);
	expect(result.output).toMatch(/^FAILED: tarball /m);
	expect(result.output.match(/community-nodes\/no-runtime-dependencies/g)?.length).toBe(2);
}, 120_000);

test('the tarball leg lints what the pinned scanner lints in a published tarball', () => {
	// scripts/n8n-scan.mjs repeats the patterns analyzePackageByName passes for the tarball (they are not exported);
	// this fails when a scanner upgrade changes them.
	const scanner = fs.readFileSync(path.join(ROOT, 'node_modules/@n8n/scan-community-package/scanner/scanner.mjs'), 'utf8');
	const used = /analyzePackage\(packageDir, (\[[^\]]*\])\)/.exec(scanner)?.[1];
	const ours = /TARBALL_FILE_PATTERNS = (\[[^\]]*\])/.exec(fs.readFileSync(SCAN, 'utf8'))?.[1];
	expect(used).toBeDefined();
	expect(ours?.replace(/'/g, '"')).toBe(used?.replace(/'/g, '"'));
});

test('the README names the scanner version the package passes', () => {
	const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies['@n8n/scan-community-package'];
	expect(version).toMatch(/^\d+\.\d+\.\d+$/); // pinned exactly
	expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`\`@n8n/scan-community-package\` ${version}`);
});
