import type { ILoadOptionsFunctions } from 'n8n-workflow';

import type { PardotContext } from '../../shared/transport';
import { loadConnection } from '../../shared/transport';
import { PardotApi } from '../api/client';

/** The API for a picker: the node's credential, as the editor has it now. */
export async function pickerApi(ctx: ILoadOptionsFunctions): Promise<PardotApi> {
	const authentication = (ctx.getCurrentNodeParameter('authentication') as 'oAuth2' | 'legacy' | undefined) ?? 'oAuth2';
	const context = ctx as unknown as PardotContext;
	return new PardotApi(context, await loadConnection(context, authentication));
}
