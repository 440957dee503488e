/**
 * Pure: a plan (./instance.ts) -> the n8n workflow (Pardot Trigger -> Pardot Event Callback) and the credentials it
 * needs. The workflow never holds a secret: credentials are referenced by ID, or left for the user to pick.
 * Parameter names and values are the nodes' own (nodes/PardotTrigger, nodes/PardotEventCallback, credentials/).
 */
import { randomUUID } from 'node:crypto';
import { BATCH_SIZE, type Plan } from './instance';

export const TRIGGER_TYPE = 'n8n-nodes-pardot.pardotTrigger';
export const CALLBACK_TYPE = 'n8n-nodes-pardot.pardotEventCallback';
export const TRIGGER_NAME = 'Pardot Trigger';
export const CALLBACK_NAME = 'Pardot Event Callback';
/** What Open Connectors' Pardot poller reported: new and changed records (its rule: created date = updated date). */
export const EVENTS = ['CREATED', 'UPDATED'];

export interface CredentialRef {
	id: string;
	name: string;
}

/** The credentials a workflow uses, when they exist in n8n. */
export interface Refs {
	pardot?: { type: 'pardotApi' | 'pardotOAuth2Api'; ref: CredentialRef };
	signing?: CredentialRef;
}

/** A credential to create in n8n: `data` holds secrets. */
export interface CredentialSpec {
	role: 'pardot' | 'signing';
	type: 'pardotApi' | 'pardotCallbackSigningApi';
	name: string;
	data: Record<string, string>;
}

export interface Schedule {
	item: Record<string, unknown>;
	/** how it reads for people, e.g. "every 15 minutes" */
	says: string;
	/** when n8n's schedule cannot be exactly the instance's interval */
	note?: string;
}

/**
 * n8n polls on a cron schedule: "every X minutes" is the cron step `*\/X` (it restarts at each full hour), "every X
 * hours" likewise restarts at midnight. Minutes below 60 and whole hours are what it can express.
 */
export function scheduleOf(minutes: number): Schedule {
	if (minutes === 1) return { item: { mode: 'everyMinute' }, says: 'every minute' };
	if (minutes < 60) {
		const schedule: Schedule = { item: { mode: 'everyX', value: minutes, unit: 'minutes' }, says: `every ${minutes} minutes` };
		if (60 % minutes !== 0) {
			const last = 60 - Math.floor(59 / minutes) * minutes;
			schedule.note = `n8n's "every ${minutes} minutes" restarts at each full hour: the last poll of an hour is ${last} minutes before the next.`;
		}
		return schedule;
	}
	const hours = Math.floor(minutes / 60);
	const rounded = minutes % 60 !== 0 ? `${minutes} minutes is not a whole number of hours, which n8n's schedule needs above 59 minutes: polls every ${hours} hour${hours === 1 ? '' : 's'} instead.` : undefined;
	if (hours === 24) return { item: { mode: 'everyDay', hour: 0, minute: 0 }, says: 'every day at 00:00', note: rounded };
	const schedule: Schedule = {
		item: { mode: 'everyX', value: hours, unit: 'hours' },
		says: hours === 1 ? 'every hour' : `every ${hours} hours`,
		note: rounded,
	};
	if (24 % hours !== 0) schedule.note = [rounded, `n8n's "every ${hours} hours" restarts at midnight.`].filter(Boolean).join(' ');
	return schedule;
}

export interface WorkflowOptions {
	/** the trigger's Start From: an ISO date-time with its offset; on activation it first catches up from then */
	startFrom?: string;
	newId?: () => string;
}

/** The importable workflow. Without refs the nodes carry no credentials: the user picks them after import. */
export function workflowOf(plan: Plan, refs: Refs = {}, o: WorkflowOptions = {}) {
	const newId = o.newId ?? randomUUID;
	const triggerOptions: Record<string, unknown> = {};
	if (plan.resources.includes('leads')) triggerOptions.leadsAre = 'opportunities';
	if (o.startFrom) triggerOptions.startFrom = o.startFrom;
	const callbackOptions: Record<string, unknown> = { instanceName: plan.instanceName };
	if (plan.instanceId !== undefined) callbackOptions.instanceId = plan.instanceId;
	if (plan.instanceTags) callbackOptions.instanceTags = plan.instanceTags.join(', ');

	const trigger: Record<string, unknown> = {
		id: newId(),
		name: TRIGGER_NAME,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			authentication: plan.auth,
			pollTimes: { item: [scheduleOf(plan.refreshMinutes).item] },
			resources: plan.resources,
			events: EVENTS,
			options: triggerOptions,
		},
	};
	if (refs.pardot) trigger.credentials = { [refs.pardot.type]: { id: refs.pardot.ref.id, name: refs.pardot.ref.name } };

	const callback: Record<string, unknown> = {
		id: newId(),
		name: CALLBACK_NAME,
		type: CALLBACK_TYPE,
		typeVersion: 1,
		position: [260, 0],
		parameters: {
			callbackUrl: plan.callbackUrl,
			batchSize: BATCH_SIZE,
			options: callbackOptions,
		},
	};
	if (refs.signing) callback.credentials = { pardotCallbackSigningApi: { id: refs.signing.id, name: refs.signing.name } };

	// Exactly what n8n's public API accepts for a new workflow (1.x rejects any other top-level key), which
	// Import from File takes as well.
	return {
		name: plan.workflowName,
		nodes: [trigger, callback],
		connections: { [TRIGGER_NAME]: { main: [[{ node: CALLBACK_NAME, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

export interface CredentialOptions {
	/** Pardot's host for the legacy credential (Environment Custom), e.g. the simulator; production otherwise */
	pardotBaseUrl?: string;
}

/** The credentials to create from the instance: its legacy login (if used) and its signing key (if any). */
export function credentialsOf(plan: Plan, o: CredentialOptions = {}): CredentialSpec[] {
	const out: CredentialSpec[] = [];
	if (plan.auth === 'legacy' && plan.login) {
		const data: Record<string, string> = {
			username: plan.login.username,
			password: plan.login.password,
			userKey: plan.login.userKey,
			apiVersion: plan.login.apiVersion,
			// n8n's public API requires Base URL exactly when Environment is Custom, and refuses it otherwise.
			environment: o.pardotBaseUrl ? 'custom' : 'production',
			// Open Connectors' Pardot polling needed the Pardot user's time zone set to GMT.
			timezone: 'UTC',
		};
		if (o.pardotBaseUrl) data.baseUrl = o.pardotBaseUrl;
		out.push({ role: 'pardot', type: 'pardotApi', name: `Pardot login: ${plan.instanceName}`, data });
	}
	if (plan.signingKey !== undefined) {
		out.push({ role: 'signing', type: 'pardotCallbackSigningApi', name: `Callback signing key: ${plan.instanceName}`, data: { signingKey: plan.signingKey } });
	}
	return out;
}
