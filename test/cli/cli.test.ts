/**
 * The migration command end to end in process (cli/src/cli.ts `main`, as the bin runs it): files in temporary
 * folders, and n8n's public REST API over real HTTP on 127.0.0.1 (./fake-n8n.ts; the real n8n is in the e2e suite).
 * What a user depends on: one workflow per instance, nothing written or created when an instance is wrong, every
 * error naming what to fix, nothing half-created in n8n, and no secret in the terminal output or the workflow.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/src/cli';
import { API_KEY, startFakeN8n, type Fake } from './fake-n8n';
import { instance, DOCUMENTED_EXAMPLE, SECRETS } from './fixtures';
import { startHostile } from '../lib/hostile';

const dirs: string[] = [];
afterAll(() => {
	for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function folder(files: Record<string, unknown> = {}): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pardot-migrate-test-'));
	dirs.push(dir);
	for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
	return dir;
}

async function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
	const out: string[] = [];
	const err: string[] = [];
	const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd, env });
	return { code, out: out.join('\n'), err: err.join('\n'), all: [...out, ...err].join('\n') };
}

const workflowFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.workflow.json')).sort();
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

function expectNoSecret(text: string) {
	for (const secret of [...Object.values(SECRETS), API_KEY]) expect(text).not.toContain(secret);
}

describe('without --n8n-url: workflow files to import', () => {
	test('one instance: one importable workflow file, the credentials to create named, no secret printed or written', async () => {
		const dir = folder({ 'instance.json': instance() });
		const r = await run(['instance.json'], dir);
		expect(r.code).toBe(0);
		expect(workflowFiles(dir)).toEqual(['pardot-pardot-to-crm.workflow.json']);
		const wf = readJson(path.join(dir, 'pardot-pardot-to-crm.workflow.json'));
		expect(wf.nodes.map((n: any) => n.type)).toEqual(['n8n-nodes-pardot.pardotTrigger', 'n8n-nodes-pardot.pardotEventCallback']);
		expectNoSecret(fs.readFileSync(path.join(dir, 'pardot-pardot-to-crm.workflow.json'), 'utf8'));
		expectNoSecret(r.all);
		expect(r.out).toContain('"Pardot Legacy User Key API" credential');
		expect(r.out).toContain('"Pardot Callback Signing Key API" credential');
		expect(r.out).toContain('API Version 4');
		// the user-key login is what real accounts refuse since 2021: the command says so and offers OAuth2
		expect(r.out).toMatch(/error 199.*--auth oauth2/);
		// the callback URL is shown without its query string
		expect(r.out).toContain('https://hooks.example.com/open-connectors/pardot,');
		expect(r.out).not.toContain('token=q1');
	});

	test('an array of instances and several files: one workflow each, same names numbered', async () => {
		const dir = folder({
			'all.json': [instance({ name: 'EU' }), instance({ name: 'US', configuration: { 'event.poller.urls': 'leads' } })],
			'one.json': instance({ name: 'EU' }),
		});
		const r = await run(['all.json', 'one.json', '--out', 'workflows'], dir);
		expect(r.code).toBe(0);
		expect(workflowFiles(path.join(dir, 'workflows'))).toEqual(['pardot-eu-2.workflow.json', 'pardot-eu.workflow.json', 'pardot-us.workflow.json']);
		expect(readJson(path.join(dir, 'workflows', 'pardot-us.workflow.json')).nodes[0].parameters.resources).toEqual(['leads']);
		expect(r.out).toContain('all.json[1]: instance "US"');
	});

	test('one bad instance among several: nothing written, every problem named with its file and index', async () => {
		const dir = folder({
			'all.json': [instance({ name: 'Good' }), instance({ name: 'Off', configuration: { 'event.notification.enabled': 'false' } })],
			'other.json': instance({ element: { key: 'salesforce' } }),
			'broken.json': '{ "name": "x", }',
		});
		const r = await run(['all.json', 'other.json', 'broken.json', 'missing.json'], dir);
		expect(r.code).toBe(1);
		expect(workflowFiles(dir)).toEqual([]);
		expect(r.err).toContain('Nothing was written: fix these 4 problems first.');
		expect(r.err).toContain('all.json[1]: configuration["event.notification.enabled"] is "false"');
		expect(r.err).toContain('other.json is not a Pardot instance: element.key is "salesforce"');
		expect(r.err).toMatch(/broken\.json is not valid JSON \(line 1, column \d+\)/);
		expect(r.err).toContain('missing.json: cannot read it (no such file).');
	});

	test('Open Connectors\' documented instance example as is: every placeholder named, nothing written', async () => {
		const dir = folder({ 'instance.json': DOCUMENTED_EXAMPLE });
		const r = await run(['instance.json'], dir);
		expect(r.code).toBe(1);
		expect(workflowFiles(dir)).toEqual([]);
		expect(r.err).toContain('fix these 6 problems first');
	});

	test('an existing workflow file is not overwritten without --force', async () => {
		const dir = folder({ 'instance.json': instance(), 'pardot-pardot-to-crm.workflow.json': '{"mine": true}' });
		const r = await run(['instance.json'], dir);
		expect(r.code).toBe(1);
		expect(r.err).toContain('pardot-pardot-to-crm.workflow.json exists. Use --force');
		expect(readJson(path.join(dir, 'pardot-pardot-to-crm.workflow.json'))).toEqual({ mine: true });
		expect((await run(['instance.json', '--force'], dir)).code).toBe(0);
		expect(readJson(path.join(dir, 'pardot-pardot-to-crm.workflow.json')).name).toBe('Pardot events: Pardot to CRM');
	});

	test('--auth oauth2: the OAuth2 credential is what the file asks for', async () => {
		const dir = folder({ 'instance.json': instance() });
		const r = await run(['--auth', 'oauth2', 'instance.json'], dir);
		expect(r.code).toBe(0);
		expect(readJson(path.join(dir, 'pardot-pardot-to-crm.workflow.json')).nodes[0].parameters.authentication).toBe('oAuth2');
		expect(r.out).toContain('"Pardot OAuth2 API" credential');
		expect(r.out).not.toContain('Legacy User Key');
	});

	test('--start-from: the trigger first catches up from the moment the Open Connectors instance stopped', async () => {
		const dir = folder({ 'instance.json': instance() });
		const r = await run(['--start-from', '2026-11-27T14:00:00Z', 'instance.json'], dir);
		expect(r.code).toBe(0);
		expect(readJson(path.join(dir, 'pardot-pardot-to-crm.workflow.json')).nodes[0].parameters.options).toEqual({
			leadsAre: 'opportunities',
			startFrom: '2026-11-27T14:00:00Z',
		});
		expect(r.out).toContain('catches up from 2026-11-27T14:00:00Z');
	});

	test.each([
		[[], 'Name at least one instance JSON file.'],
		[['--auth', 'basic', 'x.json'], '--auth must be legacy or oauth2.'],
		[['--activate', 'x.json'], '--activate needs --n8n-url'],
		[['--n8n-url', 'http://127.0.0.1:5678', 'x.json'], '--n8n-url needs an API key'],
		[['--bogus', 'x.json'], 'Unknown option --bogus.'],
		[['--start-from', '2026-11-27 14:00', 'x.json'], '--start-from must be an ISO 8601 date-time with Z or an offset'],
		[['--start-from', '2026-13-45T14:00:00Z', 'x.json'], '--start-from must be an ISO 8601 date-time with Z or an offset'],
		[['--auth', 'oauth2', '--n8n-url', 'http://127.0.0.1:5678', '--api-key', 'k', '--activate', 'x.json'], '--activate with --auth oauth2 needs --oauth2-credential'],
	])('usage %p', async (args, says) => {
		const r = await run(args, folder());
		expect(r.code).toBe(2);
		expect(r.err).toContain(says);
	});
});

describe('with --n8n-url: credentials and workflows created in n8n', () => {
	let n8n: Fake;
	beforeEach(async () => {
		n8n = await startFakeN8n();
	});
	afterEach(async () => {
		await n8n.close();
	});

	test('creates the two credentials and the workflow referencing them, activates it, prints its editor URL; secrets only in the credential store', async () => {
		const dir = folder({ 'instance.json': instance() });
		const r = await run(['--n8n-url', `${n8n.url}/`, '--api-key', API_KEY, '--activate', 'instance.json'], dir);
		expect(r.code).toBe(0);
		expect(workflowFiles(dir)).toEqual([]);
		const creds = [...n8n.credentials.entries()];
		expect(creds.map(([, c]) => [c.type, c.name])).toEqual([
			['pardotApi', 'Pardot login: Pardot to CRM'],
			['pardotCallbackSigningApi', 'Callback signing key: Pardot to CRM'],
		]);
		expect(creds[0][1].data).toMatchObject({ password: SECRETS.password, userKey: SECRETS.userKey, apiVersion: '4', environment: 'production' });
		expect(creds[1][1].data).toEqual({ signingKey: SECRETS.signingKey });
		const [[wfId, wf]] = [...n8n.workflows.entries()];
		expect(wf.active).toBe(true);
		expect(wf.body.nodes[0].credentials).toEqual({ pardotApi: { id: creds[0][0], name: 'Pardot login: Pardot to CRM' } });
		expect(wf.body.nodes[1].credentials).toEqual({ pardotCallbackSigningApi: { id: creds[1][0], name: 'Callback signing key: Pardot to CRM' } });
		expect(r.out).toContain(`${n8n.url}/workflow/${wfId}`);
		expectNoSecret(JSON.stringify(wf.body));
		expectNoSecret(r.all);
		// the API key goes in the header, never in a URL
		expect(n8n.requests.every((q) => !q.path.includes(API_KEY))).toBe(true);
	});

	test('the API key from N8N_API_KEY; without --activate the workflow stays inactive and the command says what is left to do', async () => {
		const dir = folder({ 'instance.json': instance() });
		const r = await run(['--n8n-url', n8n.url, 'instance.json'], dir, { N8N_API_KEY: API_KEY });
		expect(r.code).toBe(0);
		expect([...n8n.workflows.values()][0].active).toBe(false);
		expect(r.out).toContain('to do: activate it in n8n');
	});

	test('a refused API key: a clear error, nothing created', async () => {
		const r = await run(['--n8n-url', n8n.url, '--api-key', 'wrong-key', 'i.json'], folder({ 'i.json': instance() }));
		expect(r.code).toBe(1);
		expect(r.err).toBe(
			'Nothing was created: n8n refused the API key (HTTP 401: Unauthorized). Create a key in n8n under Settings → n8n API and pass it with --api-key or N8N_API_KEY.',
		);
		expect(n8n.credentials.size + n8n.workflows.size).toBe(0);
	});

	test('n8n unreachable: a clear error naming the address', async () => {
		const port = await closedPort();
		const r = await run(['--n8n-url', `http://127.0.0.1:${port}`, '--api-key', API_KEY, 'i.json'], folder({ 'i.json': instance() }));
		expect(r.code).toBe(1);
		expect(r.err).toBe(`Nothing was created: n8n is not reachable at http://127.0.0.1:${port}: connection refused. Check --n8n-url and that n8n is running.`);
	});

	test('the package not installed in that n8n: said before anything is created', async () => {
		n8n.types.delete('pardotApi');
		const r = await run(['--n8n-url', n8n.url, '--api-key', API_KEY, 'i.json'], folder({ 'i.json': instance() }));
		expect(r.code).toBe(1);
		expect(r.err).toContain('does not know the credential type pardotApi: install the community package n8n-nodes-pardot there first');
		expect(n8n.credentials.size + n8n.workflows.size).toBe(0);
	});

	test('not n8n\'s API at that address (an HTML page): said so', async () => {
		n8n.html = true;
		const r = await run(['--n8n-url', n8n.url, '--api-key', API_KEY, 'i.json'], folder({ 'i.json': instance() }));
		expect(r.code).toBe(1);
		expect(r.err).toContain('did not answer like n8n\'s public API (HTTP 200, not JSON)');
	});

	test('n8n refuses the workflow: the credentials made for it are removed', async () => {
		n8n.fail('createWorkflow', 400, 'request/body/nodes/0 must have required property \'type\'');
		const r = await run(['--n8n-url', n8n.url, '--api-key', API_KEY, 'i.json'], folder({ 'i.json': instance() }));
		expect(r.code).toBe(1);
		expect(r.err).toContain('i.json: n8n could not create the workflow "Pardot events: Pardot to CRM" (HTTP 400: request/body/nodes/0 must have required property \'type\').');
		expect(r.err).toContain('removed what was created for it (2 credential(s))');
		expect(n8n.credentials.size + n8n.workflows.size).toBe(0);
		expect(n8n.requests.filter((q) => q.method === 'DELETE').map((q) => q.path)).toHaveLength(2);
	});

	test('the activation fails: the workflow and its credentials are removed', async () => {
		n8n.fail('activate', 400, 'There was a problem activating the workflow: "Pardot rejected the login (error 15)"');
		const r = await run(['--n8n-url', n8n.url, '--api-key', API_KEY, '--activate', 'i.json'], folder({ 'i.json': instance() }));
		expect(r.code).toBe(1);
		expect(r.err).toContain('Pardot rejected the login (error 15)');
		expect(r.err).toContain('removed what was created for it (the workflow and 2 credential(s))');
		expect(n8n.credentials.size + n8n.workflows.size).toBe(0);
	});

	test('a key without the scope to create credentials: the scope is named', async () => {
		n8n.fail('createCredential', 403, 'Forbidden');
		const r = await run(['--n8n-url', n8n.url, '--api-key', API_KEY, 'i.json'], folder({ 'i.json': instance() }));
		expect(r.code).toBe(1);
		expect(r.err).toContain('the API key may not create the credential "Pardot login: Pardot to CRM" (pardotApi) (HTTP 403: Forbidden). Give the key the scope credential:create');
	});

	test('several instances, the second fails: the first stays, the second is rolled back, the third not attempted, all said', async () => {
		n8n.fail('createWorkflow', 500, 'Internal Server Error', 1);
		const dir = folder({ 'all.json': [instance({ name: 'A' }), instance({ name: 'B' }), instance({ name: 'C' })] });
		const r = await run(['--n8n-url', n8n.url, '--api-key', API_KEY, 'all.json'], dir);
		expect(r.code).toBe(1);
		expect(r.out).toContain('all.json[0]: instance "A"');
		expect(r.err).toContain('all.json[1]: n8n could not create the workflow "Pardot events: B" (HTTP 500: Internal Server Error).');
		expect(r.err).toContain('removed what was created for it (2 credential(s))');
		expect(r.err).toContain('already created before it: "Pardot events: A".');
		expect(r.err).toContain('not attempted: all.json[2].');
		expect([...n8n.workflows.values()].map((w) => w.body.name)).toEqual(['Pardot events: A']);
		expect([...n8n.credentials.values()].map((c) => c.name)).toEqual(['Pardot login: A', 'Callback signing key: A']);
	});

	test('a server message that quotes a secret is shown without it', async () => {
		n8n.fail('createCredential', 400, `request.body.data.password ${SECRETS.password} is not allowed`);
		const r = await run(['--n8n-url', n8n.url, '--api-key', API_KEY, 'i.json'], folder({ 'i.json': instance() }));
		expect(r.code).toBe(1);
		expect(r.err).toContain('request.body.data.password [redacted] is not allowed');
		expectNoSecret(r.all);
	});

	test('--auth oauth2 --oauth2-credential: the existing OAuth2 credential is checked and used; only the signing key is created', async () => {
		n8n.credentials.set('oauth9', { name: 'Salesforce Pardot', type: 'pardotOAuth2Api', data: {} });
		const r = await run(['--n8n-url', n8n.url, '--api-key', API_KEY, '--auth', 'oauth2', '--oauth2-credential', 'oauth9', '--activate', 'i.json'], folder({ 'i.json': instance() }));
		expect(r.code).toBe(0);
		const wf = [...n8n.workflows.values()][0];
		expect(wf.body.nodes[0].parameters.authentication).toBe('oAuth2');
		expect(wf.body.nodes[0].credentials).toEqual({ pardotOAuth2Api: { id: 'oauth9', name: 'Salesforce Pardot' } });
		expect([...n8n.credentials.values()].map((c) => c.type).sort()).toEqual(['pardotCallbackSigningApi', 'pardotOAuth2Api']);
		expect(r.out).not.toContain('error 199');
	});

	test('--oauth2-credential of another type, or unknown: refused before anything is created', async () => {
		n8n.credentials.set('slack1', { name: 'Slack', type: 'slackApi', data: {} });
		const args = (id: string) => ['--n8n-url', n8n.url, '--api-key', API_KEY, '--auth', 'oauth2', '--oauth2-credential', id, 'i.json'];
		const dir = folder({ 'i.json': instance() });
		expect((await run(args('slack1'), dir)).err).toContain('is a slackApi credential, not a Pardot OAuth2 API one');
		expect((await run(args('nope'), dir)).err).toContain('n8n has no credential with the ID nope');
		expect(n8n.workflows.size).toBe(0);
	});
});

async function closedPort(): Promise<number> {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as net.AddressInfo).port;
			s.close(() => resolve(port));
		});
	});
}

describe('hostile input', () => {
	let n8n: Fake;
	beforeEach(async () => {
		n8n = await startFakeN8n();
	});
	afterEach(async () => {
		await n8n.close();
	});

	/** Raw control characters a terminal acts on: CR, LF, ESC, CSI (C1), DEL, a bidi override. */
	const RAW_CONTROLS = /[\r\n\x1b\x9b\x7f\u202e]/;
	const EVIL = 'Pardot\r\x1b[2K\nFAKE: all good\x9b2J\u202eDEL\x7f';

	test('an instance name with CR/LF and ANSI escapes is printed escaped, in the files mode and in the n8n mode', async () => {
		const dir = folder({ 'evil.json': instance({ name: EVIL }) });
		const files = await run(['evil.json'], dir);
		const created = await run(['--n8n-url', n8n.url, '--api-key', API_KEY, '--activate', 'evil.json'], folder({ 'evil.json': instance({ name: EVIL }) }));
		for (const r of [files, created]) {
			expect(r.code).toBe(0);
			for (const line of r.all.split('\n')) expect(line).not.toMatch(RAW_CONTROLS);
			expect(r.out).toContain('instance "Pardot\\r\\x1b[2K\\nFAKE: all good\\x9b2J\\u202eDEL\\x7f"');
		}
	});

	test('"failed unexpectedly": the message is printed escaped and without the secrets the command knew', async () => {
		const dir = folder({ 'i.json': instance(), blocker: 'a file, not a folder' });
		const out = `blocker/sub\x1b[2J-${SECRETS.password}`;
		const r = await run(['--out', out, 'i.json'], dir, { N8N_API_KEY: API_KEY });
		expect(r.code).toBe(1);
		expect(r.err).toMatch(/^n8n-nodes-pardot-migrate failed unexpectedly \(ENOTDIR: not a directory, mkdir '.*blocker\/sub\\x1b\[2J-\[redacted\]'\)\. Nothing more was done\.$/);
		expect(r.all).not.toMatch(RAW_CONTROLS);
		expectNoSecret(r.all);
	});

	test('n8n 2.x: --activate waits for the publication; a trigger that does not start is said as such, with n8n\'s reason, and everything is removed', async () => {
		n8n.line = 2;
		n8n.publication = 'fails';
		n8n.credentialTest = { status: 'Error', message: 'Pardot rejected the login (error 15): the email, password or user key is wrong.' };
		const r = await run(['--n8n-url', n8n.url, '--api-key', API_KEY, '--activate', 'i.json'], folder({ 'i.json': instance() }));
		expect(r.code).toBe(1);
		expect(r.out).not.toContain('active:');
		expect(r.err).toContain(
			'i.json: n8n could not activate the workflow "Pardot events: Pardot to CRM": its Pardot Trigger did not start, and n8n\'s test of its Pardot credential says: Pardot rejected the login (error 15): the email, password or user key is wrong.',
		);
		expect(r.err).toContain('removed what was created for it (the workflow and 2 credential(s))');
		expect(n8n.credentials.size + n8n.workflows.size).toBe(0);
	});

	test('n8n 2.x: a publication that succeeds a moment after the answer is reported active', async () => {
		n8n.line = 2;
		n8n.publishMs = 1500;
		const r = await run(['--n8n-url', n8n.url, '--api-key', API_KEY, '--activate', 'i.json'], folder({ 'i.json': instance() }));
		expect(r.code).toBe(0);
		expect(r.out).toMatch(/the workflow, active: http/);
		expect(n8n.requests.filter((q) => q.method === 'GET' && /^\/api\/v1\/workflows\//.test(q.path)).length).toBeGreaterThanOrEqual(2);
	});

	test('n8n 2.x: a publication that never ends is not reported active: it fails after --activation-wait and is rolled back', async () => {
		n8n.line = 2;
		n8n.publication = 'never';
		const r = await run(['--n8n-url', n8n.url, '--api-key', API_KEY, '--activate', '--activation-wait', '2', 'i.json'], folder({ 'i.json': instance() }));
		expect(r.code).toBe(1);
		expect(r.err).toContain('n8n did not confirm within 2 s that it could activate the workflow "Pardot events: Pardot to CRM"');
		expect(r.err).toContain('removed what was created for it (the workflow and 2 credential(s))');
		expect(n8n.credentials.size + n8n.workflows.size).toBe(0);
	});

	test('--api-key against an n8n URL that redirects to another host: the key is not sent there, the redirect is named, nothing is created', async () => {
		const other = await startHostile();
		try {
			n8n.redirect = { status: 302, location: `${other.baseUrl}/api/v1/credentials/schema/pardotApi` };
			const r = await run(['--n8n-url', n8n.url, '--api-key', API_KEY, 'i.json'], folder({ 'i.json': instance() }));
			expect(r.code).toBe(1);
			expect(other.requests).toEqual([]);
			expect(r.err).toBe(
				`Nothing was created: n8n at ${n8n.url} answered with a redirect to ${other.host} (HTTP 302), which is not followed: the API key was not sent there. Give n8n's own address as --n8n-url (the one its editor shows, with https:// if it uses it).`,
			);
		} finally {
			await other.close();
		}
	});
});
