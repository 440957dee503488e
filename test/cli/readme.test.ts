/**
 * The README's "Moving from SAP Open Connectors" walkthrough holds: its instance JSON example migrates and prints
 * what the README shows, and every command line it gives is one the command accepts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, parseArgs } from '../../cli/src/cli';

const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Moving from SAP Open Connectors'), readme.indexOf('## Version history'));

/** The code blocks of the section in one language ('' for plain ones), without the walkthrough's list indentation. */
function blocks(lang: string): string[] {
	const out: string[] = [];
	const fence = /^( *)```(\w*)\n([\s\S]*?)^\1```$/gm;
	for (let m = fence.exec(section); m; m = fence.exec(section)) {
		const indent = m[1].length;
		if (m[2] === lang) out.push(m[3].split('\n').map((l) => l.slice(indent)).join('\n'));
	}
	return out;
}

let dir: string;
beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pardot-migrate-readme-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the walkthrough\'s instance JSON migrates, printing what the README shows', async () => {
	const [example] = blocks('json');
	// the README elides the secrets as "…"
	fs.writeFileSync(path.join(dir, 'instance.json'), example.replace(/"…"/g, '"a-real-value"'));
	const out: string[] = [];
	const err: string[] = [];
	const code = await main(['instance.json'], { out: (l) => out.push(l), err: (l) => err.push(l), cwd: dir, env: {} });
	expect(err).toEqual([]);
	expect(code).toBe(0);
	const shown = blocks('').find((b) => b.startsWith('instance.json: instance'))!;
	expect(out.slice(0, 4).join('\n')).toBe(shown.trim());
	expect(fs.existsSync(path.join(dir, 'pardot-pardot-to-crm.workflow.json'))).toBe(true);
});

test('every command line of the section is accepted as written', () => {
	const lines = blocks('sh')
		.join('\n')
		.split('\n')
		.map((l) => l.replace(/#.*$/, '').trim())
		.filter((l) => l.startsWith('npx n8n-nodes-pardot-migrate'));
	expect(lines.length).toBeGreaterThanOrEqual(3);
	for (const line of lines) {
		const argv = line.split(/\s+/).slice(2);
		expect(() => parseArgs(argv, { N8N_API_KEY: 'from-the-environment' })).not.toThrow();
	}
	// the options the prose names exist too
	for (const option of section.match(/`(--[a-z0-9-]+)/g)!.map((o) => o.slice(1))) {
		expect(() => parseArgs([option, ...(['--force', '--activate'].includes(option) ? [] : ['x']), 'f.json'], { N8N_API_KEY: 'k' })).not.toThrow(/Unknown option/);
	}
});
