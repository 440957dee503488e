/**
 * Structural checks over what n8n loads from this package: every node in nodes/*\/*.node.ts and
 * every credential class, and the package.json `n8n` attribute that points at them (checked
 * against the .ts sources, so no build is needed). These are the mistakes n8n shows as a broken
 * editor (a parameter that never appears, an option without a value) or that its lint rejects.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type {
	ICredentialType,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { credentialProperties } from '../lib/n8n/credentials';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
};

/** dist/x/Y.js -> x/Y.ts (the source the build compiles). */
function sourceOf(distPath: string): string {
	return distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts');
}

function load<T>(file: string, accept: (value: unknown) => value is T): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(join(ROOT, file)) as Record<string, unknown>;
	for (const value of Object.values(exported)) {
		if (typeof value !== 'function') continue;
		const instance = new (value as new () => unknown)();
		if (accept(instance)) return instance;
	}
	throw new Error(`${file} exports no class n8n could load`);
}

const isNode = (value: unknown): value is INodeType => Boolean((value as INodeType)?.description?.properties);
const isCredential = (value: unknown): value is ICredentialType =>
	typeof (value as ICredentialType)?.name === 'string' && Array.isArray((value as ICredentialType)?.properties);

const nodeFiles = readdirSync(join(ROOT, 'nodes'))
	.flatMap((dir) =>
		existsSync(join(ROOT, 'nodes', dir)) && !dir.includes('.')
			? readdirSync(join(ROOT, 'nodes', dir))
					.filter((f) => f.endsWith('.node.ts'))
					.map((f) => `nodes/${dir}/${f}`)
			: [],
	)
	.sort();
const credentialFiles = readdirSync(join(ROOT, 'credentials'))
	.filter((f) => f.endsWith('.credentials.ts'))
	.map((f) => `credentials/${f}`)
	.sort();

const nodes = nodeFiles.map((file) => ({ file, type: load(file, isNode) }));
const credentials = credentialFiles.map((file) => ({ file, type: load(file, isCredential) }));

// ------------------------------------------------------------------ walking parameters

interface Level {
	/** Where in the description, for messages. */
	path: string;
	properties: INodeProperties[];
}

const isCollectionGroup = (o: unknown): o is INodePropertyCollection => Array.isArray((o as INodePropertyCollection)?.values);
const isNestedProperty = (o: unknown): o is INodeProperties => typeof (o as INodeProperties)?.type === 'string' && 'default' in (o as object);

/** Every list of sibling parameters: the top level, collection options, fixedCollection groups. */
function levels(path: string, properties: INodeProperties[]): Level[] {
	const out: Level[] = [{ path, properties }];
	for (const property of properties) {
		const options = (property.options ?? []) as unknown[];
		if (property.type === 'collection' && options.every(isNestedProperty)) {
			out.push(...levels(`${path}.${property.name}`, options as INodeProperties[]));
		}
		if (property.type === 'fixedCollection') {
			for (const group of options.filter(isCollectionGroup)) {
				out.push(...levels(`${path}.${property.name}.${group.name}`, group.values));
			}
		}
	}
	return out;
}

const optionLists = (level: Level) =>
	level.properties
		.filter((p) => p.type === 'options' || p.type === 'multiOptions')
		.filter((p) => !p.typeOptions?.loadOptionsMethod)
		.map((p) => ({ property: p, options: (p.options ?? []) as INodePropertyOptions[] }));

/** n8n-nodes-base lint's comparator: a 'v2'-style name sorts by number, else localeCompare. */
function lintOrder(a: string, b: string): number {
	if (/^v\d+(\.\d+)?$/.test(a) && /^v\d+(\.\d+)?$/.test(b)) return parseFloat(b.slice(1)) - parseFloat(a.slice(1));
	return a.localeCompare(b);
}

const MIN_ITEMS_TO_ALPHABETIZE = 5; // eslint-plugin-n8n-nodes-base's threshold

// ------------------------------------------------------------------ tests

test('the package has the nodes and credentials this suite expects to check', () => {
	expect(nodeFiles).toEqual(expect.arrayContaining(['nodes/PardotTrigger/PardotTrigger.node.ts']));
	expect(nodeFiles.length).toBeGreaterThanOrEqual(2);
	expect(credentials.map((c) => c.type.name)).toEqual(expect.arrayContaining(['pardotApi', 'pardotOAuth2Api']));
});

describe('package.json n8n attribute', () => {
	test('API version 1, and every listed file has its .ts source', () => {
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		for (const listed of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			expect(listed).toMatch(/^dist\/.+\.js$/);
			expect({ listed, source: existsSync(join(ROOT, sourceOf(listed))) }).toEqual({ listed, source: true });
		}
	});

	test('every node and credential source is listed (nothing built but never loaded)', () => {
		expect(pkg.n8n.nodes.map(sourceOf).sort()).toEqual(nodeFiles);
		expect(pkg.n8n.credentials.map(sourceOf).sort()).toEqual(credentialFiles);
	});

	test('credential names used by nodes are credentials the package lists', () => {
		const listed = new Set(pkg.n8n.credentials.map((file) => load(sourceOf(file), isCredential).name));
		for (const { file, type } of nodes) {
			for (const credential of type.description.credentials ?? []) {
				expect({ file, credential: credential.name, listed: listed.has(credential.name) }).toEqual({
					file,
					credential: credential.name,
					listed: true,
				});
			}
		}
	});
});

/** What n8n's editor or lint would trip over in a node description's parameters; [] when none. */
function parameterProblems(description: INodeTypeDescription): string[] {
	const problems: string[] = [];
	const all = levels(description.name, description.properties);
	const top = description.properties;
	for (const level of all) {
		for (const { property, options } of optionLists(level)) {
			const where = `${level.path}.${property.name}`;
			if (options.length === 0) problems.push(`${where}: no options`);
			for (const option of options) {
				if (typeof option.name !== 'string' || option.name.trim() === '') problems.push(`${where}: an option without a name`);
				if (option.value === undefined || option.value === '') problems.push(`${where}: option "${option.name}" has no value`);
				if (typeof option.description !== 'string' || option.description.trim() === '') {
					problems.push(`${where}: option "${option.name}" has no description`);
				} else if (option.description === option.name) {
					problems.push(`${where}: option "${option.name}" has its name as description`);
				}
			}
			if (new Set(options.map((o) => o.name)).size !== options.length) problems.push(`${where}: repeated option names`);
			if (new Set(options.map((o) => o.value)).size !== options.length) problems.push(`${where}: repeated option values`);
			const values = options.map((o) => o.value);
			const defaults = property.type === 'multiOptions' ? property.default : [property.default];
			if (!Array.isArray(defaults)) problems.push(`${where}: multiOptions default is not a list`);
			else for (const value of defaults) if (!values.includes(value as never)) problems.push(`${where}: default ${JSON.stringify(value)} is not an option`);
			// eslint-plugin-n8n-nodes-base: node-param-(multi-)options-type-unsorted-items
			if (options.length >= MIN_ITEMS_TO_ALPHABETIZE && !/^\d+$/.test(String(options[0]?.value))) {
				const names = options.map((o) => o.name);
				const sorted = [...names].sort(lintOrder);
				if (names.join('\n') !== sorted.join('\n')) problems.push(`${where}: options not sorted by name (${sorted.join(', ')})`);
			}
		}
		// node-param-collection-type-unsorted-items
		for (const property of level.properties.filter((p) => p.type === 'collection')) {
			const names = ((property.options ?? []) as INodeProperties[]).map((o) => o.displayName);
			const sorted = [...names].sort(lintOrder);
			if (names.length >= MIN_ITEMS_TO_ALPHABETIZE && names.join('\n') !== sorted.join('\n')) {
				problems.push(`${level.path}.${property.name}: collection not sorted by display name (${sorted.join(', ')})`);
			}
		}
	}
	const checkDisplay = (where: string, siblings: INodeProperties[], displayOptions: INodeProperties['displayOptions']) => {
		for (const rule of [displayOptions?.show, displayOptions?.hide]) {
			for (const [key, wanted] of Object.entries(rule ?? {})) {
				if (key === '@version' || key === '@tool') continue;
				const name = key.startsWith('/') ? key.slice(1) : key;
				// A node with several resources has one `operation` parameter per resource: any of them may hold the value.
				const targets = (key.startsWith('/') ? top : siblings).filter((p) => p.name === name);
				const target = targets[0];
				if (!target) {
					problems.push(`${where}: displayOptions refers to "${key}", which does not exist`);
					continue;
				}
				if ((target.type === 'options' || target.type === 'multiOptions') && Array.isArray(target.options)) {
					const values = targets.flatMap((t) => ((t.options ?? []) as INodePropertyOptions[]).map((o) => o.value));
					for (const value of (wanted ?? []) as unknown[]) {
						if (typeof value === 'object' && value !== null) continue; // conditions such as { _cnd: ... }
						if (!values.includes(value as never)) problems.push(`${where}: displayOptions wants ${key}=${JSON.stringify(value)}, not an option`);
					}
				}
			}
		}
	};
	for (const level of all) {
		for (const property of level.properties) checkDisplay(`${level.path}.${property.name}`, level.properties, property.displayOptions);
	}
	for (const credential of description.credentials ?? []) checkDisplay(`credentials.${credential.name}`, top, credential.displayOptions);
	return problems;
}

test('the checker itself finds each kind of problem', () => {
	const broken = {
		name: 'broken',
		credentials: [{ name: 'x', displayOptions: { show: { authentication: ['nope'] } } }],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'A', value: 'a', description: 'A' },
					{ name: 'B', value: '' },
				],
				default: 'c',
			},
			{ displayName: 'Hidden', name: 'hidden', type: 'string', default: '', displayOptions: { show: { missing: [true] } } },
			{
				displayName: 'Many',
				name: 'many',
				type: 'multiOptions',
				options: ['E', 'D', 'C', 'B', 'A'].map((n) => ({ name: n, value: n.toLowerCase(), description: `${n} thing` })),
				default: ['a'],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: ['Zeta', 'Eta', 'Theta', 'Iota', 'Kappa'].map((n) => ({ displayName: n, name: n.toLowerCase(), type: 'string', default: '' })),
			},
		],
	} as unknown as INodeTypeDescription;
	expect(parameterProblems(broken)).toEqual([
		'broken.authentication: option "A" has its name as description',
		'broken.authentication: option "B" has no value',
		'broken.authentication: option "B" has no description',
		'broken.authentication: default "c" is not an option',
		'broken.many: options not sorted by name (A, B, C, D, E)',
		'broken.options: collection not sorted by display name (Eta, Iota, Kappa, Theta, Zeta)',
		'broken.hidden: displayOptions refers to "missing", which does not exist',
		'credentials.x: displayOptions wants authentication="nope", not an option',
	]);
});

describe.each(nodes.map((n) => [n.file, n] as const))('%s', (file, { type }) => {
	const { description } = type;

	test('name, codex file and icons are where n8n looks', () => {
		expect(description.name).toMatch(/^[a-z][A-Za-z0-9]*$/);
		const codex = file.replace(/\.ts$/, '.json');
		expect(existsSync(join(ROOT, codex))).toBe(true);
		expect(JSON.parse(readFileSync(join(ROOT, codex), 'utf8')).node).toBe(`${pkg.name}.${description.name}`);
		const icons = typeof description.icon === 'object' ? Object.values(description.icon) : [description.icon];
		for (const icon of icons) {
			expect(icon).toMatch(/^file:.+\.svg$/);
			expect(existsSync(join(ROOT, dirname(file), String(icon).slice('file:'.length)))).toBe(true);
		}
	});

	test('options have name, value and description; valid defaults; lint order; displayOptions that resolve', () => {
		expect(parameterProblems(description)).toEqual([]);
	});

	test('credential tests a node names are methods it has', () => {
		const tests = (type.methods?.credentialTest ?? {}) as Record<string, unknown>;
		for (const credential of description.credentials ?? []) {
			if (credential.testedBy === undefined) continue;
			expect(typeof credential.testedBy === 'string' ? typeof tests[credential.testedBy] : 'function').toBe('function');
		}
	});
});

describe.each(credentials.map((c) => [c.file, c] as const))('%s', (file, { type }) => {
	const properties = credentialProperties(type);

	test('the class name and display name follow n8n conventions; icons exist', () => {
		expect(type.name).toMatch(/^[a-z][A-Za-z0-9]*Api$/);
		expect(type.displayName).toMatch(/ API$/);
		expect(relative(ROOT, join(ROOT, file))).toBe(`credentials/${type.name.charAt(0).toUpperCase()}${type.name.slice(1)}.credentials.ts`);
		const icons = type.icon === undefined ? [] : typeof type.icon === 'object' ? Object.values(type.icon) : [type.icon];
		for (const icon of icons) expect(existsSync(join(ROOT, dirname(file), String(icon).slice('file:'.length)))).toBe(true);
	});

	test('every option has a name and a value; defaults are among the values', () => {
		for (const property of type.properties.filter((p) => p.type === 'options' || p.type === 'multiOptions')) {
			const options = (property.options ?? []) as INodePropertyOptions[];
			expect(options.length).toBeGreaterThan(0);
			for (const option of options) {
				expect(typeof option.name === 'string' && option.name.trim() !== '').toBe(true);
				expect(option.value !== undefined && option.value !== '').toBe(true);
			}
			expect(new Set(options.map((o) => o.value)).size).toBe(options.length);
			expect(options.map((o) => o.value)).toContain(property.default);
		}
	});

	test('every displayOptions names an existing credential field (inherited ones included) and one of its values', () => {
		for (const property of properties) {
			for (const rule of [property.displayOptions?.show, property.displayOptions?.hide]) {
				for (const [key, wanted] of Object.entries(rule ?? {})) {
					const target = properties.find((p) => p.name === key);
					expect({ field: property.name, refersTo: key, exists: target !== undefined }).toEqual({ field: property.name, refersTo: key, exists: true });
					if (target?.type === 'options') {
						const values = (target.options as INodePropertyOptions[]).map((o) => o.value);
						for (const value of (wanted ?? []) as unknown[]) expect(values).toContain(value);
					}
				}
			}
		}
	});

	test('secrets are password fields', () => {
		for (const property of type.properties) {
			if (/password|secret|key|token/i.test(property.name) && property.type === 'string') {
				expect({ field: property.name, password: property.typeOptions?.password === true }).toEqual({ field: property.name, password: true });
			}
		}
	});
});
