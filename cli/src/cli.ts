#!/usr/bin/env node
/**
 * n8n-nodes-pardot-migrate: SAP Open Connectors Pardot instance JSONs -> n8n workflows (Pardot Trigger -> Pardot
 * Event Callback), written as importable files or created in a running n8n through its public REST API.
 *
 * Why a package of its own and not a `bin` of n8n-nodes-pardot: n8n lints every .js file of a community package's
 * tarball (@n8n/scan-community-package, with @n8n/eslint-plugin-community-nodes and no-console), and a command
 * line tool needs exactly what those rules forbid there: `process`, `console`, `fs`. See the README, "Moving from
 * SAP Open Connectors".
 *
 * Exit status: 0 done, 1 a problem (nothing written or created for the instance at fault), 2 bad usage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { instancesOf, planOf, type Auth, type Plan } from './instance';
import { MigrateError, n8nBaseOf, N8nApi, redact } from './n8n-api';
import { credentialsOf, scheduleOf, TRIGGER_NAME, workflowOf, type CredentialRef, type Refs } from './workflow';

const USAGE = `Usage: n8n-nodes-pardot-migrate [options] <instance.json>...

Turns SAP Open Connectors Pardot instance JSONs (an instance object or an array of them per file) into n8n
workflows: a Pardot Trigger followed by a Pardot Event Callback, one workflow per instance.

Without --n8n-url, writes one workflow file per instance (in n8n: Import from File) and prints the credentials to
create. With --n8n-url and an API key, creates the credentials and the workflows in that n8n.

Options:
  --out <folder>            where workflow files go (default: the current folder)
  --force                   overwrite workflow files that exist
  --auth legacy|oauth2      legacy (default): the instance's user-key login (apikey.user.*, provider.version).
                            oauth2: a Pardot OAuth2 API credential instead; real Pardot accounts refuse user-key
                            logins since 2021 (error 199).
  --oauth2-credential <id>  with --auth oauth2 and --n8n-url: an existing Pardot OAuth2 API credential to use
  --start-from <date-time>  the trigger first catches up on every change since then, e.g. when the Open
                            Connectors instance stopped: 2026-11-27T14:00:00Z (an offset or Z is required)
  --pardot-base-url <url>   Pardot's address for the legacy credential (Environment Custom), e.g. the simulator
  --n8n-url <url>           create everything in this n8n (its address, e.g. https://n8n.example.com)
  --api-key <key>           n8n API key (Settings → n8n API); or set N8N_API_KEY
  --activate                activate each workflow once created (needs --n8n-url); n8n 2.x starts the trigger
                            after answering: the command waits until it has (or has failed)
  --activation-wait <s>     how long to wait for that, in seconds (default 120)
  -h, --help                this text
`;

export interface Args {
	files: string[];
	out: string;
	force: boolean;
	auth: Auth;
	oauth2Credential?: string;
	startFrom?: string;
	pardotBaseUrl?: string;
	n8nUrl?: string;
	apiKey?: string;
	activate: boolean;
	/** How long to wait for n8n 2.x to start an activated workflow's trigger (ms). */
	activationWaitMs: number;
	help: boolean;
}

const DEFAULT_ACTIVATION_WAIT_S = 120;

class UsageError extends Error {}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Args {
	const args: Args = { files: [], out: '.', force: false, auth: 'legacy', activate: false, activationWaitMs: DEFAULT_ACTIVATION_WAIT_S * 1000, help: false };
	const value = (i: number, name: string) => {
		const v = argv[i + 1];
		if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value.`);
		return v;
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
		const take = () => (inline !== undefined ? inline : value(i++, name));
		switch (name) {
			case '-h':
			case '--help':
				args.help = true;
				break;
			case '--out':
				args.out = take();
				break;
			case '--force':
				args.force = true;
				break;
			case '--auth': {
				const v = take().toLowerCase();
				if (v === 'legacy') args.auth = 'legacy';
				else if (v === 'oauth2') args.auth = 'oAuth2';
				else throw new UsageError('--auth must be legacy or oauth2.');
				break;
			}
			case '--oauth2-credential':
				args.oauth2Credential = take();
				break;
			case '--start-from':
				args.startFrom = take();
				break;
			case '--pardot-base-url':
				args.pardotBaseUrl = take();
				break;
			case '--n8n-url':
				args.n8nUrl = take();
				break;
			case '--api-key':
				args.apiKey = take();
				break;
			case '--activate':
				args.activate = true;
				break;
			case '--activation-wait': {
				const v = take();
				if (!/^\d{1,5}$/.test(v) || Number(v) < 1) throw new UsageError('--activation-wait takes a number of seconds, 1 or more.');
				args.activationWaitMs = Number(v) * 1000;
				break;
			}
			default:
				if (a.startsWith('-') && a !== '-') throw new UsageError(`Unknown option ${name}.`);
				args.files.push(a);
		}
	}
	if (args.help) return args;
	if (args.files.length === 0) throw new UsageError('Name at least one instance JSON file.');
	args.apiKey = args.apiKey ?? (env.N8N_API_KEY || undefined);
	if (args.n8nUrl && !args.apiKey) throw new UsageError('--n8n-url needs an API key: --api-key <key>, or N8N_API_KEY in the environment.');
	if (args.activate && !args.n8nUrl) throw new UsageError('--activate needs --n8n-url: a workflow file is activated in n8n after import.');
	if (args.oauth2Credential && args.auth !== 'oAuth2') throw new UsageError('--oauth2-credential goes with --auth oauth2.');
	if (args.oauth2Credential && !args.n8nUrl) throw new UsageError('--oauth2-credential needs --n8n-url: in a workflow file, pick the credential after import.');
	if (args.activate && args.auth === 'oAuth2' && !args.oauth2Credential) {
		throw new UsageError('--activate with --auth oauth2 needs --oauth2-credential <id>: the trigger cannot run without its credential.');
	}
	if (args.startFrom !== undefined) {
		const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
		if (!iso.test(args.startFrom) || !Number.isFinite(Date.parse(args.startFrom))) {
			throw new UsageError('--start-from must be an ISO 8601 date-time with Z or an offset, e.g. 2026-11-27T14:00:00Z.');
		}
	}
	if (args.pardotBaseUrl !== undefined) {
		let u: URL | undefined;
		try {
			u = new URL(args.pardotBaseUrl);
		} catch {
			u = undefined;
		}
		if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) throw new UsageError('--pardot-base-url must be an http or https URL.');
		if (args.auth !== 'legacy') throw new UsageError('--pardot-base-url sets the legacy credential; the OAuth2 credential has its own Environment.');
		args.pardotBaseUrl = `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
	}
	return args;
}

export interface Io {
	out(line: string): void;
	err(line: string): void;
	cwd: string;
	env: NodeJS.ProcessEnv;
}

/** C0 and C1 controls, DEL, and the Unicode controls that reorder or break a line in a terminal. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A line as the terminal should show it: every control character written out (\n, \x1b, \u202e ...), so that a
 * name from an instance JSON, a file name or an error text cannot move the cursor, erase lines or start an escape
 * sequence. Everything the command prints passes through here.
 */
export function printable(line: string): string {
	return line.replace(CONTROL, (c) => NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** What one plan says about itself, for the terminal. Never a secret; the callback URL without user info or query. */
function describe(plan: Plan, startFrom?: string): string[] {
	const schedule = scheduleOf(plan.refreshMinutes);
	const lines = [`${plan.source}: instance "${plan.instanceName}" -> workflow "${plan.workflowName}"`];
	const resources = plan.resources.map((r) => (r === 'leads' ? 'leads (Leads Are: Opportunities)' : r)).join(', ');
	lines.push(
		`  Pardot Trigger: ${resources}; Created and Updated; ${schedule.says}${plan.refreshGiven ? '' : ' (Open Connectors\' default)'}; ${plan.auth === 'legacy' ? `legacy user-key login, API v${plan.login!.apiVersion}` : 'OAuth2'}${startFrom ? `; catches up from ${startFrom}` : ''}`,
	);
	const fields = [`Instance Name "${plan.instanceName}"`];
	if (plan.instanceId !== undefined) fields.push(`Instance ID ${plan.instanceId}`);
	if (plan.instanceTags) fields.push(`Instance Tags "${plan.instanceTags.join(', ')}"`);
	lines.push(`  Pardot Event Callback: ${plan.callbackDisplay}, batches of 10, ${fields.join(', ')}, ${plan.signingKey !== undefined ? 'signed' : 'not signed'}`);
	for (const note of [...plan.notes, ...(schedule.note ? [schedule.note] : [])]) lines.push(`  note: ${note}`);
	return lines;
}

const LEGACY_WARNING =
	'Salesforce retired Pardot-only logins on 2021-02-15: real Pardot accounts refuse the instance\'s user-key login with error 199. If yours does, run this again with --auth oauth2 (README: "OAuth2 credential").';

/** A file name from the instance name: letters, digits and dashes. */
export function fileNameOf(instanceName: string): string {
	const slug = instanceName
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60);
	return `pardot-${slug || 'instance'}.workflow.json`;
}

/** Every instance of every file, planned; or every problem, each naming its file and field. */
function planAll(args: Args, io: Io): Plan[] | undefined {
	const plans: Plan[] = [];
	const problems: string[] = [];
	for (const file of args.files) {
		let text: string;
		try {
			text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			problems.push(`${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : code ?? 'error'}).`);
			continue;
		}
		const parsed = instancesOf(text, file);
		if (!parsed.ok) {
			problems.push(parsed.problem);
			continue;
		}
		for (const { value, source } of parsed.instances) {
			const r = planOf(value, source, { auth: args.auth });
			if (r.ok) plans.push(r.plan);
			else problems.push(...r.problems.map((p) => (p.startsWith(source) ? p : `${source}: ${p}`)));
		}
	}
	if (problems.length) {
		io.err(`Nothing was ${args.n8nUrl ? 'created' : 'written'}: fix ${problems.length === 1 ? 'this' : `these ${problems.length} problems`} first.`);
		for (const p of problems) io.err(`  - ${p}`);
		return undefined;
	}
	return plans;
}

function writeFiles(args: Args, plans: Plan[], io: Io): number {
	const folder = path.resolve(io.cwd, args.out);
	const names = new Map<string, number>();
	const targets = plans.map((plan) => {
		let name = fileNameOf(plan.instanceName);
		const n = (names.get(name) ?? 0) + 1;
		names.set(name, n);
		if (n > 1) name = name.replace(/\.workflow\.json$/, `-${n}.workflow.json`);
		return { plan, file: path.join(folder, name) };
	});
	if (!args.force) {
		const existing = targets.filter((t) => fs.existsSync(t.file));
		if (existing.length) {
			io.err(`Nothing was written: ${existing.map((t) => path.relative(io.cwd, t.file) || t.file).join(', ')} exist${existing.length === 1 ? 's' : ''}. Use --force to overwrite, or --out <folder>.`);
			return 1;
		}
	}
	fs.mkdirSync(folder, { recursive: true });
	for (const { plan, file } of targets) {
		fs.writeFileSync(file, `${JSON.stringify(workflowOf(plan, {}, { startFrom: args.startFrom }), null, 2)}\n`, 'utf8');
		for (const line of describe(plan, args.startFrom)) io.out(line);
		io.out(`  wrote ${path.relative(io.cwd, file) || file}`);
		io.out('');
	}
	io.out('Then, in n8n, for each file:');
	io.out('  1. Workflows → Import from File.');
	io.out('  2. Create these credentials and pick them in the nodes:');
	for (const { plan } of targets) {
		io.out(`     ${plan.workflowName}:`);
		if (plan.auth === 'legacy') {
			io.out(`       - Pardot Trigger: a "Pardot Legacy User Key API" credential: Email, Password and User Key from apikey.user.name,`);
			io.out(`         apikey.user.password and apikey.user.key of ${plan.source}; API Version ${plan.login!.apiVersion}; Environment ${args.pardotBaseUrl ? `Custom, Base URL ${args.pardotBaseUrl}` : 'Production'}; Time Zone UTC.`);
		} else {
			io.out('       - Pardot Trigger: a "Pardot OAuth2 API" credential (README: "OAuth2 credential": a Salesforce connected app).');
		}
		if (plan.signingKey !== undefined) {
			io.out(`       - Pardot Event Callback: a "Pardot Callback Signing Key API" credential with event.notification.signature.key of ${plan.source}.`);
		}
	}
	io.out('  3. Activate the workflow (n8n 2.x: Publish).');
	if (args.auth === 'legacy') io.out(`Note: ${LEGACY_WARNING}`);
	return 0;
}

async function createInN8n(args: Args, plans: Plan[], io: Io): Promise<number> {
	const secrets = [args.apiKey!, ...plans.flatMap((p) => [p.login?.password, p.login?.userKey, p.signingKey].filter((s): s is string => !!s))];
	const say = (line: string) => io.out(redact(line, secrets));
	const sayErr = (line: string) => io.err(redact(line, secrets));
	const api = new N8nApi(n8nBaseOf(args.n8nUrl!), args.apiKey!, secrets);
	const base = new URL(api.base);
	if (base.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) {
		say(`note: ${api.base} is plain http: the API key and the Pardot login travel unencrypted.`);
	}

	const types = new Set<string>();
	for (const plan of plans) {
		types.add(plan.auth === 'legacy' ? 'pardotApi' : 'pardotOAuth2Api');
		if (plan.signingKey !== undefined) types.add('pardotCallbackSigningApi');
	}
	let oauth2: CredentialRef | undefined;
	try {
		await api.check([...types]);
		if (args.oauth2Credential) {
			const found = await api.credential(args.oauth2Credential);
			if (found && found.type !== 'pardotOAuth2Api') {
				throw new MigrateError(`--oauth2-credential ${args.oauth2Credential} is a ${found.type} credential, not a Pardot OAuth2 API one.`);
			}
			oauth2 = { id: args.oauth2Credential, name: found?.name || 'Pardot OAuth2 API' };
			if (!found) say(`note: this n8n cannot show credential ${args.oauth2Credential} through its API (n8n 1.x): it is used as given.`);
		}
	} catch (error) {
		if (!(error instanceof MigrateError)) throw error;
		sayErr(`Nothing was created: ${error.message}`);
		return 1;
	}

	const done: string[] = [];
	for (const [index, plan] of plans.entries()) {
		const made: { credentials: CredentialRef[]; workflow?: { id: string } } = { credentials: [] };
		try {
			const refs: Refs = {};
			if (oauth2) refs.pardot = { type: 'pardotOAuth2Api', ref: oauth2 };
			for (const spec of credentialsOf(plan, { pardotBaseUrl: args.pardotBaseUrl })) {
				const ref = await api.createCredential(spec);
				made.credentials.push(ref);
				if (spec.role === 'pardot') refs.pardot = { type: 'pardotApi', ref };
				else refs.signing = ref;
			}
			made.workflow = await api.createWorkflow(workflowOf(plan, refs, { startFrom: args.startFrom }));
			if (args.activate) {
				await api.activate(made.workflow.id, plan.workflowName, { name: TRIGGER_NAME, credentialId: refs.pardot?.ref.id }, args.activationWaitMs);
			}
			for (const line of describe(plan, args.startFrom)) say(line);
			const names = made.credentials.map((c) => `"${c.name}"`).join(' and ');
			say(`  created${names ? ` credentials ${names} and` : ''} the workflow, ${args.activate ? 'active' : 'not active yet'}: ${api.editorUrl(made.workflow.id)}`);
			if (plan.auth === 'oAuth2' && !oauth2) say('  to do: create a "Pardot OAuth2 API" credential (README: "OAuth2 credential"), pick it in the Pardot Trigger, then activate.');
			else if (!args.activate) say('  to do: activate it in n8n (n8n 2.x: Publish), or run this again with --activate next time.');
			say('');
			done.push(`"${plan.workflowName}"`);
		} catch (error) {
			if (!(error instanceof MigrateError)) throw error;
			sayErr(`${plan.source}: ${error.message}`);
			// Nothing half-created: remove what this instance got so far.
			const left: string[] = [];
			if (made.workflow && !(await api.deleteWorkflow(made.workflow.id).catch(() => false))) left.push(`workflow ${made.workflow.id}`);
			for (const c of made.credentials) if (!(await api.deleteCredential(c.id).catch(() => false))) left.push(`credential "${c.name}" (${c.id})`);
			const undone = [made.workflow ? 'the workflow' : '', made.credentials.length ? `${made.credentials.length} credential(s)` : ''].filter(Boolean).join(' and ');
			if (left.length) sayErr(`  could not remove ${left.join(', ')}: delete ${left.length === 1 ? 'it' : 'them'} in n8n by hand.`);
			else if (undone) sayErr(`  removed what was created for it (${undone}).`);
			if (done.length) sayErr(`  already created before it: ${done.join(', ')}.`);
			const rest = plans.slice(index + 1).map((p) => p.source);
			if (rest.length) sayErr(`  not attempted: ${rest.join(', ')}.`);
			return 1;
		}
	}
	if (args.auth === 'legacy') say(`Note: ${LEGACY_WARNING}`);
	return 0;
}

/**
 * The command: exit status 0, 1 or 2 (see the top of this file). Every line goes out through printable(); an
 * error nobody foresaw is said in one line, without any secret the command knew of (the API key, the instances'
 * passwords, user keys and signing keys).
 */
export async function main(argv: string[], given: Io): Promise<number> {
	const io: Io = { ...given, out: (line) => given.out(printable(line)), err: (line) => given.err(printable(line)) };
	const secrets: string[] = [];
	try {
		return await migrate(argv, io, secrets);
	} catch (error) {
		const said = redact(String((error as Error)?.message ?? error), secrets);
		io.err(`n8n-nodes-pardot-migrate failed unexpectedly (${said}). Nothing more was done.`);
		return 1;
	}
}

async function migrate(argv: string[], io: Io, secrets: string[]): Promise<number> {
	let args: Args;
	try {
		args = parseArgs(argv, io.env);
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		io.err(error.message);
		io.err('Run with --help for the options.');
		return 2;
	}
	if (args.apiKey) secrets.push(args.apiKey);
	if (args.help) {
		for (const line of USAGE.split('\n')) io.out(line);
		return 0;
	}
	const plans = planAll(args, io);
	if (!plans) return 1;
	for (const p of plans) secrets.push(...[p.login?.password, p.login?.userKey, p.signingKey].filter((s): s is string => !!s));
	if (!args.n8nUrl) return writeFiles(args, plans, io);
	return createInN8n(args, plans, io);
}

if (require.main === module) {
	// Output piped into a command that stops reading (| head): stop quietly.
	for (const stream of [process.stdout, process.stderr]) {
		stream.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
			throw error;
		});
	}
	const io: Io = {
		out: (line) => process.stdout.write(`${line}\n`),
		err: (line) => process.stderr.write(`${line}\n`),
		cwd: process.cwd(),
		env: process.env,
	};
	void main(process.argv.slice(2), io).then((code) => {
		process.exitCode = code;
	});
}
