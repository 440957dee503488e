/**
 * ts-node resolves `./Foo.node` to the sibling `Foo.node.json` (codex file) before `Foo.node.ts`,
 * because Node tries .js/.json before extensions registered later. Jest resolves .ts first; so does
 * this hook, for the bench only: a request ending in `.node` that lands on a .json file is sent to
 * the .ts sibling when there is one. Import this module before anything that loads a node class.
 */
import { existsSync } from 'node:fs';
import Module from 'node:module';

type Resolve = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
const mod = Module as unknown as { _resolveFilename: Resolve };
const original = mod._resolveFilename;
mod._resolveFilename = function resolveNodeTs(request, parent, isMain, options) {
	const resolved = original.call(this, request, parent, isMain, options);
	if (request.endsWith('.node') && resolved.endsWith('.node.json')) {
		const ts = resolved.replace(/\.json$/, '.ts');
		if (existsSync(ts)) return ts;
	}
	return resolved;
};
