#!/usr/bin/env node
/**
 * Fails when files of this repository import each other in a loop (part of `npm run lint`).
 *
 *   node scripts/check-import-cycles.mjs [DIR]     # DIR: the tree to check (default: the repository)
 *
 * Every import counts, `import type` included: a loop of types only is no runtime problem, but it ties
 * the files together just the same. Reads imports with the TypeScript compiler API (import and export
 * declarations, `import x = require()`, `require()` and `import()` with a literal, `import('x').T` types)
 * and resolves them as tsconfig.json does; only files inside DIR take part (node_modules, dist and
 * hidden folders are skipped). Prints each loop as a chain of file:line and exits 1.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage']);

function sourceFiles(dir, out = []) {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) sourceFiles(full, out);
		else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
	}
	return out;
}

/** Module names a file imports, with the line of each import. */
function importsOf(file) {
	const text = readFileSync(file, 'utf8');
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
	const found = [];
	const add = (literal) => {
		if (literal && ts.isStringLiteralLike(literal)) {
			found.push({ name: literal.text, line: source.getLineAndCharacterOfPosition(literal.getStart()).line + 1 });
		}
	};
	const visit = (node) => {
		if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
			add(node.moduleSpecifier);
		} else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
			add(node.moduleReference.expression);
		} else if (ts.isCallExpression(node) && node.arguments.length === 1) {
			const callee = node.expression;
			if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
				add(node.arguments[0]);
			}
		} else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
			add(node.argument.literal);
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

function compilerOptions(root) {
	const configFile = path.join(root, 'tsconfig.json');
	const read = ts.readConfigFile(configFile, ts.sys.readFile);
	const parsed = read.error ? { options: {} } : ts.parseJsonConfigFileContent(read.config, ts.sys, root);
	// .js and .mjs files import each other too.
	return { ...parsed.options, allowJs: true };
}

/** file -> [{ to, line }], for imports that resolve to another file of the tree. */
export function importGraph(root) {
	const options = compilerOptions(root);
	const files = sourceFiles(root);
	const known = new Set(files);
	const graph = new Map();
	for (const file of files) {
		const edges = [];
		for (const { name, line } of importsOf(file)) {
			const resolved = ts.resolveModuleName(name, file, options, ts.sys).resolvedModule;
			if (!resolved || resolved.isExternalLibraryImport) continue;
			const to = path.resolve(resolved.resolvedFileName);
			if (known.has(to) && to !== file) edges.push({ to, line });
		}
		graph.set(file, edges);
	}
	return graph;
}

/** Strongly connected components with more than one file (Tarjan), each as a sorted list. */
function loops(graph) {
	let counter = 0;
	const index = new Map();
	const low = new Map();
	const stack = [];
	const onStack = new Set();
	const out = [];
	const connect = (v) => {
		index.set(v, counter);
		low.set(v, counter);
		counter++;
		stack.push(v);
		onStack.add(v);
		for (const { to } of graph.get(v)) {
			if (!index.has(to)) {
				connect(to);
				low.set(v, Math.min(low.get(v), low.get(to)));
			} else if (onStack.has(to)) {
				low.set(v, Math.min(low.get(v), index.get(to)));
			}
		}
		if (low.get(v) === index.get(v)) {
			const component = [];
			let w;
			do {
				w = stack.pop();
				onStack.delete(w);
				component.push(w);
			} while (w !== v);
			if (component.length > 1) out.push(component.sort());
		}
	};
	for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
	return out;
}

/** One shortest loop through the first file of a component: [{ from, line }, ...] back to the start. */
function oneLoop(graph, component) {
	const members = new Set(component);
	const start = component[0];
	const previous = new Map([[start, null]]);
	const queue = [start];
	while (queue.length > 0) {
		const v = queue.shift();
		for (const { to, line } of graph.get(v)) {
			if (!members.has(to)) continue;
			if (to === start) {
				const chain = [{ from: v, line }];
				for (let step = previous.get(v); step; step = previous.get(step.from)) chain.unshift(step);
				return chain;
			}
			if (!previous.has(to)) {
				previous.set(to, { from: v, line });
				queue.push(to);
			}
		}
	}
	return [];
}

function main() {
	const here = path.dirname(fileURLToPath(import.meta.url));
	const root = path.resolve(process.argv[2] ?? path.join(here, '..'));
	const graph = importGraph(root);
	const found = loops(graph);
	const rel = (file) => path.relative(root, file).split(path.sep).join('/');
	if (found.length === 0) {
		console.log(`No import cycles among ${graph.size} files.`);
		return;
	}
	console.error(`Import cycles: ${found.length} (files that import each other in a loop; break each one)`);
	for (const component of found) {
		console.error(`\n- ${component.length} files: ${component.map(rel).join(', ')}`);
		const chain = oneLoop(graph, component);
		console.error(`  for example: ${chain.map((step) => `${rel(step.from)}:${step.line}`).join(' -> ')} -> ${rel(component[0])}`);
	}
	process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
