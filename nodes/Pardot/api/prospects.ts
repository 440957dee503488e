import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { pardotErrorCode } from '../../shared/transport';
import type { PardotApi } from './client';
import { legacyRecord, legacyRecords } from './client';
import { inputError, nodeError } from './errors';
import { fieldList, isValidEmail, PROSPECT_FIELDS_V5 } from './fields';

/**
 * Finding prospects: by email (v3/v4 `read/email`; v5 has no read by email, so the same connection asks v4's,
 * which OAuth credentials may call, falling back to v3 on accounts that cannot use v4) and by ID.
 */

/** Every live prospect with this email (several where an account allows shared emails); none: []. */
export async function prospectsByEmail(api: PardotApi, email: string): Promise<IDataObject[]> {
	const versions: Array<'3' | '4' | undefined> = api.family === 'v5' ? ['4', '3'] : [undefined];
	for (const version of versions) {
		try {
			const { body } = await api.legacy('prospect', 'read', [['email', email]], {}, { version });
			return legacyRecords(body, 'prospect');
		} catch (error) {
			const code = pardotErrorCode(error);
			// 4: no prospect with this address; 132: only one in the recycle bin.
			if (code === 4 || code === 132) return [];
			if (code === 89 && version === '4') continue;
			throw nodeError(api.ctx.getNode(), error);
		}
	}
	return [];
}

/** The prospect to update among several with one email: the latest activity, then the latest update. */
export function latestProspect(prospects: IDataObject[]): IDataObject | undefined {
	const time = (p: IDataObject, a: string, b: string) => Date.parse(String(p[a] ?? p[b] ?? '')) || 0;
	return [...prospects].sort(
		(x, y) =>
			time(y, 'last_activity_at', 'lastActivityAt') - time(x, 'last_activity_at', 'lastActivityAt') ||
			time(y, 'updated_at', 'updatedAt') - time(x, 'updated_at', 'updatedAt') ||
			Number(y.id) - Number(x.id),
	)[0];
}

/** The email parameter of an item, checked before anything is sent. */
export function emailOf(ctx: IExecuteFunctions, i: number, parameter = 'email', label = 'Email'): string {
	const email = String(ctx.getNodeParameter(parameter, i, '') ?? '').trim();
	if (!email) throw inputError(ctx.getNode(), i, label, 'is empty', 'Give the prospect\'s email address.');
	if (!isValidEmail(email)) throw inputError(ctx.getNode(), i, label, `"${email.slice(0, 80)}" is not a valid email address`, 'Correct the address.');
	return email;
}

/** The prospect ID of an item's Prospect parameter (by ID, or the one prospect with the email). */
export async function prospectIdOf(ctx: IExecuteFunctions, api: PardotApi, i: number): Promise<string> {
	const locator = ctx.getNodeParameter('prospect', i, undefined, { extractValue: false }) as { mode: string; value: unknown };
	const value = String(locator?.value ?? '').trim();
	if (locator?.mode !== 'email') {
		if (!/^\d+$/.test(value)) throw inputError(ctx.getNode(), i, 'Prospect', `ID "${value.slice(0, 40)}" is not a number`, 'Give a prospect ID, or pick By Email.');
		return value;
	}
	if (!isValidEmail(value)) throw inputError(ctx.getNode(), i, 'Prospect', `"${value.slice(0, 80)}" is not a valid email address`, 'Correct the address.');
	const found = await prospectsByEmail(api, value);
	if (found.length === 0) throw inputError(ctx.getNode(), i, 'Prospect', `: no prospect has the email ${value}`, 'Check the address, or use Upsert by Email to create it.');
	if (found.length > 1) {
		const ids = found.map((p) => p.id).join(', ');
		throw inputError(ctx.getNode(), i, 'Prospect', `: ${found.length} prospects share the email ${value} (IDs ${ids})`, 'Pick the prospect By ID.');
	}
	return String(found[0].id);
}

/** The fields a prospect answer should carry (v5 needs them named; v3/v4 answer every field). */
export function prospectFieldsWanted(ctx: IExecuteFunctions, i: number, extra: string[] = []): string[] {
	const asked = fieldList((ctx.getNodeParameter('options', i, {}) as IDataObject).fields);
	return asked.length ? [...new Set(['id', ...asked])] : [...new Set([...PROSPECT_FIELDS_V5, ...extra])];
}

/** One prospect by ID. */
export async function readProspect(api: PardotApi, id: string, fields: string[]): Promise<IDataObject> {
	if (api.family === 'v5') return (await api.v5('GET', 'prospects', { id, query: { fields: fields.join(',') } })).body;
	return legacyRecord((await api.legacy('prospect', 'read', [['id', id]])).body, 'prospect');
}
