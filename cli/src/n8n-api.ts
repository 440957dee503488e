/**
 * The few calls of n8n's public REST API (`/api/v1`, header `X-N8N-API-KEY`) the migration makes, with errors that
 * say what happened and what to do. Request shapes hold for n8n 1.123 and 2.41 (their OpenAPI specs, read from the
 * installed n8n): POST /credentials {name, type, data}; DELETE /credentials/{id}; GET /credentials/schema/{type}
 * (any valid key, 404 for a type n8n does not know); POST /workflows {name, nodes, connections, settings} (1.x
 * refuses other top-level keys); POST /workflows/{id}/activate and /deactivate; GET /workflows/{id}; DELETE /workflows/{id};
 * GET /credentials/{id} and POST /credentials/{id}/test (2.x only). Node's built-in fetch, no dependencies; redirects
 * are never followed.
 */
import type { CredentialRef, CredentialSpec } from './workflow';

export class MigrateError extends Error {}

interface Answer {
	status: number;
	json: any;
	/** the answer was JSON (n8n's API answers JSON; a proxy or a web page does not) */
	isJson: boolean;
}

/** Replaces every secret in a text (n8n's messages, network errors) before it is shown. */
export function redact(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const s of secrets) if (s.length >= 3) out = out.split(s).join('[redacted]');
	return out;
}

/** n8n's address as people write it, without a trailing slash or an /api/v1 they may have copied. */
export function n8nBaseOf(url: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new MigrateError(`--n8n-url ${JSON.stringify(url)} is not a URL: give n8n's address, e.g. https://n8n.example.com`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new MigrateError('--n8n-url must start with http:// or https://');
	if (parsed.username || parsed.password) throw new MigrateError('--n8n-url must not hold a user:password@ part: n8n takes the API key (--api-key)');
	const path = parsed.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
	return `${parsed.origin}${path}`;
}

export class N8nApi {
	readonly api: string;

	constructor(
		readonly base: string,
		private readonly apiKey: string,
		private readonly secrets: readonly string[],
		private readonly timeoutMs = 30_000,
	) {
		this.api = `${base}/api/v1`;
	}

	/** The editor page of a workflow. */
	editorUrl(workflowId: string) {
		return `${this.base}/workflow/${workflowId}`;
	}

	private async call(method: string, path: string, body?: unknown): Promise<Answer> {
		let res: Response;
		try {
			res = await fetch(`${this.api}${path}`, {
				method,
				headers: {
					accept: 'application/json',
					'X-N8N-API-KEY': this.apiKey,
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
				signal: AbortSignal.timeout(this.timeoutMs),
				redirect: 'manual',
			});
		} catch (error) {
			throw new MigrateError(`n8n is not reachable at ${this.base}: ${networkReason(error, this.timeoutMs)}. Check --n8n-url and that n8n is running.`);
		}
		if (res.status >= 300 && res.status < 400) {
			// Never followed (redirect: 'manual'): the request carries the API key, and only --n8n-url gets it.
			await res.body?.cancel().catch(() => undefined);
			throw new MigrateError(
				`n8n at ${this.base} answered with a redirect to ${redirectTarget(res.headers.get('location'), this.api)} (HTTP ${res.status}), which is not followed: the API key was not sent there. Give n8n's own address as --n8n-url (the one its editor shows, with https:// if it uses it).`,
			);
		}
		const text = await res.text().catch(() => '');
		let json: any = undefined;
		let isJson = false;
		try {
			json = text ? JSON.parse(text) : {};
			isJson = (res.headers.get('content-type') ?? '').includes('json');
		} catch {
			json = undefined;
		}
		return { status: res.status, json, isJson };
	}

	/** n8n's own words from an error answer, secrets removed, kept short. */
	private said(a: Answer): string {
		const m = a.json && typeof a.json.message === 'string' ? a.json.message : '';
		return m ? `: ${redact(m, this.secrets).slice(0, 300)}` : '';
	}

	/** The errors every call shares: a refused key, a missing scope, a server that is not n8n's public API. */
	private fail(a: Answer, what: string, scope: string): never {
		if (a.status === 401) {
			throw new MigrateError(`n8n refused the API key (HTTP 401${this.said(a)}). Create a key in n8n under Settings → n8n API and pass it with --api-key or N8N_API_KEY.`);
		}
		if (a.status === 403) {
			throw new MigrateError(`the API key may not ${what} (HTTP 403${this.said(a)}). Give the key the scope ${scope} (Settings → n8n API), or use a key of the instance owner.`);
		}
		if (!a.isJson) {
			throw new MigrateError(
				`${this.api} did not answer like n8n's public API (HTTP ${a.status}, not JSON) when asked to ${what}. Check --n8n-url (n8n's address, without /api/v1) and that the public API is not turned off (N8N_PUBLIC_API_DISABLED).`,
			);
		}
		throw new MigrateError(`n8n could not ${what} (HTTP ${a.status}${this.said(a)}).`);
	}

	/**
	 * Before anything is created: n8n answers, takes the key, and knows these credential types (so the package is
	 * installed there). The schema call needs no scope, any valid key will do.
	 */
	async check(types: string[]): Promise<void> {
		for (const type of types) {
			const a = await this.call('GET', `/credentials/schema/${encodeURIComponent(type)}`);
			if (a.status === 200 && a.isJson) continue;
			if (a.status === 404 && a.isJson) {
				throw new MigrateError(
					`n8n at ${this.base} does not know the credential type ${type}: install the community package n8n-nodes-pardot there first (Settings → Community Nodes), restart n8n, then run this again.`,
				);
			}
			this.fail(a, `read the credential type ${type}`, 'none in particular (any valid key reads credential types)');
		}
	}

	/**
	 * An existing credential by ID. n8n 2.x answers GET /credentials/{id}; n8n 1.x has no such call, and then the
	 * credential cannot be checked here (undefined).
	 */
	async credential(id: string): Promise<{ id: string; name: string; type: string } | undefined> {
		const a = await this.call('GET', `/credentials/${encodeURIComponent(id)}`);
		if (a.status === 200 && a.isJson && typeof a.json?.type === 'string') return { id: String(a.json.id ?? id), name: String(a.json.name ?? ''), type: a.json.type };
		if (a.status === 404 && a.isJson && /credential/i.test(String(a.json?.message ?? ''))) {
			throw new MigrateError(`n8n has no credential with the ID ${id} (--oauth2-credential): copy the ID from the credential's URL in n8n (…/home/credentials/<ID>).`);
		}
		if (a.status === 401 || a.status === 403) this.fail(a, `read the credential ${id}`, 'credential:read');
		return undefined;
	}

	async createCredential(spec: CredentialSpec): Promise<CredentialRef> {
		const a = await this.call('POST', '/credentials', { name: spec.name, type: spec.type, data: spec.data });
		if (a.status >= 200 && a.status < 300 && a.json?.id) return { id: String(a.json.id), name: String(a.json.name ?? spec.name) };
		return this.fail(a, `create the credential "${spec.name}" (${spec.type})`, 'credential:create');
	}

	/** true when gone (deleted now or already absent) */
	async deleteCredential(id: string): Promise<boolean> {
		const a = await this.call('DELETE', `/credentials/${encodeURIComponent(id)}`);
		return (a.status >= 200 && a.status < 300) || a.status === 404;
	}

	async createWorkflow(workflow: { name: string }): Promise<{ id: string }> {
		const a = await this.call('POST', '/workflows', workflow);
		if (a.status >= 200 && a.status < 300 && a.json?.id) return { id: String(a.json.id) };
		return this.fail(a, `create the workflow "${workflow.name}"`, 'workflow:create');
	}

	/**
	 * Activates the workflow and waits until its Pardot Trigger has started. n8n 1.x activates at once: it runs the
	 * trigger's first poll and refuses the activation when that fails. n8n 2.x answers first and publishes the
	 * workflow in the background (its editor then asks for the publication status, which the public API does not
	 * offer). What the public API does show: the workflow's `triggerCount` turns from 0 to its number of triggers
	 * once n8n has tried to start them, whether they started or not, and the trigger's first poll saves its position
	 * in the workflow's static data (`node:<trigger name>`) only when it succeeded. So: a position means active; a
	 * trigger count without one, seen twice a second apart, means the publication failed; neither within `waitMs`
	 * means n8n did not confirm it. A failure is said with n8n's own test of the Pardot credential when it fails.
	 */
	async activate(id: string, name: string, trigger: { name: string; credentialId?: string }, waitMs: number): Promise<void> {
		const a = await this.call('POST', `/workflows/${encodeURIComponent(id)}/activate`, {});
		if (a.status < 200 || a.status >= 300) this.fail(a, `activate the workflow "${name}"`, 'workflow:activate');
		const started = Date.now();
		let settledWithout = 0;
		for (;;) {
			const w = await this.call('GET', `/workflows/${encodeURIComponent(id)}`);
			if (w.status !== 200 || !w.isJson) this.fail(w, `read the workflow "${name}"`, 'workflow:read');
			if (hasPosition(w.json?.staticData, trigger.name)) return;
			settledWithout = Number(w.json?.triggerCount) > 0 ? settledWithout + 1 : 0;
			if (settledWithout >= 2) throw new MigrateError(`n8n could not activate the workflow "${name}": ${await this.whyNotStarted(trigger)}`);
			if (Date.now() - started >= waitMs) {
				throw new MigrateError(
					`n8n did not confirm within ${Math.round(waitMs / 1000)} s that it could activate the workflow "${name}" (its Pardot Trigger saved no position). ${await this.whyNotStarted(trigger)}`,
				);
			}
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	}

	/** Why a trigger did not start, as far as n8n says: its own test of the Pardot credential. */
	private async whyNotStarted(trigger: { name: string; credentialId?: string }): Promise<string> {
		const hint = `The workflow's page in n8n shows n8n's message.`;
		if (trigger.credentialId === undefined) return `its ${trigger.name} did not start. ${hint}`;
		const t = await this.call('POST', `/credentials/${encodeURIComponent(trigger.credentialId)}/test`).catch(() => undefined);
		if (t?.status === 200 && t.isJson && t.json?.status === 'Error' && typeof t.json.message === 'string') {
			return `its ${trigger.name} did not start, and n8n's test of its Pardot credential says: ${redact(t.json.message, this.secrets).slice(0, 300)}`;
		}
		return `its ${trigger.name} did not start. ${hint}`;
	}

	/**
	 * true when gone. n8n 2.x deletes no published workflow ("Cannot delete a published workflow. Unpublish it before
	 * deleting.", HTTP 409), and a workflow whose publication failed is still published: unpublish it first, then
	 * delete it, asking again while n8n is still unpublishing (409 too).
	 */
	async deleteWorkflow(id: string): Promise<boolean> {
		const path = `/workflows/${encodeURIComponent(id)}`;
		let a = await this.call('DELETE', path);
		if (a.status === 409) {
			await this.call('POST', `${path}/deactivate`, {});
			for (let tries = 0; a.status === 409 && tries < 20; tries++) {
				await new Promise((resolve) => setTimeout(resolve, tries === 0 ? 0 : 500));
				a = await this.call('DELETE', path);
			}
		}
		return (a.status >= 200 && a.status < 300) || a.status === 404;
	}
}

/** Where a redirect points: its host, never its path or query (they may carry anything). */
function redirectTarget(location: string | null, from: string): string {
	if (!location) return 'no address';
	try {
		return new URL(location, from).host || 'an address without a host';
	} catch {
		return 'an address that is not a URL';
	}
}

/** Whether a workflow's static data holds the saved position of the node `name` (n8n keys it `node:<name>`). */
function hasPosition(staticData: unknown, name: string): boolean {
	let data = staticData;
	if (typeof data === 'string') {
		try {
			data = JSON.parse(data);
		} catch {
			return false;
		}
	}
	const own = data && typeof data === 'object' ? (data as Record<string, unknown>)[`node:${name}`] : undefined;
	return Boolean(own && typeof own === 'object' && Object.keys(own).length > 0);
}

function networkReason(error: unknown, timeoutMs: number): string {
	const e = error as { name?: string; cause?: { code?: string; message?: string } };
	if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
	if (e?.cause?.message === 'bad port') return 'a port that fetch refuses to use';
	const code = e?.cause?.code;
	if (code === 'ECONNREFUSED') return 'connection refused';
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
	if (code === 'ECONNRESET') return 'the connection was closed';
	if (code && /CERT|SSL|TLS/i.test(code)) return `TLS error (${code})`;
	return code ? `network error (${code})` : 'network error';
}
