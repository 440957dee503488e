/**
 * `npm run demo` — the whole thing on one machine, nothing to configure:
 *
 *   1. builds the package (npm run build);
 *   2. installs n8n into .e2e/ on the first run (n8n 2.x on a Node 24 from npm; about 6 minutes, then reused);
 *   3. starts the Pardot simulator with a month of seeded records and a background stream of changes;
 *   4. packs the package (npm pack) and installs the tarball into the n8n user folder as n8n's community-package
 *      installer does (e2e/lib/package.ts), then starts n8n on 127.0.0.1 with an owner login, the credentials and
 *      two active demo workflows, each Pardot Trigger -> Pardot Event Callback -> a local receiver that prints each
 *      signed notification here: contacts and leads, and new form submissions (Visitor Activities, Activity
 *      Types: Form Submission, from examples/new-form-submission-to-callback-url.json);
 *   5. prints the editor URL and the login. Ctrl-C stops everything.
 *
 * Options: --n8n 1 (n8n 1.x on this machine's Node 20 instead of 2.x), --port 5678, --sim-port 8765,
 * --changes-per-minute 6, --legacy (the demo workflow uses the legacy user-key credential, API v4, instead of
 * OAuth2 client credentials on API v5).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureN8n, E2E_HOME, REPO_ROOT, versions } from '../e2e/lib/install';
import { DEFAULT_OWNER, freePort, N8n, waitFor, type Owner } from '../e2e/lib/n8n';
import { packPackage, removeTarball, type Tarball } from '../e2e/lib/package';
import { installCleanup, runToEnd, start, stopAll, type Proc } from '../e2e/lib/procs';
import { SIM_DEFAULTS } from '../e2e/lib/sim';
import { startSink, type Sink } from '../e2e/lib/sink';
import { fromExample, TRIGGER_TYPE, triggerToCallback } from '../e2e/lib/workflows';

export interface DemoOptions {
	line?: string;
	port?: number;
	simPort?: number;
	changesPerMinute?: number;
	legacy?: boolean;
	build?: boolean;
	quiet?: boolean;
}

export interface Demo {
	n8n: N8n;
	owner: Owner;
	/** Contacts and leads to a callback URL. */
	workflowId: string;
	/** New form submissions to a callback URL. */
	formsWorkflowId: string;
	simUrl: string;
	sink: Sink;
	sim: Proc;
	tarball: Tarball;
	credentialIds: Record<string, string>;
	stop(): Promise<void>;
}

export const DEMO_SIGNING_KEY = 'demo-signing-key';

function log(msg: string) {
	process.stdout.write(`[demo] ${msg}\n`);
}

async function portFree(port: number) {
	const net = await import('node:net');
	return new Promise<boolean>((resolve) => {
		const s = net.createServer();
		s.once('error', () => resolve(false));
		s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
	});
}

export async function startDemo(o: DemoOptions = {}): Promise<Demo> {
	const line = o.line ?? '2';
	if (!versions.lines[line]) throw new Error(`--n8n must be one of ${Object.keys(versions.lines).join(', ')}`);
	if (o.build !== false) {
		log('building the package (npm run build)');
		const r = await runToEnd('npm run build', 'npm', ['run', 'build'], { cwd: REPO_ROOT, timeoutMs: 300_000 });
		if (r.code !== 0) throw new Error(`npm run build failed:\n${r.output.slice(-3000)}`);
	}
	const install = await ensureN8n(line);
	const tarball = await packPackage();
	log(`packed ${tarball.describe}`);

	// The simulator, as people run it: npm run simulator, with a background stream of changes.
	const simPort = o.simPort ?? ((await portFree(8765)) ? 8765 : await freePort());
	const changes = o.changesPerMinute ?? 6;
	let simUrl = '';
	const sim = start(
		'simulator',
		'npm',
		['run', '--silent', 'simulator', '--', '--port', String(simPort), '--changes-per-minute', String(changes)],
		{
			cwd: REPO_ROOT,
			env: process.env,
			logFile: path.join(E2E_HOME, 'demo-simulator.log'),
			onLine: (l) => {
				const m = /listening on (http:\/\/\S+)/.exec(l);
				if (m) simUrl = m[1];
				// the background stream: "<ISO time> <op> <type> <id>"
				if (simUrl && !o.quiet && /^\d{4}-\d\d-\d\dT\S+ \w+ \w+ \S+$/.test(l.trim())) log(`Pardot change: ${l.trim()}`);
			},
		},
	);
	await waitFor('the simulator to listen', () => {
		if (sim.child.exitCode !== null) throw new Error(`the simulator exited (${sim.child.exitCode}); see ${path.join(E2E_HOME, 'demo-simulator.log')}`);
		return simUrl;
	}, { timeoutMs: 60_000, intervalMs: 200 });
	log(`Pardot simulator on ${simUrl} (${changes} random changes a minute)`);
	// A few changes from the last minutes, so that the workflow's first poll (Start From: one hour back) has
	// settled events to send at once, even on API v5 whose changes wait 65 s before they are read.
	const control = async (name: string, body: unknown) => {
		const r = await fetch(`${simUrl}/__sim/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		if (!r.ok) throw new Error(`simulator ${name}: HTTP ${r.status} ${await r.text()}`);
		return r.json() as Promise<any>;
	};
	const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
	await control('create', { type: 'prospect', fields: { email: 'ada.lovelace@example.com', first_name: 'Ada', last_name: 'Lovelace', company: 'Analytical Engines' }, at: minutesAgo(9) });
	await control('create', { type: 'opportunity', fields: { name: 'Analytical Engines - Pilot', value: 25000, probability: 40 }, at: minutesAgo(8) });
	const grace = await control('create', { type: 'prospect', fields: { email: 'grace.hopper@example.com', first_name: 'Grace', last_name: 'Hopper', company: 'Compilers Inc' }, at: minutesAgo(6) });
	// Grace fills in the contact form (a form submission: type 4 with a form), after opening an email (not one).
	await control('activity', { type: 11, emailId: 4401, prospectId: grace.id, details: 'November newsletter', at: minutesAgo(5) });
	await control('activity', { type: 4, formId: 1101, prospectId: grace.id, details: 'Contact us', at: minutesAgo(4) });

	// The receiver the callbacks post to: prints each notification, checks its signature.
	const sink = await startSink();
	const paths = ['/callback', '/form-submissions'];
	for (const p of paths) sink.setKey(p, DEMO_SIGNING_KEY);
	const printed = new Map(paths.map((p) => [p, 0]));
	const printer = setInterval(() => {
		for (const p of paths) {
			const reqs = sink.requests(p);
			for (let i = printed.get(p)!; i < reqs.length; i++) {
				const r = reqs[i];
				const evs = r.events.map((e) => `${e.eventType} ${e.objectType} ${e.objectId}`).join(', ');
				if (!o.quiet) log(`${p} received ${r.events.length} event(s)${r.problems.length ? ` PROBLEMS: ${r.problems.join('; ')}` : ', signature OK'}: ${evs}`);
				if (o.quiet) continue;
				for (const a of r.json?.message?.raw?.visitorActivities ?? []) {
					const who = a.prospectId ?? a.prospect_id;
					const what = a.details ? ` "${a.details}"` : '';
					log(`  form submission ${a.id}:${what} form ${a.formId ?? a.form_id}, ${who ? `prospect ${who}` : 'an anonymous visitor'}, at ${a.createdAt ?? a.created_at}`);
				}
			}
			printed.set(p, reqs.length);
		}
	}, 1000);
	printer.unref();

	// n8n with the package, a fresh user folder under .e2e/.
	const userFolder = path.join(E2E_HOME, `demo-n8n-${install.version}`);
	fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	const port = o.port ?? ((await portFree(5678)) ? 5678 : await freePort());
	const n8n = new N8n({ install, userFolder, port, log });
	const installedAt = await n8n.installPackage(tarball);
	removeTarball(tarball);
	log(`installed ${tarball.describe} into ${installedAt}, as n8n's installer does`);
	log(`starting n8n ${install.version} (log: ${n8n.logFile})`);
	await n8n.start(180_000);
	const owner = await n8n.ensureOwner(DEFAULT_OWNER);

	const legacyCred = await n8n.createCredential('Pardot simulator (legacy user key)', 'pardotApi', {
		username: SIM_DEFAULTS.username,
		password: SIM_DEFAULTS.password,
		userKey: SIM_DEFAULTS.userKey,
		apiVersion: '4',
		environment: 'custom',
		baseUrl: simUrl,
		timezone: 'UTC',
	});
	const oauthCred = await n8n.createCredential('Pardot simulator (OAuth2)', 'pardotOAuth2Api', {
		environment: 'custom',
		baseUrl: simUrl,
		loginUrl: simUrl,
		businessUnitId: SIM_DEFAULTS.businessUnitId,
		apiVersion: '5',
		timezone: 'UTC',
		grantType: 'clientCredentials',
		clientId: SIM_DEFAULTS.clientId,
		clientSecret: SIM_DEFAULTS.clientSecret,
	});
	const signing = await n8n.createCredential('Callback signing key (demo)', 'pardotCallbackSigningApi', {
		signingKey: DEMO_SIGNING_KEY,
	});
	const pardotCred = o.legacy ? legacyCred : oauthCred;
	// Start one hour back: the activation catches up at once, so the first events show immediately.
	const startFrom = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
	const wf = await n8n.createWorkflow(
		triggerToCallback({
			name: 'Pardot demo: contacts and leads to a callback URL',
			authentication: o.legacy ? 'legacy' : 'oAuth2',
			pardotCredential: { id: pardotCred.id, name: pardotCred.name },
			signingCredential: { id: signing.id, name: signing.name },
			callbackUrl: `${sink.url}/callback`,
			triggerOptions: { startFrom },
			callbackOptions: { instanceName: 'pardot-demo' },
		}),
	);
	await n8n.activate(wf.id);
	// The second workflow: the example "new form submission -> callback URL", completed as after an import
	// (credentials, callback URL), with the same Start From as the first.
	const formsWf = fromExample('new-form-submission-to-callback-url.json', {
		name: 'Pardot demo: new form submissions to a callback URL',
		authentication: o.legacy ? 'legacy' : 'oAuth2',
		pardotCredential: { id: pardotCred.id, name: pardotCred.name },
		signingCredential: { id: signing.id, name: signing.name },
		callbackUrl: `${sink.url}/form-submissions`,
		callbackOptions: { instanceName: 'pardot-demo-forms' },
	});
	for (const node of formsWf.nodes) if (node.type === TRIGGER_TYPE) node.parameters.options = { ...node.parameters.options, startFrom };
	const forms = await n8n.createWorkflow(formsWf);
	await n8n.activate(forms.id);

	return {
		n8n,
		owner,
		workflowId: wf.id,
		formsWorkflowId: forms.id,
		simUrl,
		sink,
		sim,
		tarball,
		credentialIds: { pardotApi: legacyCred.id, pardotOAuth2Api: oauthCred.id, pardotCallbackSigningApi: signing.id },
		async stop() {
			clearInterval(printer);
			await n8n.stop().catch(() => {});
			await sim.stop(5_000).catch(() => {});
			await sink.close().catch(() => {});
			await stopAll();
		},
	};
}

function arg(args: string[], name: string): string | undefined {
	const i = args.indexOf(`--${name}`);
	if (i >= 0) return args[i + 1];
	const eq = args.find((a) => a.startsWith(`--${name}=`));
	return eq?.slice(name.length + 3);
}

async function main() {
	const args = process.argv.slice(2);
	installCleanup(() => log('stopping n8n, the simulator and the receiver'));
	const demo = await startDemo({
		line: arg(args, 'n8n') ?? '2',
		port: arg(args, 'port') ? Number(arg(args, 'port')) : undefined,
		simPort: arg(args, 'sim-port') ? Number(arg(args, 'sim-port')) : undefined,
		changesPerMinute: arg(args, 'changes-per-minute') ? Number(arg(args, 'changes-per-minute')) : undefined,
		legacy: args.includes('--legacy'),
		build: !args.includes('--no-build'),
	});
	const url = `${demo.n8n.baseUrl}/workflow/${demo.workflowId}`;
	process.stdout.write(
		[
			'',
			'==================================================================',
			` n8n ${demo.n8n.install.version} is running with n8n-nodes-pardot (installed from ${demo.tarball.describe.split(' ')[0]})`,
			` Editor:    ${demo.n8n.baseUrl}`,
			` Workflows: ${url}  (contacts and leads, active)`,
			`            ${demo.n8n.baseUrl}/workflow/${demo.formsWorkflowId}  (new form submissions, active)`,
			` Login:     ${demo.owner.email}  /  ${demo.owner.password}`,
			` Simulator: ${demo.simUrl}  (Pardot API; random changes stream in)`,
			` Callbacks: ${demo.sink.url}/callback and /form-submissions  (printed below as they arrive)`,
			' Executions appear in the editor once a minute. Ctrl-C stops everything.',
			'==================================================================',
			'',
		].join('\n'),
	);
	await new Promise(() => {}); // until Ctrl-C
}

if (require.main === module) {
	main().catch((e) => {
		console.error(`[demo] failed: ${(e as Error).message}`);
		process.exit(1);
	});
}
