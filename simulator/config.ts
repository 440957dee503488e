/** Options as the simulator keeps them: copies, checks, and the `realAccount` preset expanded. */
import { realAccount, type SimulatorConfig } from './types';

/** A deep copy, so that a caller never holds the simulator's own arrays. */
export function cloneConfig(config: SimulatorConfig): SimulatorConfig {
	return {
		...config,
		users: config.users.map((u) => ({ ...u })),
		oauthClients: config.oauthClients.map((c) => ({ ...c, redirectUris: c.redirectUris ? [...c.redirectUris] : undefined })),
		businessUnits: [...config.businessUnits],
		// Copied only when they are lists: validateConfig names the option when they are not.
		v5LagSequenceMs: Array.isArray(config.v5LagSequenceMs) ? [...config.v5LagSequenceMs] : config.v5LagSequenceMs,
		legacyLagSequenceMs: Array.isArray(config.legacyLagSequenceMs) ? [...config.legacyLagSequenceMs] : config.legacyLagSequenceMs,
		lateWriteSequenceMs: Array.isArray(config.lateWriteSequenceMs) ? [...config.lateWriteSequenceMs] : config.lateWriteSequenceMs,
	};
}

/** Checks the options whose values are enumerations or must be numbers; throws a message naming the option. */
export function validateConfig(next: SimulatorConfig): void {
	const oneOf = (name: keyof SimulatorConfig, allowed: unknown[]) => {
		if (!allowed.includes(next[name])) {
			throw new Error(`${name} must be ${allowed.map((a) => JSON.stringify(a)).join(' or ')}`);
		}
	};
	oneOf('updatedAfter', ['strict', 'inclusive']);
	oneOf('emptyResult', ['omit', 'null']);
	oneOf('accountVersion', [3, 4]);
	oneOf('legacyWrongUserKeyCode', [15, 1]);
	oneOf('legacyOpportunityDeleted', ['honour', 'ignore']);
	oneOf('legacyUnknownParams', ['ignore', 'reject']);
	oneOf('legacyTieOrder', ['idAscending', 'sortDirection', 'arbitrary']);
	oneOf('loginHost', ['myDomain', 'generic']);
	oneOf('v5LagModel', ['fixed', 'cache']);
	oneOf('legacyLagModel', ['fixed', 'cache']);
	oneOf('v5PageTokens', ['keyset', 'offset']);
	oneOf('legacyBooleans', ['boolean', 'integer']);
	oneOf('ampsea', [null, true, false]);
	oneOf('v5UpsertMatch', ['latestActivity', 'latestUpdated']);
	oneOf('v5UpsertStatus', ['byOutcome', 'always201']);
	oneOf('membershipOptIn', ['ignored', 'applied']);
	oneOf('lateWriteApis', ['v5', 'all']);
	for (const name of [
		'legacyLoginReusesKey',
		'dailyLimitCountsLogins',
		'legacyLoginRetired',
		'deleteBumpsUpdatedAt',
		'v5ActivityTypeFilter',
		'v5ActivityProspectFilter',
		'v5MembershipFilters',
		'v5CampaignDateQueries',
		'v5VisitorDateQueries',
		'salesforceConnector',
		'legacyOpportunityRequiresCampaign',
	] as const) {
		if (typeof next[name] !== 'boolean') throw new Error(`${name} must be true or false`);
	}
	for (const name of ['legacyLimitStatus', 'v5LimitStatus', 'expiredKeyStatus'] as const) {
		const status = next[name];
		if (!Number.isInteger(status) || status < 100 || status > 599) throw new Error(`${name} must be an HTTP status (100-599)`);
	}
	for (const name of ['v5ReadLagMs', 'dailyApiLimit', 'dateHeaderOffsetMs', 'v5PageLimitWarningCode'] as const) {
		if (!Number.isFinite(next[name])) throw new Error(`${name} must be a number`);
	}
	if (next.v5ReadLagMs < 0 || next.dailyApiLimit < 0) throw new Error('v5ReadLagMs and dailyApiLimit must not be negative');
	for (const name of ['legacyReadLagMs', 'clockStepPerRequestMs', 'importWaitMs', 'importProcessingMs', 'lateWriteMaxMs'] as const) {
		if (typeof next[name] !== 'number' || !Number.isFinite(next[name]) || next[name] < 0) {
			throw new Error(`${name} must be a non-negative number (milliseconds)`);
		}
	}
	if (!Number.isInteger(next.dateHeaderJitterMs) || next.dateHeaderJitterMs < 0) {
		throw new Error('dateHeaderJitterMs must be a non-negative integer (milliseconds)');
	}
	if (!Number.isInteger(next.maxRecordVersions) || next.maxRecordVersions < 1) {
		throw new Error('maxRecordVersions must be a positive integer');
	}
	if (typeof next.lateWriteShare !== 'number' || !(next.lateWriteShare >= 0 && next.lateWriteShare <= 1)) {
		throw new Error('lateWriteShare must be a number from 0 to 1');
	}
	for (const name of ['v5LagSequenceMs', 'legacyLagSequenceMs', 'lateWriteSequenceMs'] as const) {
		const sequence: unknown = next[name];
		if (!Array.isArray(sequence) || sequence.some((ms) => typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)) {
			throw new Error(`${name} must be a list of non-negative numbers (milliseconds)`);
		}
	}
}

/** Start options or a configure patch, with a `realAccount` preset expanded under the explicit fields. */
export function expandPreset<T extends { realAccount?: unknown }>(input: T): Omit<T, 'realAccount'> {
	const { realAccount: edition, ...rest } = input;
	if (edition === undefined) return rest;
	return { ...realAccount(edition as Parameters<typeof realAccount>[0]), ...rest } as Omit<T, 'realAccount'>;
}
