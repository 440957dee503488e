/** ARCHITECTURE.md's import map is the code's own (scripts/import-map.mjs prints it). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

test('the import map in ARCHITECTURE.md is what scripts/import-map.mjs prints', () => {
	const map = execFileSync(process.execPath, [path.join(ROOT, 'scripts/import-map.mjs')], { cwd: ROOT, encoding: 'utf8' }).trimEnd();
	const architecture = readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8');
	// On a mismatch: run `node scripts/import-map.mjs` and paste its output into ARCHITECTURE.md.
	expect(architecture.includes(`\`\`\`\n${map}\n\`\`\``)).toBe(true);
});
