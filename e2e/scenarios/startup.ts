/**
 * Scenario group "startup", in every line: n8n installed, our package installed from its tarball as n8n installs
 * community packages and loaded by n8n, the node list with our icons, the example workflows import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SIGNING_KEY, versionOf, type LineCtx } from '../lib/flow';
import { ensureN8n, REPO_ROOT, versions, type N8nInstall } from '../lib/install';
import { type N8n } from '../lib/n8n';
import { checkHostModules, type Tarball } from '../lib/package';
import { assert, test } from '../lib/report';
import { type Sink } from '../lib/sink';
import { ACTION_TYPE, CALLBACK_TYPE, TRIGGER_TYPE } from '../lib/workflows';

/** The n8n of a line (from e2e/versions.json), installed into the e2e home when missing. */
export async function installN8n(label: string, line: string): Promise<N8nInstall | undefined> {
	const spec = versions.lines[line];
	let install: N8nInstall | undefined;
	await test(label, `install n8n ${spec.n8n}${spec.node ? ` on ${spec.node}` : ' on this Node'}`, async (log) => {
		install = await ensureN8n(line);
		log(`node ${install.nodeBin}`);
	});
	return install;
}

/**
 * The tarball into each process's user folder (as n8n's installer does), the host's n8n-workflow and luxon as
 * pinned, then the main process (and any workers) started, an owner, the signing credential, our node types
 * loaded. Returns the line's context, or undefined when n8n did not come up with the package.
 */
export async function startWithPackage(
	label: string,
	main: N8n,
	sink: Sink,
	tarball: Tarball,
	o: { line: string; workers?: N8n[] } = { line: '2' },
): Promise<LineCtx | undefined> {
	let ctx: LineCtx | undefined;
	const processes = [main, ...(o.workers ?? [])];
	const installed = await test(label, `package installed as n8n installs it: ${tarball.describe}`, async (log) => {
		for (const p of processes) {
			const dir = await p.installPackage(tarball);
			const problems = checkHostModules(dir, p.install.dir, versions.lines[o.line].host ?? {});
			assert(problems.length === 0, problems.join('; '));
			const files = fs.readdirSync(dir);
			assert(!fs.lstatSync(dir).isSymbolicLink(), `${dir} is a symlink`);
			log(`${p.name}: ${dir} (${files.join(', ')}); n8n-workflow and luxon come from n8n ${p.install.version}`);
		}
	});
	if (!installed) return undefined;
	await test(label, 'n8n starts with the package loaded', async (log) => {
		await main.start();
		await Promise.all((o.workers ?? []).map((w) => w.start()));
		await main.ensureOwner();
		const signing = await main.createCredential('Callback signing (e2e)', 'pardotCallbackSigningApi', { signingKey: SIGNING_KEY });
		const types = await main.nodeTypes();
		const trig = types.find((t) => t.name === TRIGGER_TYPE);
		const cb = types.find((t) => t.name === CALLBACK_TYPE);
		assert(trig, `${TRIGGER_TYPE} not among the ${types.length} loaded node types\n${main.tail(30)}`);
		assert(cb, `${CALLBACK_TYPE} not among the loaded node types`);
		ctx = { label, n8n: main, sink, signing: { id: signing.id, name: signing.name }, typeVersions: { trigger: versionOf(trig), callback: versionOf(cb) } };
		log(`user folder ${main.userFolder}; trigger v${versionOf(trig)}, callback v${versionOf(cb)}`);
	});
	return ctx;
}

export async function nodeList(ctx: LineCtx) {
	const { n8n, label } = ctx;
	await test(label, 'node list shows our nodes and credentials with our icon', async (log) => {
		const types = await n8n.nodeTypes();
		for (const name of [TRIGGER_TYPE, CALLBACK_TYPE, ACTION_TYPE]) {
			const t = types.find((x) => x.name === name);
			assert(t, `${name} missing from /types/nodes.json`);
			const icon = t.iconUrl?.light ?? t.iconUrl ?? t.icon;
			assert(typeof icon === 'string' && icon, `${name} has no icon: ${JSON.stringify({ icon: t.icon, iconUrl: t.iconUrl })}`);
			assert(/^icons\/n8n-nodes-pardot\/dist\/.+\.svg$/.test(icon), `${name} icon is not from our package: ${icon}`);
			const url = icon.startsWith('file:') ? null : icon;
			assert(url, `${name} icon was not turned into a URL by n8n: ${icon}`);
			const r = await n8n.fetchRaw(url);
			const body = await r.text();
			assert(r.ok && body.includes('<svg'), `GET ${url} -> ${r.status} ${body.slice(0, 80)}`);
			log(`${name}: "${t.displayName}" icon ${url} (${body.length} bytes of SVG)`);
		}
		const creds = await n8n.credentialTypes();
		for (const name of ['pardotApi', 'pardotOAuth2Api', 'pardotCallbackSigningApi']) {
			const t = creds.find((x) => x.name === name);
			assert(t, `credential ${name} missing from /types/credentials.json`);
			const icon = t.iconUrl?.light ?? t.iconUrl ?? t.icon;
			assert(typeof icon === 'string' && /\.svg$/.test(icon), `credential ${name} has no icon: ${JSON.stringify(t.icon ?? t.iconUrl)}`);
			log(`credential ${name}: "${t.displayName}" icon ${icon}`);
		}
	});
}

export async function examplesImport(ctx: LineCtx) {
	const { n8n, label } = ctx;
	await test(label, 'examples/*.json import', async (log) => {
		const dir = path.join(REPO_ROOT, 'examples');
		const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
		assert(files.length >= 3, `expected at least 3 example workflows in examples/, found ${files.length}`);
		const known = new Set((await n8n.nodeTypes()).map((t) => t.name));
		for (const f of files) {
			const wf = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
			const created = await n8n.createWorkflow({ ...wf, name: `example ${f}` });
			const back = await n8n.getWorkflow(created.id);
			assert(back.nodes.length === wf.nodes.length, `${f}: ${back.nodes.length} of ${wf.nodes.length} nodes came back`);
			const unknown = back.nodes.filter((n: any) => !known.has(n.type)).map((n: any) => n.type);
			assert(unknown.length === 0, `${f}: unknown node types ${unknown.join(', ')}`);
			// a Pardot flow, an error workflow for Pardot flows (redeliver-failed-callbacks.json), or one with the action node
			assert(
				back.nodes.some((n: any) => n.type === TRIGGER_TYPE || n.type === 'n8n-nodes-base.errorTrigger' || n.type === ACTION_TYPE),
				`${f}: neither a Pardot Trigger, an Error Trigger nor a Pardot node in the example`,
			);
			log(`${f}: ${back.nodes.length} nodes (${back.nodes.map((n: any) => n.type.split('.').pop()).join(', ')})`);
		}
	});
}
