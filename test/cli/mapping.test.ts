/**
 * The mapping of the migration command (cli/), pure functions over a table of Open Connectors instance JSONs:
 * what the README's "Moving from SAP Open Connectors" table promises, and a clear error naming the field for
 * every instance that cannot be moved.
 */
import { instancesOf, planOf, type Options, type Plan } from '../../cli/src/instance';
import { credentialsOf, scheduleOf, workflowOf } from '../../cli/src/workflow';
import { DOCUMENTED_EXAMPLE, instance, SECRETS } from './fixtures';

const legacy: Options = { auth: 'legacy' };

function planned(value: unknown, options = legacy): Plan {
	const r = planOf(value, 'instance.json', options);
	if (!r.ok) throw new Error(`expected a plan, got problems:\n${r.problems.join('\n')}`);
	return r.plan;
}

function problemsOf(value: unknown, options = legacy): string[] {
	const r = planOf(value, 'instance.json', options);
	if (r.ok) throw new Error('expected problems, got a plan');
	return r.problems;
}

const triggerOf = (wf: ReturnType<typeof workflowOf>) => wf.nodes.find((n) => n.type === 'n8n-nodes-pardot.pardotTrigger') as any;
const callbackOf = (wf: ReturnType<typeof workflowOf>) => wf.nodes.find((n) => n.type === 'n8n-nodes-pardot.pardotEventCallback') as any;

describe('an instance that can be moved', () => {
	test('contacts|leads, v4, a signing key: the workflow and credentials the README table describes', () => {
		const plan = planned(instance());
		const wf = workflowOf(plan);
		expect(wf.name).toBe('Pardot events: Pardot to CRM');
		expect(Object.keys(wf).sort()).toEqual(['connections', 'name', 'nodes', 'settings']);
		expect(triggerOf(wf).parameters).toEqual({
			authentication: 'legacy',
			pollTimes: { item: [{ mode: 'everyX', value: 5, unit: 'minutes' }] },
			resources: ['contacts', 'leads'],
			events: ['CREATED', 'UPDATED'],
			options: { leadsAre: 'opportunities' },
		});
		expect(callbackOf(wf).parameters).toEqual({
			callbackUrl: 'https://hooks.example.com/open-connectors/pardot?token=q1',
			batchSize: 10,
			options: { instanceName: 'Pardot to CRM', instanceTags: 'crm, production' },
		});
		expect(wf.connections).toEqual({ 'Pardot Trigger': { main: [[{ node: 'Pardot Event Callback', type: 'main', index: 0 }]] } });
		// a file for Import from File: no credentials attached, nothing secret anywhere in it
		expect(triggerOf(wf).credentials).toBeUndefined();
		expect(callbackOf(wf).credentials).toBeUndefined();
		for (const secret of Object.values(SECRETS)) expect(JSON.stringify(wf)).not.toContain(secret);

		expect(credentialsOf(plan)).toEqual([
			{
				role: 'pardot',
				type: 'pardotApi',
				name: 'Pardot login: Pardot to CRM',
				data: {
					username: 'marketing-api@example.com',
					password: SECRETS.password,
					userKey: SECRETS.userKey,
					apiVersion: '4',
					environment: 'production',
					timezone: 'UTC',
				},
			},
			{ role: 'signing', type: 'pardotCallbackSigningApi', name: 'Callback signing key: Pardot to CRM', data: { signingKey: SECRETS.signingKey } },
		]);
	});

	test('with credentials made in n8n, the nodes reference them by ID and name only', () => {
		const wf = workflowOf(planned(instance()), {
			pardot: { type: 'pardotApi', ref: { id: 'c1', name: 'Pardot login: Pardot to CRM' } },
			signing: { id: 'c2', name: 'Callback signing key: Pardot to CRM' },
		});
		expect(triggerOf(wf).credentials).toEqual({ pardotApi: { id: 'c1', name: 'Pardot login: Pardot to CRM' } });
		expect(callbackOf(wf).credentials).toEqual({ pardotCallbackSigningApi: { id: 'c2', name: 'Callback signing key: Pardot to CRM' } });
	});

	test.each([
		['3', '3'],
		['4', '4'],
		[3, '3'],
		[4, '4'],
	])('provider.version %p selects the legacy credential with API version %s', (given, version) => {
		const plan = planned(instance({ configuration: { 'provider.version': given } }));
		expect(credentialsOf(plan)[0].data.apiVersion).toBe(version);
		expect(triggerOf(workflowOf(plan)).parameters.authentication).toBe('legacy');
	});

	test('no provider.version: API version 3, Open Connectors\' default, and the command says so', () => {
		const plan = planned(instance({ configuration: { 'provider.version': undefined } }));
		expect(credentialsOf(plan)[0].data.apiVersion).toBe('3');
		expect(plan.notes.join('\n')).toMatch(/provider\.version.*not set.*version 3/);
	});

	test.each([
		['contacts', ['contacts'], {}],
		['leads', ['leads'], { leadsAre: 'opportunities' }],
		['leads|contacts', ['contacts', 'leads'], { leadsAre: 'opportunities' }],
		['Contacts | LEADS', ['contacts', 'leads'], { leadsAre: 'opportunities' }],
		['contacts\nleads', ['contacts', 'leads'], { leadsAre: 'opportunities' }],
		['contacts|contacts', ['contacts'], {}],
	])('event.poller.urls %p: resources %p', (urls, resources, options) => {
		const trigger = triggerOf(workflowOf(planned(instance({ configuration: { 'event.poller.urls': urls } }))));
		expect(trigger.parameters.resources).toEqual(resources);
		expect(trigger.parameters.options).toEqual(options);
	});

	test('objects named by event.poller.configuration (as JSON text) when event.poller.urls is absent; its queries are not carried over', () => {
		const plan = planned(
			instance({
				configuration: {
					'event.poller.urls': undefined,
					'event.poller.configuration': JSON.stringify({ leads: { url: '/hubs/marketing/leads', idField: 'id' } }),
				},
			}),
		);
		expect(plan.resources).toEqual(['leads']);
		expect(plan.notes.join('\n')).toMatch(/event\.poller\.configuration.*not carried over/);
	});

	test('a query URL in event.poller.urls is named as not carried over', () => {
		const plan = planned(instance({ configuration: { 'event.poller.urls': "contacts|/hubs/marketing/contacts?where=updated_at>'${date}'" } }));
		expect(plan.resources).toEqual(['contacts']);
		expect(plan.notes.join('\n')).toMatch(/query URL.*not carried over/);
	});

	test('no refresh interval: every 15 minutes, Open Connectors\' default, and the command says so', () => {
		const plan = planned(instance({ configuration: { 'event.poller.refresh_interval': undefined } }));
		expect(triggerOf(workflowOf(plan)).parameters.pollTimes).toEqual({ item: [{ mode: 'everyX', value: 15, unit: 'minutes' }] });
		expect(plan.refreshGiven).toBe(false);
		expect(plan.notes.join('\n')).toMatch(/refresh_interval.*not set.*15 minutes/);
	});

	test('events turned on with the boolean true, as some instance JSONs have it', () => {
		expect(planned(instance({ configuration: { 'event.notification.enabled': true } })).resources).toEqual(['contacts', 'leads']);
	});

	test('no signing key (or null, as Open Connectors\' API shows an unset one): no signing credential, unsigned callbacks', () => {
		for (const key of [undefined, null]) {
			const plan = planned(instance({ configuration: { 'event.notification.signature.key': key } }));
			expect(plan.signingKey).toBeUndefined();
			expect(credentialsOf(plan).map((c) => c.type)).toEqual(['pardotApi']);
		}
	});

	test('an instance read back from Open Connectors\' API: its id becomes Instance ID', () => {
		const wf = workflowOf(planned(instance({ id: 428549, tags: undefined })));
		expect(callbackOf(wf).parameters.options).toEqual({ instanceName: 'Pardot to CRM', instanceId: 428549 });
	});

	test('--auth oauth2: the trigger uses the OAuth2 credential; the instance\'s login is neither needed nor kept', () => {
		const value = instance({ configuration: { 'apikey.user.password': undefined, 'apikey.user.key': undefined } });
		const plan = planned(value, { auth: 'oAuth2' });
		expect(plan.login).toBeUndefined();
		expect(triggerOf(workflowOf(plan)).parameters.authentication).toBe('oAuth2');
		expect(credentialsOf(plan).map((c) => c.type)).toEqual(['pardotCallbackSigningApi']);
		expect(triggerOf(workflowOf(plan, { pardot: { type: 'pardotOAuth2Api', ref: { id: 'o1', name: 'Pardot OAuth2' } } })).credentials).toEqual({
			pardotOAuth2Api: { id: 'o1', name: 'Pardot OAuth2' },
		});
	});

	test('--pardot-base-url: the legacy credential points at that host (Environment Custom)', () => {
		const [pardot] = credentialsOf(planned(instance()), { pardotBaseUrl: 'http://127.0.0.1:8765' });
		expect(pardot.data).toMatchObject({ environment: 'custom', baseUrl: 'http://127.0.0.1:8765' });
	});
});

describe('an instance that cannot be moved: every problem at once, each naming its field', () => {
	test('the instance example Open Connectors documents: every placeholder named, secret ones not quoted', () => {
		const problems = problemsOf(DOCUMENTED_EXAMPLE);
		const text = problems.join('\n');
		expect(problems).toHaveLength(6);
		expect(text).toContain('"name" still holds the placeholder <INSTANCE_NAME>');
		expect(text).toContain('configuration["event.notification.callback.url"] still holds the placeholder <YOUR_APPS_CALLBACK_URL>');
		expect(text).toContain('configuration["apikey.user.name"] still holds the placeholder <PARDOT_USERNAME>');
		expect(text).toMatch(/configuration\["apikey\.user\.password"\] still holds a placeholder/);
		expect(text).toMatch(/configuration\["apikey\.user\.key"\] still holds a placeholder/);
		expect(text).toContain('"tags" still holds the placeholder <TAGS>');
		expect(text).not.toContain('<PARDOT_PASSWORD>');
		expect(text).not.toContain('<PARDOT_API_USER_KEY>');
	});

	test.each([
		['<INSERT_YOUR_APPS_CALLBACK_URL>', 'event.notification.callback.url'],
		['https://<your-host>/pardot', 'event.notification.callback.url'],
	])('a placeholder %p left in is named', (value, key) => {
		expect(problemsOf(instance({ configuration: { [key]: value } })).join('\n')).toContain(`configuration["${key}"] still holds the placeholder`);
	});

	test('the <minutes> placeholder of Open Connectors\' examples in the refresh interval', () => {
		expect(problemsOf(instance({ configuration: { 'event.poller.refresh_interval': '<minutes>' } }))).toEqual([
			'configuration["event.poller.refresh_interval"] still holds the placeholder <minutes>: put the real value in.',
		]);
	});

	test('secrets masked as Open Connectors\' API shows them (********)', () => {
		const problems = problemsOf(instance({ configuration: { 'apikey.user.password': '********', 'event.notification.signature.key': '********' } }));
		expect(problems.join('\n')).toMatch(/apikey\.user\.password"\] is masked/);
		expect(problems.join('\n')).toMatch(/event\.notification\.signature\.key"\] is masked/);
	});

	test.each([
		[{ element: { key: 'hubspot' } }, 'element.key is "hubspot"'],
		[{ element: undefined }, 'element.key is missing'],
		[{ element: { id: 90 } }, 'element.key is missing'],
	])('not a Pardot instance: %p', (overrides, says) => {
		const [problem] = problemsOf(instance(overrides as any));
		expect(problem).toContain('is not a Pardot instance');
		expect(problem).toContain(says);
	});

	test.each([['false'], [false], [undefined]])('events not turned on (event.notification.enabled %p)', (enabled) => {
		expect(problemsOf(instance({ configuration: { 'event.notification.enabled': enabled } })).join('\n')).toMatch(
			/configuration\["event\.notification\.enabled"\] .*events turned off/,
		);
	});

	test.each([[undefined], [''], ['   ']])('no callback URL (%p)', (url) => {
		expect(problemsOf(instance({ configuration: { 'event.notification.callback.url': url } }))).toEqual([
			'configuration["event.notification.callback.url"] is missing: it is where the events go.',
		]);
	});

	test.each([['ftp://files.example.com/x'], ['not a url']])('a callback URL that is not http(s): %p', (url) => {
		expect(problemsOf(instance({ configuration: { 'event.notification.callback.url': url } }))).toEqual([
			'configuration["event.notification.callback.url"] is not an http or https URL.',
		]);
	});

	test('a callback URL with user:password@ is refused, and its password not quoted', () => {
		const [problem] = problemsOf(instance({ configuration: { 'event.notification.callback.url': 'https://bob:pw-9931@hooks.example.com/x' } }));
		expect(problem).toMatch(/callback\.url"\] has a user:password@ part/);
		expect(problem).not.toContain('pw-9931');
	});

	test('unknown poller objects are named as unsupported', () => {
		expect(problemsOf(instance({ configuration: { 'event.poller.urls': 'contacts|campaigns|visitors' } }))).toEqual([
			'configuration["event.poller.urls"] names "campaigns", "visitors", which the Pardot Trigger does not poll: it polls "contacts" and "leads" only. Remove them to move the rest.',
		]);
	});

	test('no objects to poll', () => {
		expect(problemsOf(instance({ configuration: { 'event.poller.urls': undefined } }))).toEqual([
			'configuration["event.poller.urls"] is missing: it names the objects to poll, e.g. "contacts|leads".',
		]);
	});

	test.each([['5'], ['v4']])('provider.version %p that is not 3 or 4', (version) => {
		expect(problemsOf(instance({ configuration: { 'provider.version': version } }))).toEqual([
			'configuration["provider.version"] must be 3 or 4 (the Pardot API version of the user-key login).',
		]);
	});

	test('an empty provider.version counts as not set: Open Connectors\' default, 3', () => {
		expect(planned(instance({ configuration: { 'provider.version': '' } })).login?.apiVersion).toBe('3');
	});

	test.each([['0'], ['-5'], ['2.5'], ['often']])('refresh interval %p', (minutes) => {
		expect(problemsOf(instance({ configuration: { 'event.poller.refresh_interval': minutes } }))).toEqual([
			'configuration["event.poller.refresh_interval"] must be a whole number of minutes, 1 or more.',
		]);
	});

	test('a missing login names each field and the alternative', () => {
		const problems = problemsOf(instance({ configuration: { 'apikey.user.name': undefined, 'apikey.user.key': '' } }));
		expect(problems).toEqual([
			'configuration["apikey.user.name"] is missing: the Pardot user\'s email for the legacy login (or use --auth oauth2).',
			'configuration["apikey.user.key"] is missing: the Pardot user key for the legacy login (or use --auth oauth2).',
		]);
	});

	test('no name: receivers check message.instanceName', () => {
		expect(problemsOf(instance({ name: undefined })).join('\n')).toMatch(/has no "name".*instanceName/);
	});

	test('a tag with a comma cannot be an Instance Tag', () => {
		expect(problemsOf(instance({ tags: ['a,b'] }))).toEqual(['"tags" has "a,b": Instance Tags is comma-separated, so a tag cannot hold a comma.']);
	});

	test('no configuration object', () => {
		expect(problemsOf({ element: { key: 'pardot' }, name: 'x' })).toEqual(['instance.json has no "configuration" object.']);
	});
});

describe('files: one instance, an array of them, or not JSON', () => {
	test('an object is one instance, an array several', () => {
		const one = instancesOf(JSON.stringify(instance()), 'a.json');
		expect(one.ok && one.instances.map((i) => i.source)).toEqual(['a.json']);
		const many = instancesOf(JSON.stringify([instance(), instance({ name: 'Second' })]), 'all.json');
		expect(many.ok && many.instances.map((i) => i.source)).toEqual(['all.json[0]', 'all.json[1]']);
	});

	test('not JSON: where, never the text around it (it may be a password)', () => {
		const text = '{\n  "configuration": {\n    "apikey.user.password": "hunter2-secret" oops\n  }\n}';
		const r = instancesOf(text, 'broken.json');
		expect(r.ok).toBe(false);
		const problem = !r.ok ? r.problem : '';
		expect(problem).toMatch(/^broken\.json is not valid JSON \(line 3, column \d+\)/);
		expect(problem).not.toContain('hunter2');
	});

	test.each([['[]', 'an empty array'], ['"pardot"', 'neither an instance object nor an array']])('%p', (text, says) => {
		const r = instancesOf(text, 'f.json');
		expect(!r.ok && r.problem).toContain(says);
	});
});

describe('poll interval: what n8n\'s schedule can express', () => {
	test.each([
		[1, { mode: 'everyMinute' }, false],
		[5, { mode: 'everyX', value: 5, unit: 'minutes' }, false],
		[15, { mode: 'everyX', value: 15, unit: 'minutes' }, false],
		[7, { mode: 'everyX', value: 7, unit: 'minutes' }, true],
		[60, { mode: 'everyX', value: 1, unit: 'hours' }, false],
		[120, { mode: 'everyX', value: 2, unit: 'hours' }, false],
		[90, { mode: 'everyX', value: 1, unit: 'hours' }, true],
		[300, { mode: 'everyX', value: 5, unit: 'hours' }, true],
		[1440, { mode: 'everyDay', hour: 0, minute: 0 }, false],
	])('%i minutes', (minutes, item, noted) => {
		const s = scheduleOf(minutes);
		expect(s.item).toEqual(item);
		expect(s.note !== undefined).toBe(noted);
	});

	test('every 7 minutes: n8n restarts the step each hour, so the last gap of an hour is 4 minutes (56 -> 60)', () => {
		expect(scheduleOf(7).note).toContain('4 minutes');
	});
});
