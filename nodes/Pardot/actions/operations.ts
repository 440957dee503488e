import * as list from '../resources/list/execute';
import * as listMembership from '../resources/listMembership/execute';
import * as opportunity from '../resources/opportunity/execute';
import * as prospect from '../resources/prospect/execute';
import { importProspects } from '../resources/prospect/import';
import * as visitorActivity from '../resources/visitorActivity/execute';
import type { Operation } from './types';

/** resource -> operation -> what runs it. */
export const OPERATIONS: Record<string, Record<string, Operation>> = {
	prospect: {
		create: prospect.create,
		upsert: prospect.upsert,
		get: prospect.get,
		getMany: prospect.getMany,
		update: prospect.update,
		delete: prospect.remove,
		import: importProspects,
	},
	listMembership: {
		add: listMembership.add,
		update: listMembership.update,
		remove: listMembership.remove,
		getMany: listMembership.getMany,
	},
	list: { create: list.create, getMany: list.getMany },
	opportunity: { create: opportunity.create, update: opportunity.update, get: opportunity.get, getMany: opportunity.getMany },
	visitorActivity: { getMany: visitorActivity.getMany },
};
