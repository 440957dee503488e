import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PardotApi } from '../../api/client';
import { legacyRecord } from '../../api/client';
import { mayHaveBeenApplied } from '../../../shared/transport';
import { inputError, itemError, nodeError } from '../../api/errors';
import { customNames, namesFor, writeFields } from '../../api/fields';
import { queryAll, timeFilter } from '../../api/paging';
import { emailOf, latestProspect, prospectFieldsWanted, prospectIdOf, prospectsByEmail, readProspect } from '../../api/prospects';
import type { ItemOperation } from '../../actions/types';
import { checkTaken } from './checks';

/** Prospect operations, one item at a time. */

/**
 * A write's fields. The Assigned User (`assignedToId`, a user id) goes with them on v5; v3/v4 writes take no
 * assigned user, so it comes back apart (`assignTo`) for a `do/assign` after the write.
 */
function fieldsOf(ctx: IExecuteFunctions, api: PardotApi, i: number, collection: 'additionalFields' | 'updateFields'): { fields: IDataObject; custom: string[]; assignTo?: number } {
	const custom = ctx.getNodeParameter('customFields', i, {}) as IDataObject;
	const fields = writeFields(ctx.getNodeParameter(collection, i, {}) as IDataObject, custom);
	const raw = fields.assignedToId;
	if (raw === undefined) return { fields, custom: customNames(custom) };
	const userId = Number(String(raw).trim());
	if (!Number.isInteger(userId) || userId < 1) {
		throw inputError(ctx.getNode(), i, 'Assigned User', `"${String(raw)}" is not a user ID`, 'Choose a user from the list, or give a Pardot user ID.');
	}
	if (api.family === 'v5') return { fields: { ...fields, assignedToId: userId }, custom: customNames(custom) };
	delete fields.assignedToId;
	return { fields, custom: customNames(custom), assignTo: userId };
}

/** v3/v4: assigns the written prospect to the user (`do/assign`, which answers the prospect as it is now). */
async function assignLegacy(api: PardotApi, record: IDataObject, userId: number | undefined): Promise<IDataObject> {
	if (userId === undefined) return record;
	return legacyRecord((await api.legacy('prospect', 'assign', [['id', String(record.id)]], { user_id: userId })).body, 'prospect');
}

/** Runs a write and turns its failure into the item's error (naming the item and, for addresses, Email). */
async function attempt<T>(ctx: IExecuteFunctions, i: number, what: string, write: 'create' | 'other', fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (error) {
		const custom = customNames(ctx.getNodeParameter('customFields', i, {}) as IDataObject);
		throw itemError(ctx.getNode(), i, error, { what, field: 'Email', customFields: custom }, write);
	}
}

async function createProspect(api: PardotApi, email: string, fields: IDataObject, wanted: string[]): Promise<IDataObject> {
	if (api.family === 'v5') {
		return (await api.v5('POST', 'prospects', { query: { fields: wanted.join(',') }, json: { ...fields, email }, idempotent: false })).body;
	}
	const { body } = await api.legacy('prospect', 'create', [['email', email]], namesFor('legacy', fields), { idempotent: false });
	return legacyRecord(body, 'prospect');
}

async function updateProspect(api: PardotApi, id: string, fields: IDataObject, wanted: string[]): Promise<IDataObject> {
	if (api.family === 'v5') return (await api.v5('PATCH', 'prospects', { id, query: { fields: wanted.join(',') }, json: fields })).body;
	return legacyRecord((await api.legacy('prospect', 'update', [['id', id]], namesFor('legacy', fields))).body, 'prospect');
}

export const create: ItemOperation = {
	async item(ctx, api, i) {
		const email = emailOf(ctx, i);
		const { fields, custom, assignTo } = fieldsOf(ctx, api, i, 'additionalFields');
		const wanted = prospectFieldsWanted(ctx, i, custom);
		const record = await attempt(ctx, i, `a prospect with the email ${email}`, 'create', async () => await createProspect(api, email, fields, wanted));
		checkTaken(ctx, api, i, record, custom);
		return await attempt(ctx, i, `prospect ${String(record.id)}`, 'other', async () => await assignLegacy(api, record, assignTo));
	},
};

/**
 * v5 `upsertLatestByEmail` and v3 `upsert/email` update the prospect with the email or create one. v4's
 * `upsert/email` always creates (Pardot documents it so), so on v4 the node reads by email first and updates
 * the prospect with the latest activity, creating only when there is none. Items with the same email run one
 * after another, so two of them never both create.
 */
export const upsert: ItemOperation = {
	serializeBy: (ctx, i) => String(ctx.getNodeParameter('email', i, '') ?? '').trim().toLowerCase() || undefined,
	async item(ctx, api, i) {
		const email = emailOf(ctx, i);
		const { fields, custom, assignTo } = fieldsOf(ctx, api, i, 'additionalFields');
		const wanted = prospectFieldsWanted(ctx, i, custom);
		const record = await attempt(ctx, i, `the prospect with the email ${email}`, 'create', async () => {
			if (api.family === 'v5') {
				const json = { matchEmail: email, prospect: { ...fields, email }, secondaryDeletedSearch: true, fields: wanted };
				return (await api.v5('POST', 'prospects', { action: 'upsertLatestByEmail', json })).body;
			}
			if (api.conn.apiVersion === '3') {
				return legacyRecord((await api.legacy('prospect', 'upsert', [['email', email]], namesFor('legacy', fields))).body, 'prospect');
			}
			const match = latestProspect(await prospectsByEmail(api, email));
			if (match) return await updateProspect(api, String(match.id), fields, wanted);
			try {
				return await createProspect(api, email, fields, wanted);
			} catch (error) {
				// The create's answer was lost: whether it happened, a read by email tells (items with one email run in turn).
				const created = mayHaveBeenApplied(error) ? latestProspect(await prospectsByEmail(api, email)) : undefined;
				if (!created) throw nodeError(ctx.getNode(), error);
				return created;
			}
		});
		checkTaken(ctx, api, i, record, custom);
		return await attempt(ctx, i, `prospect ${String(record.id)}`, 'other', async () => await assignLegacy(api, record, assignTo));
	},
};

export const get: ItemOperation = {
	async item(ctx, api, i) {
		const locator = ctx.getNodeParameter('prospect', i, undefined, { extractValue: false }) as { mode: string; value: unknown };
		const wanted = prospectFieldsWanted(ctx, i);
		if (locator?.mode === 'email') {
			const email = emailOf(ctx, i, 'prospect.value', 'Prospect');
			const found = await attempt(ctx, i, `the prospect with the email ${email}`, 'other', async () => await prospectsByEmail(api, email));
			if (found.length === 0) throw inputError(ctx.getNode(), i, 'Prospect', `: no prospect has the email ${email}`, 'Check the address.');
			if (api.family !== 'v5') return found;
			return await attempt(ctx, i, 'the prospect', 'other', async () => await Promise.all(found.map(async (p) => await readProspect(api, String(p.id), wanted))));
		}
		const id = await prospectIdOf(ctx, api, i);
		return await attempt(ctx, i, `prospect ${id}`, 'other', async () => await readProspect(api, id, wanted));
	},
};

export const update: ItemOperation = {
	async item(ctx, api, i) {
		const { fields, custom, assignTo } = fieldsOf(ctx, api, i, 'updateFields');
		if (Object.keys(fields).length === 0 && assignTo === undefined) {
			throw inputError(ctx.getNode(), i, 'Update Fields', 'are empty', 'Add at least one field to change.');
		}
		if (fields.email !== undefined) emailOf(ctx, i, 'updateFields.email', 'Update Fields → Email');
		const id = await prospectIdOf(ctx, api, i);
		const wanted = prospectFieldsWanted(ctx, i, custom);
		// v3/v4 with only an Assigned User: the assign is the whole write.
		const onlyAssign = Object.keys(fields).length === 0;
		const record = onlyAssign ? { id } : await attempt(ctx, i, `prospect ${id}`, 'other', async () => await updateProspect(api, id, fields, wanted));
		checkTaken(ctx, api, i, record, custom);
		return await attempt(ctx, i, `prospect ${id}`, 'other', async () => await assignLegacy(api, record, assignTo));
	},
};

export const remove: ItemOperation = {
	async item(ctx, api, i) {
		const id = await prospectIdOf(ctx, api, i);
		await attempt(ctx, i, `prospect ${id}`, 'other', async () => {
			if (api.family === 'v5') await api.v5('DELETE', 'prospects', { id });
			else await api.legacy('prospect', 'delete', [['id', id]]);
		});
		return { id: Number(id), deleted: true };
	},
};

export const getMany: ItemOperation = {
	async item(ctx, api, i) {
		const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
		const limit = ctx.getNodeParameter('returnAll', i, false) ? undefined : (ctx.getNodeParameter('limit', i, 50) as number);
		const wanted = prospectFieldsWanted(ctx, i);
		const createdAfter = timeFilter(api, filters.createdAfter);
		const updatedAfter = timeFilter(api, filters.updatedAfter);
		const after = (p: IDataObject) =>
			(!filters.createdAfter || Date.parse(String(p.createdAt ?? p.created_at)) > Date.parse(String(filters.createdAfter))) &&
			(!filters.updatedAfter || Date.parse(String(p.updatedAt ?? p.updated_at)) > Date.parse(String(filters.updatedAfter)));
		return await attempt(ctx, i, 'prospects', 'other', async () => {
			if (filters.email) {
				const email = emailOf(ctx, i, 'filters.email', 'Filters → Email');
				const found = await prospectsByEmail(api, email);
				const records = api.family === 'v5' ? await Promise.all(found.map(async (p) => await readProspect(api, String(p.id), wanted))) : found;
				return records.filter(after).slice(0, limit);
			}
			if (filters.listId) {
				const memberships = await queryAll(api, {
					v5Object: 'list-memberships',
					v5Fields: ['id', 'prospectId'],
					v5Filters: { listId: String(filters.listId) },
					legacyObject: 'listMembership',
					legacyKey: 'list_membership',
					legacyCriteria: { list_id: String(filters.listId) },
				});
				const out: IDataObject[] = [];
				for (const m of memberships) {
					if (limit !== undefined && out.length >= limit) break;
					const p = await readProspect(api, String(m.prospectId ?? m.prospect_id), wanted);
					if (after(p)) out.push(p);
				}
				return out;
			}
			return await queryAll(api, {
				v5Object: 'prospects',
				v5Fields: wanted,
				v5Filters: { createdAtAfter: createdAfter, updatedAtAfter: updatedAfter },
				legacyObject: 'prospect',
				legacyKey: 'prospect',
				legacyCriteria: { created_after: createdAfter, updated_after: updatedAfter },
				limit,
			});
		});
	},
};
