/**
 * `npm run screenshots` — the README's pictures, taken from a real n8n.
 *
 * Starts the demo (scripts/demo.ts: simulator, n8n 2.x with the package, an active demo workflow), waits for its
 * first successful execution, then opens the editor in headless Chromium (Debian's `chromium` package, driven by
 * playwright-core) and saves into docs/screenshots/:
 *   workflow-canvas.png       the demo workflow on the canvas
 *   trigger-parameters.png    the Pardot Trigger's parameters
 *   trigger-activity-types.png  the form submission workflow's trigger: Resources Visitor Activities, Activity Types
 *   credential-dialog.png     the Pardot OAuth2 credential dialog
 *   execution-output.png      an execution: the events the trigger emitted
 *   action-node.png           the action node's example (examples/new-form-submission-to-prospect-and-list.json),
 *                             imported, with the Pardot node's parameters open on Prospect → Create or Update
 * Stops everything when done. Options: --n8n 1 (n8n 1.x instead of 2.x), --chromium <path>, --only <names>
 * (comma-separated picture names without .png, e.g. `--only action-node`: the others are not retaken).
 * Needs Chromium: `apt-get install -y chromium` (or set CHROMIUM_PATH).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from '../e2e/lib/install';
import { sleep, waitFor } from '../e2e/lib/n8n';
import { installCleanup } from '../e2e/lib/procs';
import { startDemo, type Demo } from './demo';

const PICTURES = ['workflow-canvas', 'trigger-parameters', 'trigger-activity-types', 'credential-dialog', 'execution-output', 'action-node'];
const ACTION_EXAMPLE = 'new-form-submission-to-prospect-and-list.json';
const ACTION_NODE_TYPE = 'n8n-nodes-pardot.pardot';

const OUT = path.join(REPO_ROOT, 'docs', 'screenshots');
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

function log(msg: string) {
	process.stdout.write(`[screenshots] ${msg}\n`);
}

function findChromium(explicit?: string): string {
	const candidates = [explicit, process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
	const found = candidates.find((c) => fs.existsSync(c));
	if (!found) throw new Error('Chromium not found: install it with `apt-get install -y chromium` or set CHROMIUM_PATH');
	return found;
}

async function dismissPopups(page: Page) {
	// Whatever n8n shows a new user first (surveys, "what's new", banners): close it.
	for (let i = 0; i < 3; i++) {
		await page.keyboard.press('Escape').catch(() => {});
		for (const sel of [
			'[data-test-id="personalization-form"] button:has-text("Get started")',
			'button:has-text("Skip")',
			'button:has-text("Got it")',
			'button:has-text("Dismiss")',
			'[data-test-id="banner-close-button"]',
			'.el-dialog__headerbtn',
			'.el-message-box__headerbtn',
		]) {
			const el = page.locator(sel).first();
			if (await el.isVisible().catch(() => false)) await el.click({ timeout: 2000 }).catch(() => {});
		}
		await sleep(300);
	}
}

async function login(page: Page, base: string, email: string, password: string) {
	await page.goto(`${base}/signin`, { waitUntil: 'domcontentloaded' });
	const emailInput = page.locator('input[name="emailOrLdapLoginId"], input[name="email"], input[type="email"]').first();
	await emailInput.waitFor({ timeout: 60_000 });
	await emailInput.fill(email);
	await page.locator('input[name="password"], input[type="password"]').first().fill(password);
	await page.locator('[data-test-id="form-submit-button"], button[type="submit"], button:has-text("Sign in")').first().click();
	await page.waitForURL((u) => !u.pathname.includes('/signin'), { timeout: 60_000 });
}

async function shoot(page: Page, name: string) {
	const file = path.join(OUT, name);
	await page.screenshot({ path: file });
	log(`saved ${path.relative(REPO_ROOT, file)}`);
}

async function openNode(page: Page, nodeName: string) {
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"], [data-test-id="canvas-node"]:has-text("${nodeName}")`).first();
	await node.waitFor({ timeout: 30_000 });
	await node.dblclick();
	await page.locator('[data-test-id="ndv"], .ndv-wrapper, [data-test-id="node-parameters"]').first().waitFor({ timeout: 30_000 });
	await sleep(1500);
}

async function main() {
	const args = process.argv.slice(2);
	const line = args.includes('--n8n') ? args[args.indexOf('--n8n') + 1] : '2';
	const executablePath = findChromium(args.includes('--chromium') ? args[args.indexOf('--chromium') + 1] : undefined);
	const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',').map((n) => n.trim().replace(/\.png$/, '')).filter(Boolean) : PICTURES;
	const unknown = only.filter((n) => !PICTURES.includes(n));
	if (unknown.length > 0 || only.length === 0) throw new Error(`--only takes some of ${PICTURES.join(', ')} (got ${unknown.join(', ') || 'nothing'})`);
	const want = (name: string) => only.includes(name);
	installCleanup();
	fs.mkdirSync(OUT, { recursive: true });
	let demo: Demo | undefined;
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pardot-screenshots-chromium-'));
	try {
		demo = await startDemo({ line, quiet: true, changesPerMinute: 6 });
		const { n8n, workflowId, owner } = demo;
		// Only the execution's picture needs one (the others show the editor).
		let exec: any;
		if (want('execution-output')) {
			log(`waiting for the demo workflow's first successful execution`);
			exec = await waitFor(
				'a successful execution of the demo workflow',
				async () => (await n8n.executions(workflowId)).find((e: any) => e.status === 'success'),
				{ timeoutMs: 180_000, intervalMs: 2000 },
			);
			log(`execution ${exec.id} succeeded`);
		}
		log(`opening the editor in ${executablePath}`);
		// The action node's example, imported as a user would, with the demo's OAuth2 credential on its Pardot nodes.
		const example = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', ACTION_EXAMPLE), 'utf8'));
		const oauth = { id: demo.credentialIds.pardotOAuth2Api, name: 'Pardot simulator (OAuth2)' };
		for (const node of example.nodes) if (node.type === ACTION_NODE_TYPE) node.credentials = { pardotOAuth2Api: oauth };
		const actionWorkflow = want('action-node') ? await n8n.createWorkflow({ name: example.name, nodes: example.nodes, connections: example.connections }) : undefined;

		const context = await chromium.launchPersistentContext(userDataDir, {
			executablePath,
			headless: true,
			args: CHROMIUM_FLAGS,
			viewport: { width: 1440, height: 900 },
			deviceScaleFactor: 1,
		});
		const page = context.pages()[0] ?? (await context.newPage());
		page.setDefaultTimeout(30_000);
		const base = n8n.baseUrl;
		await login(page, base, owner.email, owner.password);
		await dismissPopups(page);

		// 1. the canvas
		if (want('workflow-canvas') || want('trigger-parameters')) {
			await page.goto(`${base}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
			await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
			await sleep(2000);
			await dismissPopups(page);
			await page.locator('[data-test-id="zoom-to-fit"], button[title="Fit view"]').first().click({ timeout: 3000 }).catch(() => {});
			await sleep(1000);
			if (want('workflow-canvas')) await shoot(page, 'workflow-canvas.png');

			// 2. the trigger's parameters
			if (want('trigger-parameters')) {
				await openNode(page, 'Pardot Trigger');
				await shoot(page, 'trigger-parameters.png');
				await page.keyboard.press('Escape');
				await sleep(500);
			}
		}

		// 2b. the form submission workflow's trigger: Resources and Options -> Activity Types
		if (want('trigger-activity-types')) {
			await page.goto(`${base}/workflow/${demo.formsWorkflowId}`, { waitUntil: 'domcontentloaded' });
			await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
			await sleep(1500);
			await dismissPopups(page);
			await openNode(page, 'Pardot Trigger');
			const types = page.getByText('Activity Types', { exact: true }).first();
			if ((await types.count()) > 0) {
				await types.evaluate((el) => el.scrollIntoView({ block: 'center' })).catch(() => {});
				await sleep(800);
			}
			await shoot(page, 'trigger-activity-types.png');
			await page.keyboard.press('Escape');
			await sleep(500);
		}

		// 3. the credential dialog, scrolled to the Pardot fields (environment, hosts, business unit, version)
		if (want('credential-dialog')) {
			await page.goto(`${base}/home/credentials/${demo.credentialIds.pardotOAuth2Api}`, { waitUntil: 'domcontentloaded' });
			const dialog = page.locator('[data-test-id="editCredential-modal"], .el-dialog').first();
			await dialog.waitFor({ timeout: 60_000 });
			await sleep(2000);
			const env = dialog.getByText('Environment', { exact: true }).first();
			if (await env.isVisible({ timeout: 5000 }).catch(() => false) || (await env.count()) > 0) {
				await env.evaluate((el) => el.scrollIntoView({ block: 'start' })).catch(() => {});
				await sleep(800);
			}
			await shoot(page, 'credential-dialog.png');
			await page.keyboard.press('Escape');
		}

		// 4. an execution's output: open the execution, then the trigger node in its read-only canvas
		if (want('execution-output')) {
			await page.goto(`${base}/workflow/${workflowId}/executions/${exec.id}`, { waitUntil: 'domcontentloaded' });
			await sleep(4000);
			await dismissPopups(page);
			const frame = page.frameLocator('iframe').first();
			const inFrame = await frame.locator('[data-test-id="canvas-node"]').first().isVisible({ timeout: 10_000 }).catch(() => false);
			if (inFrame) {
				await frame.locator('[data-test-id="canvas-node"]').first().dblclick();
			} else {
				await page.locator('[data-test-id="canvas-node"]').first().dblclick();
			}
			await sleep(2500);
			await shoot(page, 'execution-output.png');
		}

		// 5. the action node's example: the Upsert Prospect node's parameters (Prospect → Create or Update)
		if (actionWorkflow) {
			await page.goto(`${base}/workflow/${actionWorkflow.id}`, { waitUntil: 'domcontentloaded' });
			await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
			await sleep(1500);
			await dismissPopups(page);
			await openNode(page, 'Upsert Prospect');
			await shoot(page, 'action-node.png');
			await page.keyboard.press('Escape');
		}
		await context.close();
	} finally {
		await demo?.stop();
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(0),
	(e) => {
		console.error(`[screenshots] failed: ${(e as Error).stack}`);
		process.exit(1);
	},
);
