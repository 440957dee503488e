/**
 * The services n8n's queue mode needs, started and stopped by the suite: PostgreSQL (the one every n8n process
 * shares) and Redis (the queue between the main process and the workers). Both on 127.0.0.1, on free ports, with
 * their data in a temporary folder that is removed afterwards.
 *
 * PostgreSQL 15 comes from the machine (Debian's postgresql-15, binaries in e2e/versions.json "queue.postgres");
 * initdb and postgres refuse to run as root, so as root they run as the `postgres` user. Redis comes from Debian:
 * when `redis-server` is missing the suite installs it (`apt-get install -y redis-server`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { versions } from './install';
import { freePort, waitFor } from './n8n';
import { runToEnd, start, type Proc } from './procs';

const asRoot = process.getuid?.() === 0;

/** Run as the postgres user when we are root (PostgreSQL refuses root). */
function pgCommand(bin: string, args: string[]): [string, string[]] {
	return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

export interface Postgres {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	dir: string;
	/** one SQL statement through psql; rows as tab-separated lines */
	query(sql: string): Promise<string>;
	stop(): Promise<void>;
}

export async function startPostgres(log: (m: string) => void): Promise<Postgres> {
	const bin = versions.queue.postgres;
	if (!fs.existsSync(path.join(bin, 'postgres'))) throw new Error(`PostgreSQL not found in ${bin} (e2e/versions.json queue.postgres)`);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-postgres-'));
	const data = path.join(dir, 'data');
	const pwfile = path.join(dir, 'pw');
	const superPassword = `pg-${Math.random().toString(36).slice(2)}`;
	fs.writeFileSync(pwfile, superPassword);
	if (asRoot) {
		const chown = spawnSync('chown', ['-R', 'postgres:postgres', dir]);
		if (chown.status !== 0) throw new Error(`chown postgres ${dir}: ${chown.stderr}`);
	}
	const logFile = path.join(dir, 'postgres.log');
	const [initCmd, initArgs] = pgCommand(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync']);
	const init = await runToEnd('initdb', initCmd, initArgs, { cwd: dir, timeoutMs: 120_000 });
	if (init.code !== 0) throw new Error(`initdb failed:\n${init.output.slice(-2000)}`);
	const port = await freePort();
	const [pgCmd, pgArgs] = pgCommand(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', dir]);
	const proc: Proc = start('postgres', pgCmd, pgArgs, { cwd: dir, logFile });
	const env = { ...process.env, PGPASSWORD: superPassword };
	const psql = async (sql: string, database = 'postgres', user = 'postgres', password = superPassword) => {
		const r = await runToEnd('psql', 'psql', ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', database, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
			cwd: dir,
			env: { ...env, PGPASSWORD: password },
			timeoutMs: 60_000,
		});
		if (r.code !== 0) throw new Error(`psql ${sql.slice(0, 80)}: ${r.output}`);
		return r.output.trim();
	};
	await waitFor(
		`PostgreSQL on 127.0.0.1:${port}`,
		async () => {
			if (proc.child.exitCode !== null) throw new Error(`postgres exited with ${proc.child.exitCode}: ${fs.readFileSync(logFile, 'utf8').slice(-1500)}`);
			return (await psql('select 1').catch(() => '')) === '1';
		},
		{ timeoutMs: 60_000, intervalMs: 300 },
	);
	const user = 'n8n';
	const password = `n8n-${Math.random().toString(36).slice(2)}`;
	await psql(`create user ${user} with password '${password}'`);
	await psql(`create database n8n owner ${user}`);
	log(`PostgreSQL ${(await psql('show server_version')).split(' ')[0]} on 127.0.0.1:${port} (data ${data})`);
	return {
		host: '127.0.0.1',
		port,
		database: 'n8n',
		user,
		password,
		dir,
		query: (sql) => psql(sql, 'n8n', user, password),
		async stop() {
			await proc.stop(15_000);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

export interface Redis {
	host: string;
	port: number;
	stop(): Promise<void>;
}

function which(cmd: string) {
	return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
}

/** Debian's redis-server, installed by the suite when it is missing. */
export async function ensureRedis(log: (m: string) => void): Promise<string> {
	const found = which('redis-server');
	if (found) return found;
	if (!asRoot) throw new Error('redis-server is missing and we are not root: install it with `apt-get install -y redis-server`');
	log('redis-server is missing: apt-get install -y redis-server');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	let r = await runToEnd('apt-get install', 'apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], { cwd: '/', env, timeoutMs: 300_000 });
	if (r.code !== 0) {
		log('apt-get install failed; apt-get update, then once more');
		await runToEnd('apt-get update', 'apt-get', ['update'], { cwd: '/', env, timeoutMs: 300_000 });
		r = await runToEnd('apt-get install', 'apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], { cwd: '/', env, timeoutMs: 300_000 });
	}
	const installed = which('redis-server');
	if (r.code !== 0 || !installed) throw new Error(`apt-get install -y redis-server failed:\n${r.output.slice(-2000)}`);
	return installed;
}

export async function startRedis(log: (m: string) => void): Promise<Redis> {
	const bin = await ensureRedis(log);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-redis-'));
	const port = await freePort();
	const proc = start('redis', bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
		cwd: dir,
		logFile: path.join(dir, 'redis.log'),
	});
	await waitFor(
		`Redis on 127.0.0.1:${port}`,
		async () => {
			if (proc.child.exitCode !== null) throw new Error(`redis-server exited with ${proc.child.exitCode}`);
			return (await ping(port)) === '+PONG';
		},
		{ timeoutMs: 30_000, intervalMs: 200 },
	);
	log(`Redis ${spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.split(' ')[2]?.replace('v=', '')} on 127.0.0.1:${port}`);
	return {
		host: '127.0.0.1',
		port,
		async stop() {
			await proc.stop(10_000);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

function ping(port: number): Promise<string> {
	return new Promise((resolve) => {
		const s = net.connect(port, '127.0.0.1');
		let out = '';
		s.setTimeout(2000, () => s.destroy());
		s.on('connect', () => s.write('PING\r\n'));
		s.on('data', (d) => {
			out += d.toString();
			if (out.includes('\r\n')) s.end();
		});
		s.on('close', () => resolve(out.trim()));
		s.on('error', () => resolve(''));
	});
}
