import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { mayHaveBeenApplied, pardotErrorCode } from '../../../shared/transport';
import type { PardotApi } from '../../api/client';
import { legacyRecord } from '../../api/client';
import { inputError, itemError, nodeError } from '../../api/errors';
import { MEMBERSHIP_FIELDS_V5 } from '../../api/fields';
import { queryAll } from '../../api/paging';
import { prospectIdOf } from '../../api/prospects';
import type { ItemOperation } from '../../actions/types';

/** List memberships: a prospect on a list (v5 by membership id, v3/v4 by list and prospect in the path). */

function listIdOf(ctx: IExecuteFunctions, i: number): string {
	const id = String(ctx.getNodeParameter('list', i, '', { extractValue: true }) ?? '').trim();
	if (!/^\d+$/.test(id)) throw inputError(ctx.getNode(), i, 'List', id ? `ID "${id.slice(0, 40)}" is not a number` : 'is empty', 'Pick a list.');
	return id;
}

async function target(ctx: IExecuteFunctions, api: PardotApi, i: number) {
	const listId = listIdOf(ctx, i);
	const prospectId = await prospectIdOf(ctx, api, i);
	return { listId, prospectId, what: `the membership of prospect ${prospectId} in list ${listId}` };
}

/** The live membership of a prospect in a list, or undefined. */
async function findMembership(api: PardotApi, listId: string, prospectId: string): Promise<IDataObject | undefined> {
	if (api.family === 'v5') {
		const found = await queryAll(api, {
			v5Object: 'list-memberships',
			v5Fields: MEMBERSHIP_FIELDS_V5,
			v5Filters: { listId, prospectId },
			legacyObject: 'listMembership',
			legacyKey: 'list_membership',
			limit: 1,
		});
		return found[0];
	}
	try {
		return legacyRecord((await api.legacy('listMembership', 'read', [['list_id', listId], ['prospect_id', prospectId]])).body, 'list_membership');
	} catch (error) {
		if (pardotErrorCode(error) === 16) return undefined;
		throw nodeError(api.ctx.getNode(), error);
	}
}

async function fail<T>(ctx: IExecuteFunctions, i: number, what: string, write: 'create' | 'other', fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (error) {
		throw itemError(ctx.getNode(), i, error, { what }, write);
	}
}

async function setOptedOut(api: PardotApi, listId: string, prospectId: string, membership: IDataObject, optedOut: boolean): Promise<IDataObject> {
	if (api.family === 'v5') {
		const { body } = await api.v5('PATCH', 'list-memberships', { id: String(membership.id), json: { optedOut }, query: { fields: MEMBERSHIP_FIELDS_V5.join(',') } });
		return body;
	}
	const { body } = await api.legacy('listMembership', 'update', [['list_id', listId], ['prospect_id', prospectId]], { opted_out: optedOut });
	return legacyRecord(body, 'list_membership');
}

/**
 * Add is safe to repeat (a form submitted twice, a workflow run again): a prospect already on the list keeps its
 * membership, set to the Opted Out asked for. A membership is unique per list and prospect, so an add whose answer
 * was lost is checked, not repeated blindly: if the membership is there, the add happened.
 */
export const add: ItemOperation = {
	async item(ctx, api, i) {
		const { listId, prospectId, what } = await target(ctx, api, i);
		const optedOut = ctx.getNodeParameter('optedOut', i, false) as boolean;
		return await fail(ctx, i, what, 'create', async () => {
			try {
				if (api.family === 'v5') {
					const json = { listId: Number(listId), prospectId: Number(prospectId), optedOut };
					return (await api.v5('POST', 'list-memberships', { json, query: { fields: MEMBERSHIP_FIELDS_V5.join(',') }, idempotent: false })).body;
				}
				const { body } = await api.legacy('listMembership', 'create', [['list_id', listId], ['prospect_id', prospectId]], { opted_out: optedOut }, { idempotent: false });
				return legacyRecord(body, 'list_membership');
			} catch (error) {
				const alreadyMember = pardotErrorCode(error) === 58;
				if (!mayHaveBeenApplied(error) && !alreadyMember) throw nodeError(ctx.getNode(), error);
				const found = await findMembership(api, listId, prospectId);
				if (!found) throw nodeError(ctx.getNode(), error);
				const isOut = found.optedOut ?? found.opted_out;
				const same = isOut === optedOut || String(isOut) === (optedOut ? '1' : '0') || String(isOut) === String(optedOut);
				return alreadyMember && !same ? await setOptedOut(api, listId, prospectId, found, optedOut) : found;
			}
		});
	},
};

export const update: ItemOperation = {
	async item(ctx, api, i) {
		const { listId, prospectId, what } = await target(ctx, api, i);
		const optedOut = ctx.getNodeParameter('optedOut', i, false) as boolean;
		return await fail(ctx, i, what, 'other', async () => {
			const found = api.family === 'v5' ? await findMembership(api, listId, prospectId) : {};
			if (!found) throw inputError(ctx.getNode(), i, 'Prospect', `is not a member of list ${listId}`, 'Use Add first.');
			return await setOptedOut(api, listId, prospectId, found, optedOut);
		});
	},
};

export const remove: ItemOperation = {
	async item(ctx, api, i) {
		const { listId, prospectId, what } = await target(ctx, api, i);
		await fail(ctx, i, what, 'other', async () => {
			if (api.family === 'v5') {
				const found = await findMembership(api, listId, prospectId);
				if (!found) throw inputError(ctx.getNode(), i, 'Prospect', `is not a member of list ${listId}`, 'Nothing to remove.');
				await api.v5('DELETE', 'list-memberships', { id: String(found.id) });
			} else {
				await api.legacy('listMembership', 'delete', [['list_id', listId], ['prospect_id', prospectId]]);
			}
		});
		return { listId: Number(listId), prospectId: Number(prospectId), removed: true };
	},
};

export const getMany: ItemOperation = {
	async item(ctx, api, i) {
		const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
		const limit = ctx.getNodeParameter('returnAll', i, false) ? undefined : (ctx.getNodeParameter('limit', i, 50) as number);
		const listId = filters.listId ? String(filters.listId) : undefined;
		const prospectId = filters.prospectId ? String(filters.prospectId).trim() : undefined;
		return await fail(ctx, i, 'list memberships', 'other', async () =>
			await queryAll(api, {
				v5Object: 'list-memberships',
				v5Fields: MEMBERSHIP_FIELDS_V5,
				v5Filters: { listId, prospectId },
				legacyObject: 'listMembership',
				legacyKey: 'list_membership',
				legacyCriteria: { list_id: listId, prospect_id: prospectId },
				limit,
			}),
		);
	},
};
