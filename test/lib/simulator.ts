/** Small HTTP helpers for the simulator's own tests: everything goes over real HTTP (global fetch). */
import { DEFAULT_BUSINESS_UNIT, DEFAULT_OAUTH_CLIENT, DEFAULT_USER, startSimulator } from '../../simulator';
import type { SimulatorHandle, SimulatorOptions } from '../../simulator';

export const START = '2026-11-27T12:00:00Z';

export function start(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
	return startSimulator({ clock: START, ...options });
}

/** The instant `offsetMs` after START, as the control API takes it. */
export const at = (offsetMs: number): string => new Date(Date.parse(START) + offsetMs).toISOString();

/**
 * One simulator for a test file: started once, reset before each test. `frozenAt` freezes its clock there
 * (else it runs on from START); `login` gets a v3/v4 api_key or a v5 access token before each test.
 */
export function simulatorForFile(options: { frozenAt?: string; login?: 'apiKey' | 'accessToken' } = {}) {
	let sim: SimulatorHandle | undefined;
	let credential = '';
	beforeAll(async () => {
		sim = await start();
	});
	afterAll(() => sim?.close());
	beforeEach(async () => {
		sim!.control.reset();
		if (options.frozenAt) sim!.control.clock({ set: options.frozenAt, freeze: true });
		if (options.login === 'apiKey') credential = await apiKey(sim!);
		if (options.login === 'accessToken') credential = await accessToken(sim!);
	});
	return { current: () => ({ sim: sim!, credential }) };
}

export interface HttpResult {
	status: number;
	headers: Headers;
	text: string;
	json: any;
}

export async function http(url: string, init: RequestInit = {}): Promise<HttpResult> {
	const res = await fetch(url, { redirect: 'manual', ...init });
	const text = await res.text();
	let json: any;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

export function form(values: Record<string, string | number>): RequestInit {
	return {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(Object.entries(values).map(([k, v]): [string, string] => [k, String(v)])).toString(),
	};
}

export async function login(
	sim: SimulatorHandle,
	overrides: Record<string, string> = {},
	version: 3 | 4 = 4,
): Promise<HttpResult> {
	return http(
		`${sim.baseUrl}/api/login/version/${version}`,
		form({
			email: DEFAULT_USER.email,
			password: DEFAULT_USER.password,
			user_key: DEFAULT_USER.userKey,
			format: 'json',
			...overrides,
		}),
	);
}

export async function apiKey(sim: SimulatorHandle): Promise<string> {
	const res = await login(sim);
	if (!res.json?.api_key) throw new Error(`login failed: ${res.text}`);
	return res.json.api_key as string;
}

export function legacyAuth(key: string, userKey = DEFAULT_USER.userKey): Record<string, string> {
	return { Authorization: `Pardot api_key=${key}, user_key=${userKey}` };
}

/** v3/v4 object names as they appear in the path (`/api/<name>/version/N/do/query`). */
export type LegacyObject = 'prospect' | 'opportunity' | 'visitorActivity' | 'listMembership' | 'list' | 'campaign' | 'visitor' | 'user';
/** v5 object names as they appear in the path (`/api/v5/objects/<name>`). */
export type V5Object = 'prospects' | 'opportunities' | 'visitor-activities' | 'list-memberships' | 'lists' | 'campaigns' | 'visitors' | 'users';

/** A v3/v4 query with legacy auth; `params` go to the query string (format=json added). */
export async function legacyQuery(
	sim: SimulatorHandle,
	key: string,
	type: LegacyObject,
	params: Record<string, string | number> = {},
	version: 3 | 4 = 4,
): Promise<HttpResult> {
	const qs = new URLSearchParams({ format: 'json', ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
	return http(`${sim.baseUrl}/api/${type}/version/${version}/do/query?${qs}`, { headers: legacyAuth(key) });
}

/** Records of a v3/v4 answer under `result.<key>` (prospect, visitor_activity...), whatever its shape (array, single object, missing key). */
export function legacyRecords(json: any, type: string): any[] {
	const value = json?.result?.[type];
	if (value === undefined || value === null) return [];
	return Array.isArray(value) ? value : [value];
}

export async function accessToken(sim: SimulatorHandle): Promise<string> {
	const res = await http(
		`${sim.baseUrl}/services/oauth2/token`,
		form({
			grant_type: 'client_credentials',
			client_id: DEFAULT_OAUTH_CLIENT.clientId,
			client_secret: DEFAULT_OAUTH_CLIENT.clientSecret,
		}),
	);
	if (!res.json?.access_token) throw new Error(`token failed: ${res.text}`);
	return res.json.access_token as string;
}

export function bearer(token: string, bu: string | null = DEFAULT_BUSINESS_UNIT): Record<string, string> {
	const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
	if (bu !== null) headers['Pardot-Business-Unit-Id'] = bu;
	return headers;
}

/** A v5 query; `query` is a raw query string so tests control the encoding. */
export async function v5(
	sim: SimulatorHandle,
	token: string,
	object: V5Object,
	query: string,
): Promise<HttpResult> {
	return http(`${sim.baseUrl}/api/v5/objects/${object}?${query}`, { headers: bearer(token) });
}

export async function v5All(
	sim: SimulatorHandle,
	token: string,
	object: V5Object,
	query: string,
): Promise<{ values: any[]; pages: number }> {
	const values: any[] = [];
	let res = await v5(sim, token, object, query);
	let pages = 1;
	for (;;) {
		if (res.status !== 200) throw new Error(`v5 failed: ${res.status} ${res.text}`);
		values.push(...res.json.values);
		if (!res.json.nextPageToken) break;
		res = await http(res.json.nextPageUrl, { headers: bearer(token) });
		pages++;
	}
	return { values, pages };
}

export const enc = encodeURIComponent;
