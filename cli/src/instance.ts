/**
 * Pure: an SAP Open Connectors Pardot instance JSON -> what the n8n workflow needs (a plan), or every problem
 * with the instance, each naming its field. No I/O here; secrets stay in the plan's `login` and `signingKey`
 * fields and are never part of a message.
 *
 * Facts from Open Connectors' documentation (Cloud Elements developer portal, SAP Open Connectors help):
 * - `element.key` is `pardot`; the login is `apikey.user.name` / `apikey.user.password` / `apikey.user.key`;
 *   `provider.version` is 3 or 4, 3 when not given.
 * - events: `event.notification.enabled`, `event.notification.callback.url`, `event.poller.urls` (object names
 *   separated by `|`, some elements by line breaks), `event.poller.refresh_interval` (minutes; instances that
 *   were not given one show "15"), the optional `event.notification.signature.key`.
 * - the instance's `name` and `tags`; an instance read back from Open Connectors' API also has its `id`, and
 *   shows secrets as `********`.
 */

export type Resource = 'contacts' | 'leads';
export type Auth = 'legacy' | 'oAuth2';

export const DEFAULT_REFRESH_MINUTES = 15;
export const DEFAULT_PROVIDER_VERSION = '3';
export const BATCH_SIZE = 10;

/** What the workflow and its credentials are made of. `login` and `signingKey` are secrets. */
export interface Plan {
	/** where the instance came from, for messages: `instance.json` or `instances.json[2]` */
	source: string;
	instanceName: string;
	workflowName: string;
	resources: Resource[];
	refreshMinutes: number;
	refreshGiven: boolean;
	callbackUrl: string;
	/** the callback URL as it may be shown: no user info, no query string */
	callbackDisplay: string;
	auth: Auth;
	/** the legacy login (auth legacy only) */
	login?: { username: string; password: string; userKey: string; apiVersion: '3' | '4'; versionGiven: boolean };
	signingKey?: string;
	instanceId?: number;
	instanceTags?: string[];
	/** said to the user: what was assumed or left out */
	notes: string[];
}

export interface Options {
	/** legacy (default): the instance's user-key login; oAuth2: a Pardot OAuth2 API credential instead */
	auth: Auth;
}

export type Result = { ok: true; plan: Plan } | { ok: false; problems: string[] };

const PLACEHOLDER = /<[A-Za-z][A-Za-z0-9_ .-]*>/;
const MASKED = /^\*+$/;

const field = (key: string) => `configuration["${key}"]`;

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON text of a file -> the instances in it (an object, or an array of them), or why not. */
export function instancesOf(text: string, file: string): { ok: true; instances: Array<{ value: unknown; source: string }> } | { ok: false; problem: string } {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		// Node's message can quote the text around the error, which may hold a password: only say where.
		const at = /position (\d+)/.exec((error as Error).message);
		const where = at ? ` (${lineAndColumn(text, Number(at[1]))})` : '';
		return { ok: false, problem: `${file} is not valid JSON${where}. Export the instance JSON again, or fix the file.` };
	}
	if (Array.isArray(value)) {
		if (value.length === 0) return { ok: false, problem: `${file} holds an empty array: no instance to move.` };
		return { ok: true, instances: value.map((v, i) => ({ value: v, source: `${file}[${i}]` })) };
	}
	if (isObject(value)) return { ok: true, instances: [{ value, source: file }] };
	return { ok: false, problem: `${file} holds neither an instance object nor an array of instances.` };
}

function lineAndColumn(text: string, position: number): string {
	const before = text.slice(0, position);
	const line = before.split('\n').length;
	const column = position - before.lastIndexOf('\n');
	return `line ${line}, column ${column}`;
}

/** One instance -> its plan, or every problem found (all at once, so one edit fixes them all). */
export function planOf(value: unknown, source: string, options: Options): Result {
	const problems: string[] = [];
	const notes: string[] = [];
	if (!isObject(value)) return { ok: false, problems: [`${source} is not an instance object.`] };

	const element = value.element;
	const key = isObject(element) ? element.key : undefined;
	if (key !== 'pardot') {
		const found = key === undefined ? 'element.key is missing' : `element.key is ${JSON.stringify(key)}`;
		return { ok: false, problems: [`${source} is not a Pardot instance: ${found} (a Pardot instance has "element": {"key": "pardot"}).`] };
	}
	const config = value.configuration;
	if (!isObject(config)) return { ok: false, problems: [`${source} has no "configuration" object.`] };

	/** A text setting; secret ones are never quoted back. */
	const text = (k: string, o: { secret?: boolean; required?: string } = {}): string | undefined => {
		const v = config[k];
		if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
			if (o.required) problems.push(`${field(k)} is missing: ${o.required}`);
			return undefined;
		}
		if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
			problems.push(`${field(k)} must be text, not ${Array.isArray(v) ? 'an array' : typeof v}.`);
			return undefined;
		}
		const s = String(v);
		if (PLACEHOLDER.test(s)) {
			problems.push(
				o.secret
					? `${field(k)} still holds a placeholder (a <…> part): put the real value in.`
					: `${field(k)} still holds the placeholder ${PLACEHOLDER.exec(s)![0]}: put the real value in.`,
			);
			return undefined;
		}
		if (o.secret && MASKED.test(s)) {
			problems.push(`${field(k)} is masked (${s}), as Open Connectors' API shows secrets: put the real value in.`);
			return undefined;
		}
		return s;
	};

	// Instance name: receivers route and validate on message.instanceName.
	let instanceName = '';
	if (typeof value.name !== 'string' || value.name.trim() === '') {
		problems.push(`${source} has no "name": the callback sends it as message.instanceName, which receivers check. Add the Open Connectors instance's name.`);
	} else if (PLACEHOLDER.test(value.name)) {
		problems.push(`"name" still holds the placeholder ${PLACEHOLDER.exec(value.name)![0]}: put the instance's name in.`);
	} else instanceName = value.name;

	// Events must be on: an instance without them sent nothing.
	const enabled = config['event.notification.enabled'];
	if (!(enabled === true || (typeof enabled === 'string' && enabled.trim().toLowerCase() === 'true'))) {
		const was = enabled === undefined ? 'is missing' : `is ${JSON.stringify(enabled)}`;
		problems.push(`${field('event.notification.enabled')} ${was}: this instance has events turned off, so it sends nothing to move. Set it to "true" if you mean to move it.`);
	}

	// Callback URL.
	let callbackUrl = '';
	let callbackDisplay = '';
	const url = text('event.notification.callback.url', { required: 'it is where the events go.' });
	if (url !== undefined) {
		let parsed: URL | undefined;
		try {
			parsed = new URL(url.trim());
		} catch {
			parsed = undefined;
		}
		if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
			problems.push(`${field('event.notification.callback.url')} is not an http or https URL.`);
		} else if (parsed.username || parsed.password) {
			problems.push(
				`${field('event.notification.callback.url')} has a user:password@ part. It would be stored in the workflow, which holds no secrets here: move it out of the URL (for example into the Pardot Event Callback's Extra Headers, after the migration), then run this again.`,
			);
		} else {
			callbackUrl = url.trim();
			callbackDisplay = `${parsed.origin}${parsed.pathname}`;
		}
	}

	// The objects to poll.
	const resources = resourcesOf(config, problems, notes);

	// Poll interval.
	let refreshMinutes = DEFAULT_REFRESH_MINUTES;
	const refreshText = text('event.poller.refresh_interval');
	const refreshGiven = refreshText !== undefined;
	if (refreshText !== undefined) {
		const n = Number(refreshText.trim());
		if (!Number.isInteger(n) || n < 1) problems.push(`${field('event.poller.refresh_interval')} must be a whole number of minutes, 1 or more.`);
		else if (n > 24 * 60) problems.push(`${field('event.poller.refresh_interval')} is ${n} minutes: more than a day cannot be a poll interval here.`);
		else refreshMinutes = n;
	} else if (!problems.some((p) => p.startsWith(field('event.poller.refresh_interval')))) {
		notes.push(`${field('event.poller.refresh_interval')} is not set: polls every ${DEFAULT_REFRESH_MINUTES} minutes, Open Connectors' default.`);
	}

	// The login. With OAuth2 the instance's user-key login is not used at all.
	let login: Plan['login'];
	if (options.auth === 'legacy') {
		const versionText = text('provider.version');
		let apiVersion: '3' | '4' = DEFAULT_PROVIDER_VERSION;
		if (versionText !== undefined) {
			if (versionText.trim() === '3' || versionText.trim() === '4') apiVersion = versionText.trim() as '3' | '4';
			else problems.push(`${field('provider.version')} must be 3 or 4 (the Pardot API version of the user-key login).`);
		} else if (!problems.some((p) => p.startsWith(field('provider.version')))) {
			notes.push(`${field('provider.version')} is not set: API version 3, Open Connectors' default.`);
		}
		const username = text('apikey.user.name', { required: 'the Pardot user\'s email for the legacy login (or use --auth oauth2).' });
		const password = text('apikey.user.password', { secret: true, required: 'the Pardot password for the legacy login (or use --auth oauth2).' });
		const userKey = text('apikey.user.key', { secret: true, required: 'the Pardot user key for the legacy login (or use --auth oauth2).' });
		if (username !== undefined && password !== undefined && userKey !== undefined) {
			login = { username, password, userKey, apiVersion, versionGiven: versionText !== undefined };
		}
	} else {
		notes.push('The instance\'s user-key login (apikey.user.*, provider.version) is not used: the trigger uses a Pardot OAuth2 API credential.');
	}

	// Signing key (optional).
	let signingKey: string | undefined;
	if (config['event.notification.signature.key'] !== undefined && config['event.notification.signature.key'] !== null) {
		const k = text('event.notification.signature.key', { secret: true });
		if (k !== undefined && k !== '') signingKey = k;
	}

	// Instance fields the receiver may read.
	let instanceTags: string[] | undefined;
	if (value.tags !== undefined && value.tags !== null) {
		if (!Array.isArray(value.tags) || value.tags.some((t) => typeof t !== 'string')) {
			problems.push('"tags" must be an array of strings.');
		} else {
			const tags = (value.tags as string[]).map((t) => t.trim()).filter((t) => t !== '');
			const placeholder = tags.find((t) => PLACEHOLDER.test(t));
			const comma = tags.find((t) => t.includes(','));
			if (placeholder) problems.push(`"tags" still holds the placeholder ${PLACEHOLDER.exec(placeholder)![0]}: put the real tags in, or remove "tags".`);
			else if (comma) problems.push(`"tags" has ${JSON.stringify(comma)}: Instance Tags is comma-separated, so a tag cannot hold a comma.`);
			else if (tags.length) instanceTags = tags;
		}
	}
	let instanceId: number | undefined;
	if (value.id !== undefined && value.id !== null) {
		const n = Number(value.id);
		if (Number.isSafeInteger(n) && n > 0) instanceId = n;
		else notes.push(`"id" ${JSON.stringify(value.id)} is not a positive whole number: Instance ID is not set.`);
	}

	if (problems.length) return { ok: false, problems };
	return {
		ok: true,
		plan: {
			source,
			instanceName,
			workflowName: `Pardot events: ${instanceName}`,
			resources,
			refreshMinutes,
			refreshGiven,
			callbackUrl,
			callbackDisplay,
			auth: options.auth,
			login,
			signingKey,
			instanceId,
			instanceTags,
			notes,
		},
	};
}

/**
 * `event.poller.urls` lists object names separated by `|` (some elements use line breaks). An entry that starts with
 * `/` is a query URL of Open Connectors' own (the `name|/hubs/...` form): it has no equivalent, the trigger makes
 * its own queries. `event.poller.configuration` (an object keyed by object name) and `event.objects` (comma-
 * separated) name objects too; they are read when `event.poller.urls` is absent.
 */
function resourcesOf(config: Record<string, unknown>, problems: string[], notes: string[]): Resource[] {
	let from = 'event.poller.urls';
	let names: string[] | undefined;
	const urls = config['event.poller.urls'];
	if (typeof urls === 'string' && urls.trim() !== '') {
		if (PLACEHOLDER.test(urls)) {
			problems.push(`${field(from)} still holds the placeholder ${PLACEHOLDER.exec(urls)![0]}: list the objects to poll, e.g. "contacts|leads".`);
			return [];
		}
		const entries = urls.split(/[|\n,]/).map((s) => s.trim()).filter(Boolean);
		const queries = entries.filter((e) => e.startsWith('/'));
		if (queries.length) notes.push(`${field(from)} has ${queries.length} query URL(s) of Open Connectors' own: not carried over, the Pardot Trigger makes its own queries (every change of the object).`);
		names = entries.filter((e) => !e.startsWith('/'));
	} else if (config['event.poller.configuration'] !== undefined && config['event.poller.configuration'] !== null) {
		from = 'event.poller.configuration';
		let pollerConfig = config[from];
		if (typeof pollerConfig === 'string') {
			try {
				pollerConfig = JSON.parse(pollerConfig);
			} catch {
				pollerConfig = undefined;
			}
		}
		if (!isObject(pollerConfig)) {
			problems.push(`${field(from)} is not an object keyed by object name (nor such an object as JSON text).`);
			return [];
		}
		names = Object.keys(pollerConfig);
		notes.push(`${field(from)}: its per-object settings (url, idField, datesConfiguration) are not carried over, the Pardot Trigger makes its own queries.`);
	} else if (typeof config['event.objects'] === 'string' && config['event.objects'].trim() !== '') {
		from = 'event.objects';
		names = (config[from] as string).split(',').map((s) => s.trim()).filter(Boolean);
	}
	if (!names || names.length === 0) {
		problems.push(`${field('event.poller.urls')} is missing: it names the objects to poll, e.g. "contacts|leads".`);
		return [];
	}
	const known: Resource[] = [];
	const unknown: string[] = [];
	for (const name of names) {
		const n = name.toLowerCase();
		if (n === 'contacts' || n === 'leads') {
			if (!known.includes(n)) known.push(n);
		} else if (!unknown.includes(name)) unknown.push(name);
	}
	if (unknown.length) {
		problems.push(
			`${field(from)} names ${unknown.map((u) => JSON.stringify(u)).join(', ')}, which the Pardot Trigger does not poll: it polls "contacts" and "leads" only. Remove ${unknown.length === 1 ? 'it' : 'them'} to move the rest.`,
		);
	}
	// contacts before leads, as the trigger lists them
	return (['contacts', 'leads'] as Resource[]).filter((r) => known.includes(r));
}
