#!/usr/bin/env node
/**
 * Prints who imports whom in the package's code (nodes/ and credentials/), read from the code itself with
 * the import graph of check-import-cycles.mjs. ARCHITECTURE.md's import map is this output.
 *
 *   node scripts/import-map.mjs [DIR...]     # DIR: folders to print (default: nodes credentials)
 *
 * One block per folder. Each file is listed with what it imports of the package (`import type` included),
 * highest first: a file stands above every file it imports, so each line imports only lines below it (the
 * layer number is the length of the longest chain of imports under the file). Imports from other folders
 * are shown relative to the folder.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { importGraph } from './check-import-cycles.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const rel = (file) => path.relative(root, file).split(path.sep).join('/');
const withoutExtension = (name) => name.replace(/\.ts$/, '');

/** Layer of each file: 0 imports nothing of the package, else 1 + the highest layer it imports. */
function layers(graph) {
	const layer = new Map();
	const visit = (file, seen = new Set()) => {
		if (layer.has(file)) return layer.get(file);
		if (seen.has(file)) throw new Error(`import cycle through ${rel(file)}: run scripts/check-import-cycles.mjs`);
		seen.add(file);
		const below = (graph.get(file) ?? []).map(({ to }) => visit(to, seen));
		const value = below.length ? Math.max(...below) + 1 : 0;
		layer.set(file, value);
		return value;
	};
	for (const file of graph.keys()) visit(file);
	return layer;
}

/** The folders whose files are listed together: each node's folder with its subfolders apart, common/, credentials/. */
function folderOf(file) {
	return path.dirname(rel(file));
}

function main() {
	const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ['nodes', 'credentials'];
	const graph = importGraph(root);
	const inside = (file) => wanted.some((dir) => rel(file) === dir || rel(file).startsWith(`${dir}/`));
	const files = [...graph.keys()].filter((file) => inside(file) && file.endsWith('.ts') && !file.endsWith('.d.ts'));
	const layer = layers(graph);
	const folders = [...new Set(files.map(folderOf))].sort();
	const blocks = [];
	for (const folder of folders) {
		const own = files
			.filter((file) => folderOf(file) === folder)
			.sort((a, b) => layer.get(b) - layer.get(a) || rel(a).localeCompare(rel(b)));
		const width = Math.max(...own.map((file) => path.basename(file).length));
		const lines = own.map((file) => {
			const targets = [...new Set((graph.get(file) ?? []).map(({ to }) => withoutExtension(path.relative(path.dirname(file), to).split(path.sep).join('/'))))].sort();
			const name = path.basename(file).padEnd(width);
			return `  ${String(layer.get(file)).padStart(2)}  ${name}${targets.length ? `  -> ${targets.join(', ')}` : ''}`.trimEnd();
		});
		blocks.push(`${folder}/\n${lines.join('\n')}`);
	}
	console.log(blocks.join('\n\n'));
}

main();
