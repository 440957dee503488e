import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ActionOptions, PardotApi } from '../api/client';

/** Why an operation cannot run with this credential (an API version that lacks it), for the error. */
export interface Unavailable {
	message: string;
	description: string;
}

interface OperationBase {
	/** A reason the operation cannot run with this connection, else undefined. */
	unavailable?: (api: PardotApi) => Unavailable | undefined;
}

/** An operation run once per input item; it answers the item's output json (a list for Get Many). */
export interface ItemOperation extends OperationBase {
	item: (ctx: IExecuteFunctions, api: PardotApi, itemIndex: number) => Promise<IDataObject | IDataObject[]>;
	/** Items with the same key run one after another (e.g. upserts of one email). */
	serializeBy?: (ctx: IExecuteFunctions, itemIndex: number) => string | undefined;
}

/** An operation over all items at once (the bulk import); it answers one output item per input item. */
export interface BatchOperation extends OperationBase {
	batch: (ctx: IExecuteFunctions, api: PardotApi, items: INodeExecutionData[], options: ActionOptions) => Promise<INodeExecutionData[]>;
}

export type Operation = ItemOperation | BatchOperation;
