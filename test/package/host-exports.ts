/**
 * What the built package takes from its host at runtime, and what each supported host offers.
 *
 * Installed as users install it, the package's `require('n8n-workflow')` and `require('luxon')` resolve to the host
 * n8n's own copies (n8n puts its module paths on NODE_PATH), not to our devDependencies. So a value our code
 * imports must exist in the n8n-workflow and luxon of every supported n8n line, at the versions that n8n release
 * depends on (pinned per line in e2e/versions.json, "host").
 *
 * How the host packages are read, and why this way:
 * - `npm pack <name>@<version>` fetches each pinned package's registry tarball into a cache folder
 *   (node_modules/.cache/host-packages, reused until `npm ci` clears it). Nothing is installed: installing
 *   n8n-workflow 2.41 pulls @n8n/expression-runtime -> isolated-vm, whose native build fails on Node 20, and no
 *   install script of any host package ever runs here.
 * - A package that ships type declarations (n8n-workflow) is read through them with the TypeScript checker: its
 *   exported names, whether each is a value (types vanish at runtime), and the members of each value (such as
 *   `NodeConnectionTypes.Main`). A name the declarations re-export from another package (n8n-workflow 2.41 takes
 *   `sleep` from @n8n/utils) is confirmed in the matching CommonJS file, which is what `require` loads.
 * - A package without declarations and without dependencies (luxon) is loaded from its tarball with `require`, and
 *   its real exports are read.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

// ------------------------------------------------------------------------------------------ what dist/ imports

/** One value taken from a module, e.g. `NodeConnectionTypes` with members `Main`. */
export interface ImportedValue {
	name: string;
	members: Set<string>;
	files: Set<string>;
}

export interface ImportScan {
	/** module -> values taken from it */
	modules: Map<string, Map<string, ImportedValue>>;
	/** relative requires that point to no emitted file: they would fail in the tarball */
	missingLocal: string[];
	/** uses of a module's binding that are not a plain `binding.name` access, so cannot be checked */
	unverifiable: string[];
}

/** The JavaScript tsc emits for the package (tsconfig.build.json), in memory: path relative to the out dir -> text. */
export function emitPackage(): Map<string, string> {
	const configPath = path.join(REPO_ROOT, 'tsconfig.build.json');
	const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
		...ts.sys,
		onUnRecoverableConfigFileDiagnostic: (d) => {
			throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
		},
	});
	if (!parsed) throw new Error(`cannot read ${configPath}`);
	const outDir = parsed.options.outDir ?? path.join(REPO_ROOT, 'dist');
	const program = ts.createProgram(parsed.fileNames, { ...parsed.options, sourceMap: false, declaration: false });
	const files = new Map<string, string>();
	const result = program.emit(undefined, (fileName, text) => {
		if (fileName.endsWith('.js')) files.set(path.relative(outDir, fileName).split(path.sep).join('/'), text);
	});
	const errors = ts.getPreEmitDiagnostics(program).concat(result.diagnostics).filter((d) => d.category === ts.DiagnosticCategory.Error);
	if (errors.length) throw new Error(ts.formatDiagnostics(errors, { ...ts.sys, getCanonicalFileName: (f) => f, getNewLine: () => '\n' }));
	return files;
}

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const INTEROP_HELPERS = new Set(['__importDefault', '__importStar']);

/**
 * Every `require()` in the emitted files: relative ones must point to an emitted file, builtins are fine, and for
 * every other module each value taken from it is listed (tsc's CommonJS output binds a module to one variable
 * and reads values as `binding.name`, calls as `(0, binding.name)(...)`).
 */
export function scanImports(files: Map<string, string>): ImportScan {
	const scan: ImportScan = { modules: new Map(), missingLocal: [], unverifiable: [] };
	for (const [file, text] of files) {
		const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2021, true, ts.ScriptKind.JS);
		const bindings = new Map<string, { module: string; defaultInterop: boolean }>();
		const take = (module: string, name: string, member?: string) => {
			if (!scan.modules.has(module)) scan.modules.set(module, new Map());
			const values = scan.modules.get(module)!;
			if (!values.has(name)) values.set(name, { name, members: new Set(), files: new Set() });
			const value = values.get(name)!;
			value.files.add(file);
			if (member !== undefined) value.members.add(member);
		};
		const where = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;

		const visitRequire = (node: ts.Node) => {
			if (
				ts.isCallExpression(node) &&
				ts.isIdentifier(node.expression) &&
				node.expression.text === 'require' &&
				node.arguments.length === 1
			) {
				const arg = node.arguments[0];
				if (!ts.isStringLiteral(arg)) {
					scan.unverifiable.push(`${where(node)}: require() of a computed name`);
					return;
				}
				const module = arg.text;
				if (module.startsWith('.')) {
					const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), module));
					if (!files.has(`${target}.js`) && !files.has(`${target}/index.js`)) scan.missingLocal.push(`${where(node)}: ${module}`);
					return;
				}
				if (BUILTINS.has(module)) return;
				let outer: ts.Node = node;
				let defaultInterop = false;
				if (ts.isCallExpression(node.parent) && ts.isIdentifier(node.parent.expression) && INTEROP_HELPERS.has(node.parent.expression.text)) {
					outer = node.parent;
					defaultInterop = node.parent.expression.text === '__importDefault';
				}
				const holder = outer.parent;
				if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) {
					bindings.set(holder.name.text, { module, defaultInterop });
				} else if (ts.isVariableDeclaration(holder) && ts.isObjectBindingPattern(holder.name) && !defaultInterop) {
					for (const element of holder.name.elements) {
						const key = element.propertyName ?? element.name;
						if (ts.isIdentifier(key)) take(module, key.text);
						else scan.unverifiable.push(`${where(element)}: destructured ${module} with a computed name`);
					}
				} else {
					scan.unverifiable.push(`${where(node)}: require("${module}") is not bound to a variable`);
				}
				return;
			}
			ts.forEachChild(node, visitRequire);
		};
		visitRequire(source);

		const visitUse = (node: ts.Node) => {
			if (ts.isIdentifier(node) && bindings.has(node.text) && !(ts.isVariableDeclaration(node.parent) && node.parent.name === node)) {
				const { module, defaultInterop } = bindings.get(node.text)!;
				let access: ts.Node = node;
				// `__importDefault(require(x)).default` is the module itself when it is CommonJS
				if (defaultInterop && ts.isPropertyAccessExpression(access.parent) && access.parent.name.text === 'default') access = access.parent;
				const parent = access.parent;
				if (ts.isPropertyAccessExpression(parent) && parent.expression === access) {
					const grand = parent.parent;
					const member = ts.isPropertyAccessExpression(grand) && grand.expression === parent ? grand.name.text : undefined;
					take(module, parent.name.text, member);
				} else {
					scan.unverifiable.push(`${where(node)}: ${module} used as a whole ("${parent.getText().slice(0, 60)}")`);
				}
			}
			ts.forEachChild(node, visitUse);
		};
		visitUse(source);
	}
	return scan;
}

// ------------------------------------------------------------------------------------------ what a host offers

export interface HostExports {
	name: string;
	version: string;
	/** does the package export this value at runtime? */
	hasValue(name: string): boolean;
	/** does that value have this member (static member, object key)? undefined when it cannot be told */
	hasMember(name: string, member: string): boolean | undefined;
}

const CACHE = path.join(REPO_ROOT, 'node_modules', '.cache', 'host-packages');

/** The registry tarball of name@version, extracted (no install, no scripts); cached. */
export function fetchPackage(name: string, version: string): string {
	const dir = path.join(CACHE, `${name.replace('/', '+')}@${version}`);
	if (fs.existsSync(path.join(dir, '.complete'))) return dir;
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	const out = execFileSync(
		'npm',
		['pack', `${name}@${version}`, '--json', '--pack-destination', dir, '--prefer-offline', '--ignore-scripts', '--no-update-notifier', '--loglevel=error'],
		{ cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
	);
	const tarball = path.join(dir, (JSON.parse(out) as Array<{ filename: string }>)[0].filename);
	execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], { stdio: 'ignore' });
	fs.rmSync(tarball);
	fs.writeFileSync(path.join(dir, '.complete'), `${name}@${version}\n`);
	return dir;
}

function entryOf(pkg: any, condition: 'types' | 'require'): string | undefined {
	const root = pkg.exports?.['.'] ?? (typeof pkg.exports === 'string' ? pkg.exports : undefined);
	const fromExports = typeof root === 'string' ? (condition === 'require' ? root : undefined) : root?.[condition] ?? root?.default;
	if (typeof fromExports === 'string') return fromExports;
	return condition === 'types' ? (pkg.types ?? pkg.typings) : (pkg.main ?? 'index.js');
}

export function readHostExports(name: string, version: string): HostExports {
	const dir = fetchPackage(name, version);
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const types = entryOf(pkg, 'types');
	if (types) return fromDeclarations(name, version, dir, path.join(dir, types));
	if (Object.keys(pkg.dependencies ?? {}).length > 0)
		throw new Error(`${name}@${version} has neither type declarations nor zero dependencies: its exports cannot be read without installing it`);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const loaded = require(path.join(dir, entryOf(pkg, 'require')!));
	return {
		name,
		version,
		hasValue: (n) => Object.prototype.hasOwnProperty.call(loaded, n) && loaded[n] !== undefined,
		hasMember: (n, m) => loaded[n] !== undefined && loaded[n] !== null && (loaded[n] as any)[m] !== undefined,
	};
}

function fromDeclarations(name: string, version: string, dir: string, entry: string): HostExports {
	const program = ts.createProgram([entry], {
		noEmit: true,
		skipLibCheck: true,
		types: [],
		module: ts.ModuleKind.CommonJS,
		moduleResolution: ts.ModuleResolutionKind.Node10,
		target: ts.ScriptTarget.ES2021,
	});
	const checker = program.getTypeChecker();
	const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!);
	if (!moduleSymbol) throw new Error(`${entry} is not a module`);
	const exported = new Map(checker.getExportsOfModule(moduleSymbol).map((s) => [s.name, s]));

	/** The declaration, or null when it lives in another package whose declarations are not here. */
	const resolve = (symbol: ts.Symbol): ts.Symbol | null => {
		if (!(symbol.flags & ts.SymbolFlags.Alias)) return symbol;
		const target = checker.getAliasedSymbol(symbol);
		return target.declarations?.length ? target : null;
	};
	/** A re-export from another package: is it a runtime export of the CommonJS file `require` loads? */
	const inCommonJs = (symbol: ts.Symbol): boolean => {
		// follow the chain of re-exports to the last one inside this package
		let current: ts.Symbol = symbol;
		for (;;) {
			const next = checker.getImmediateAliasedSymbol(current);
			if (!next || !next.declarations?.length || !(next.flags & ts.SymbolFlags.Alias)) break;
			current = next;
		}
		const declaration = current.declarations?.[0];
		if (!declaration) return false;
		const dts = declaration.getSourceFile().fileName;
		const js = dts.replace(`${path.sep}esm${path.sep}`, `${path.sep}cjs${path.sep}`).replace(/\.d\.ts$/, '.js');
		if (!js.startsWith(dir) || !fs.existsSync(js)) return false;
		const text = fs.readFileSync(js, 'utf8');
		const n = current.name;
		return text.includes(`Object.defineProperty(exports, "${n}"`) || new RegExp(`\\bexports\\.${n}\\s*=\\s*(?!void 0)`).test(text);
	};

	return {
		name,
		version,
		hasValue(n) {
			const symbol = exported.get(n);
			if (!symbol) return false;
			const target = resolve(symbol);
			if (target === null) return inCommonJs(symbol);
			return (target.flags & ts.SymbolFlags.Value) !== 0 && (target.flags & ts.SymbolFlags.Value) !== ts.SymbolFlags.ConstEnum;
		},
		hasMember(n, m) {
			const symbol = exported.get(n);
			const target = symbol && resolve(symbol);
			if (!target) return undefined;
			return checker.getTypeOfSymbol(target).getProperty(m) !== undefined;
		},
	};
}

// ------------------------------------------------------------------------------------------ the check

export interface HostLine {
	label: string;
	/** module name -> version the host n8n provides */
	host: Record<string, string>;
}

/** What one host line lacks of what the scan found, as readable lines; empty when everything is there. */
export function missingOn(line: HostLine, scan: ImportScan, read: (name: string, version: string) => HostExports): string[] {
	const problems: string[] = [];
	for (const [module, values] of scan.modules) {
		const version = line.host[module];
		if (version === undefined) {
			problems.push(
				`"${module}" is neither shipped in the tarball nor provided by n8n ${line.label} (used in ${[...new Set([...values.values()].flatMap((v) => [...v.files]))].join(', ')})`,
			);
			continue;
		}
		const host = read(module, version);
		for (const value of values.values()) {
			const files = [...value.files].join(', ');
			if (!host.hasValue(value.name)) {
				problems.push(`${module}@${version} (n8n ${line.label}) does not export "${value.name}" (used in ${files})`);
				continue;
			}
			for (const member of value.members) {
				const has = host.hasMember(value.name, member);
				if (has === false) problems.push(`${module}@${version} (n8n ${line.label}): "${value.name}" has no member "${member}" (used in ${files})`);
				if (has === undefined) problems.push(`${module}@${version} (n8n ${line.label}): cannot tell whether "${value.name}.${member}" exists (used in ${files})`);
			}
		}
	}
	return problems;
}
