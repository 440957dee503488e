import * as fs from 'node:fs';
import * as path from 'node:path';
import { emitPackage, missingOn, readHostExports, REPO_ROOT, scanImports, type HostExports, type HostLine, type ImportScan } from './host-exports';

/**
 * Every runtime value the built package takes from a module it does not ship (n8n-workflow, luxon) exists in
 * that module as every supported n8n line provides it. How the hosts are read: see ./host-exports.ts.
 */

interface LineSpec {
	n8n: string;
	host?: Record<string, string>;
}
const versions: { lines: Record<string, LineSpec> } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'e2e', 'versions.json'), 'utf8'));
const lines: HostLine[] = Object.values(versions.lines).map((spec) => {
	if (!spec.host) throw new Error(`e2e/versions.json: n8n ${spec.n8n} has no "host" versions`);
	return { label: spec.n8n, host: spec.host };
});

const cache = new Map<string, HostExports>();
const read = (name: string, version: string) => {
	const key = `${name}@${version}`;
	if (!cache.has(key)) cache.set(key, readHostExports(name, version));
	return cache.get(key)!;
};
const list = (scan: ImportScan) =>
	[...scan.modules].map(([module, values]) => `${module}: ${[...values.values()].map((v) => (v.members.size ? `${v.name} (${[...v.members].join(', ')})` : v.name)).join(', ')}`);

jest.setTimeout(180_000);

let scan: ImportScan;
beforeAll(() => {
	scan = scanImports(emitPackage());
});

test('the built package requires only its own files, Node builtins, n8n-workflow and luxon, each in a checkable way', () => {
	expect(scan.missingLocal).toEqual([]);
	expect(scan.unverifiable).toEqual([]);
	expect([...scan.modules.keys()].sort()).toEqual(['luxon', 'n8n-workflow']);
	// the scan sees what the nodes obviously use: a broken scan must not pass the checks below by finding nothing
	expect([...scan.modules.get('n8n-workflow')!.keys()]).toEqual(expect.arrayContaining(['NodeOperationError', 'NodeConnectionTypes']));
	expect([...scan.modules.get('luxon')!.keys()]).toEqual(expect.arrayContaining(['DateTime']));
});

test.each(lines)('n8n $label provides every value the package takes from it', (line) => {
	const problems = missingOn(line, scan, read);
	expect({ uses: list(scan), problems }).toEqual({ uses: list(scan), problems: [] });
});

describe('the check itself', () => {
	const planted = (code: string) => scanImports(new Map([['nodes/Planted.js', code]]));
	const line2 = lines.find((l) => l.label.startsWith('2.'))!;
	const line1 = lines.find((l) => l.label.startsWith('1.'))!;

	test('flags sleepWithAbort, which n8n 1.x has and n8n 2.41 does not', () => {
		const s = planted('const n8n_workflow_1 = require("n8n-workflow");\n(0, n8n_workflow_1.sleepWithAbort)(10, undefined);\n');
		expect(missingOn(line1, s, read)).toEqual([]);
		expect(missingOn(line2, s, read)).toEqual([expect.stringContaining('does not export "sleepWithAbort"')]);
	});

	test('flags a module the tarball does not ship, a missing member and a use it cannot check', () => {
		const s = planted(
			[
				'const lodash_1 = require("lodash");',
				'const luxon_1 = require("luxon");',
				'const n8n_workflow_1 = require("n8n-workflow");',
				'lodash_1.get({}, "a");',
				'luxon_1.DateTime.noSuchMethod();',
				'console.log(n8n_workflow_1);',
			].join('\n'),
		);
		expect(s.unverifiable).toEqual([expect.stringContaining('n8n-workflow used as a whole')]);
		const problems = missingOn(line2, s, read);
		expect(problems).toEqual(
			expect.arrayContaining([expect.stringContaining('"lodash" is neither shipped'), expect.stringContaining('"DateTime" has no member "noSuchMethod"')]),
		);
	});

	test('flags a relative require of a file the build does not emit', () => {
		expect(planted('require("./missing");').missingLocal).toEqual(['nodes/Planted.js:1: ./missing']);
	});
});
