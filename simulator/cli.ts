/**
 * `npm run simulator [-- --port 8765 --timezone America/New_York --seed 300,80 --changes-per-minute 6]`
 *
 * Starts the Pardot simulator, seeds realistic records (prospects, opportunities, campaigns, lists,
 * visitors, list memberships, visitor activities), prints the base URL and demo credentials, and
 * optionally streams random changes (for the demo). Every option can also
 * come from the environment: PARDOT_SIM_PORT, PARDOT_SIM_HOST, PARDOT_SIM_TIMEZONE, PARDOT_SIM_SEED,
 * PARDOT_SIM_CHANGES_PER_MINUTE, PARDOT_SIM_V5_READ_LAG_MS, PARDOT_SIM_UPDATED_AFTER,
 * PARDOT_SIM_ACCOUNT_VERSION, PARDOT_SIM_LEGACY_LOGIN_RETIRED, PARDOT_SIM_CLOCK, PARDOT_SIM_REAL_ACCOUNT,
 * PARDOT_SIM_LOGIN_HOST, PARDOT_SIM_AMPSEA, PARDOT_SIM_IMPORT_WAIT_MS, PARDOT_SIM_IMPORT_PROCESSING_MS,
 * PARDOT_SIM_LATE_WRITE_SHARE, PARDOT_SIM_LATE_WRITE_MAX_MS, PARDOT_SIM_LATE_WRITE_APIS.
 */
import { Simulator } from './simulator';
import type { SimulatorOptions } from './types';

const HELP = `Usage: npm run simulator -- [options]
  --port N                  port to listen on (default 8765; 0 = any free port)
  --host H                  interface to bind (default 127.0.0.1)
  --timezone ZONE           the API user's IANA time zone (default UTC)
  --seed P[,O]              prospects and opportunities to seed (default 300,80); with them
                            12 campaigns, 8 lists, P*1.5 visitors, P*1.2 list memberships
                            and P*6 visitor activities (--seed 0 seeds nothing)
  --changes-per-minute N    background stream of random changes (default 0): prospects and
                            opportunities, form submissions and other visitor activities,
                            list adds/removals/opt-outs, list and campaign edits, visitors
  --v5-read-lag-ms N        v5 read lag (default 0)
  --updated-after MODE      strict | inclusive (default strict)
  --account-version 3|4     legacy API version the account must use (default 4)
  --legacy-login-retired    answer error 199 to user-key logins
  --clock ISO               start the simulated clock at this instant
  --real-account EDITION    a real account's limits: growth | plus | advanced | premium
                            (daily API limit, v5 reads from a cache up to 60 s behind)
  --login-host KIND         myDomain | generic (generic refuses the client credentials flow,
                            like login.salesforce.com)
  --ampsea true|false       whether prospects may share an email (default: as the account
                            version says, 4 = yes); without, creates with a used email fail
  --import-wait-ms N        Import API: how long a submitted import waits (default 0)
  --import-processing-ms N  Import API: how long it processes, its rows spread over it (default 0)
  --late-write-share X      share (0..1) of writes that become visible late (default 0)
  --late-write-max-ms N     a late write becomes visible after up to this long (default 60000)
  --late-write-apis WHICH   v5 | all: reads late writes apply to (default v5; all = v3/v4 too)
Each option can also be given as an environment variable, e.g. PARDOT_SIM_TIMEZONE.`;

function readArgs(argv: string[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) throw new Error(`Unexpected argument: ${arg}`);
		const eq = arg.indexOf('=');
		if (eq > 0) {
			out[arg.slice(2, eq)] = arg.slice(eq + 1);
		} else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
			out[arg.slice(2)] = argv[++i];
		} else {
			out[arg.slice(2)] = 'true';
		}
	}
	return out;
}

function option(args: Record<string, string>, name: string): string | undefined {
	return args[name] ?? process.env[`PARDOT_SIM_${name.toUpperCase().replace(/-/g, '_')}`];
}

function int(value: string | undefined, name: string, fallback: number): number {
	if (value === undefined) return fallback;
	const n = Number(value);
	if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
	return n;
}

async function main(): Promise<void> {
	const args = readArgs(process.argv.slice(2));
	if (args.help) {
		console.log(HELP);
		return;
	}
	const options: SimulatorOptions = {
		port: int(option(args, 'port'), 'port', 8765),
		host: option(args, 'host') ?? '127.0.0.1',
		timezone: option(args, 'timezone') ?? 'UTC',
		v5ReadLagMs: int(option(args, 'v5-read-lag-ms'), 'v5-read-lag-ms', 0),
	};
	const updatedAfter = option(args, 'updated-after');
	if (updatedAfter) options.updatedAfter = updatedAfter as 'strict' | 'inclusive';
	const accountVersion = option(args, 'account-version');
	if (accountVersion) options.accountVersion = Number(accountVersion) as 3 | 4;
	if ((option(args, 'legacy-login-retired') ?? 'false') !== 'false') options.legacyLoginRetired = true;
	const clock = option(args, 'clock');
	if (clock) options.clock = clock;
	const edition = option(args, 'real-account');
	if (edition) options.realAccount = edition as SimulatorOptions['realAccount'];
	const loginHost = option(args, 'login-host');
	if (loginHost) options.loginHost = loginHost as SimulatorOptions['loginHost'];
	const ampsea = option(args, 'ampsea');
	if (ampsea !== undefined) {
		if (ampsea !== 'true' && ampsea !== 'false') throw new Error('--ampsea must be true or false');
		options.ampsea = ampsea === 'true';
	}
	const importWait = option(args, 'import-wait-ms');
	if (importWait !== undefined) options.importWaitMs = int(importWait, 'import-wait-ms', 0);
	const importProcessing = option(args, 'import-processing-ms');
	if (importProcessing !== undefined) options.importProcessingMs = int(importProcessing, 'import-processing-ms', 0);
	const lateShare = option(args, 'late-write-share');
	if (lateShare !== undefined) options.lateWriteShare = int(lateShare, 'late-write-share', 0);
	const lateMax = option(args, 'late-write-max-ms');
	if (lateMax !== undefined) options.lateWriteMaxMs = int(lateMax, 'late-write-max-ms', 60_000);
	const lateApis = option(args, 'late-write-apis');
	if (lateApis !== undefined) options.lateWriteApis = lateApis as SimulatorOptions['lateWriteApis'];

	const [prospects, opportunities] = (option(args, 'seed') ?? '300,80').split(',').map((s) => Number(s.trim()));
	if (!Number.isInteger(prospects) || prospects < 0) throw new Error('--seed must look like 300 or 300,80');
	const changesPerMinute = int(option(args, 'changes-per-minute'), 'changes-per-minute', 0);

	const sim = new Simulator(options);
	await sim.listen();
	// A month of history, so that time filters and paging have something to show.
	sim.seedRecords({
		prospects,
		opportunities: Number.isInteger(opportunities) ? opportunities : Math.round(prospects / 4),
		campaigns: prospects > 0 ? 12 : 0,
		lists: prospects > 0 ? 8 : 0,
		visitors: Math.round(prospects * 1.5),
		listMemberships: Math.round(prospects * 1.2),
		visitorActivities: prospects * 6,
		spreadMs: 30 * 24 * 3_600_000,
	});

	const config = sim.config;
	const user = config.users[0];
	const client = config.oauthClients[0];
	console.log(`Pardot simulator listening on ${sim.baseUrl}`);
	console.log(`  time zone: ${config.timezone}   clock: ${new Date(sim.now()).toISOString()}`);
	const n = (type: Parameters<typeof sim.store.ids>[0]) => sim.store.ids(type).length;
	console.log(`  records: ${n('prospect')} prospects, ${n('opportunity')} opportunities, ${n('campaign')} campaigns, ${n('list')} lists`);
	console.log(`           ${n('visitor')} visitors, ${n('listMembership')} list memberships, ${n('visitorActivity')} visitor activities`);
	if (config.dailyApiLimit > 0) console.log(`  daily API limit: ${config.dailyApiLimit} calls`);
	if (config.loginHost === 'generic') console.log('  login host: generic (client credentials refused, as on login.salesforce.com)');
	if (config.ampsea !== null) console.log(`  prospects may share an email (AMPSEA): ${config.ampsea ? 'yes' : 'no'}`);
	if (config.lateWriteShare > 0) {
		console.log(`  late writes: ${config.lateWriteShare * 100} % visible up to ${config.lateWriteMaxMs} ms late (${config.lateWriteApis === 'all' ? 'v5 and v3/v4' : 'v5'} reads)`);
	}
	console.log('');
	console.log('Legacy credential (Pardot API, user key), environment "Custom":');
	console.log(`  Base URL: ${sim.baseUrl}`);
	console.log(`  Email:    ${user.email}`);
	console.log(`  Password: ${user.password}`);
	console.log(`  User key: ${user.userKey}`);
	console.log(`  API version: ${config.accountVersion}`);
	console.log('');
	console.log('OAuth2 credential (Pardot OAuth2 API), environment "Custom":');
	console.log(`  Base URL / Login URL: ${sim.baseUrl}`);
	console.log(`  Client ID:        ${client.clientId}`);
	console.log(`  Client secret:    ${client.clientSecret}`);
	console.log(`  Business Unit ID: ${config.businessUnits[0]}`);
	console.log(`  Authorize URL:    ${sim.baseUrl}/services/oauth2/authorize`);
	console.log(`  Token URL:        ${sim.baseUrl}/services/oauth2/token`);
	console.log('');
	console.log(`Control API: POST ${sim.baseUrl}/__sim/<operation> (see ARCHITECTURE.md). Ctrl+C stops.`);

	let timer: NodeJS.Timeout | undefined;
	if (changesPerMinute > 0) {
		console.log(`Streaming ${changesPerMinute} random changes per minute.`);
		timer = setInterval(() => {
			const change = sim.randomChange();
			console.log(`${new Date(sim.now()).toISOString()} ${change.op} ${change.type} ${change.id}`);
		}, 60_000 / changesPerMinute);
	}

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		if (timer) clearInterval(timer);
		console.log(`\n${signal}: stopping the simulator.`);
		sim.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
	console.error(`Simulator failed to start: ${(error as Error).message ?? String(error)}`);
	process.exit(1);
});
