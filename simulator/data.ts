/** Realistic, deterministic sample data for seeding (a small PRNG, no dependency). */

const FIRST_NAMES = [
	'Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Tim', 'Radia', 'Guido',
	'Katherine', 'Edsger', 'Hedy', 'Donald', 'Sophie', 'Bjarne', 'Anita', 'James', 'Lucía', 'Mei', 'Olu', 'Priya',
	'Søren', 'Zoë', 'Mateo', 'Aiko', 'Noah', 'Fatima',
];
const LAST_NAMES = [
	'Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen', 'Berners-Lee',
	'Perlman', 'van Rossum', 'Johnson', 'Dijkstra', 'Lamarr', 'Knuth', 'Wilson', 'Stroustrup', 'Borg', 'Gosling',
	'García', 'Chen', 'Adeyemi', 'Patel', 'Kierkegaard', "O'Neil", 'Rossi', 'Tanaka', 'Müller', 'Haddad',
];
const COMPANIES = [
	'Acme Corp', 'Globex', 'Initech', 'Umbrella Labs', 'Stark Industries', 'Wayne Enterprises', 'Hooli', 'Vandelay Industries',
	'Soylent', 'Tyrell Systems', 'Cyberdyne', 'Wonka Foods', 'Aperture Science', 'Massive Dynamic', 'Pied Piper',
];
const TITLES = ['CTO', 'VP Marketing', 'Marketing Manager', 'Developer', 'Head of Sales', 'Analyst', 'CEO', 'Buyer'];
const COUNTRIES: Array<[string, string]> = [
	['United States', 'Boston'],
	['United States', 'Seattle'],
	['Canada', 'Toronto'],
	['United Kingdom', 'London'],
	['Germany', 'Berlin'],
	['France', 'Lyon'],
	['Japan', 'Osaka'],
	['Brazil', 'São Paulo'],
];
const GRADES = ['A+', 'A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D', 'F'];
const SOURCES = ['Website', 'Webinar', 'Trade Show', 'Referral', 'Paid Search', 'Import'];
const STAGES: Array<[string, number, string]> = [
	['Prospecting', 10, 'open'],
	['Qualification', 20, 'open'],
	['Needs Analysis', 40, 'open'],
	['Proposal/Price Quote', 65, 'open'],
	['Negotiation/Review', 80, 'open'],
	['Closed Won', 100, 'won'],
	['Closed Lost', 0, 'lost'],
];
const OPP_TYPES = ['New Business', 'Existing Business', 'Renewal'];

export class Random {
	private state: number;

	constructor(seed = 42) {
		this.state = seed >>> 0 || 1;
	}

	next(): number {
		// mulberry32
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	pick<T>(list: readonly T[]): T {
		return list[Math.floor(this.next() * list.length)];
	}

	sfId(prefix: string): string {
		const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
		let out = prefix;
		while (out.length < 18) out += chars[Math.floor(this.next() * chars.length)];
		return out;
	}
}

function slug(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/ø/g, 'o')
		.replace(/[^A-Za-z0-9]+/g, '')
		.toLowerCase();
}

export function sampleProspect(rng: Random, n: number): Record<string, unknown> {
	const firstName = rng.pick(FIRST_NAMES);
	const lastName = rng.pick(LAST_NAMES);
	const company = rng.pick(COMPANIES);
	const [country, city] = rng.pick(COUNTRIES);
	const domain = `${slug(company)}.example.com`;
	const converted = rng.next() < 0.4;
	return {
		campaignId: rng.int(1, 12),
		firstName,
		lastName,
		email: `${slug(firstName)}.${slug(lastName)}${n}@${domain}`,
		company,
		website: `https://www.${domain}`,
		jobTitle: rng.pick(TITLES),
		country,
		city,
		phone: `+1 555 ${String(rng.int(100, 999))} ${String(rng.int(1000, 9999))}`,
		source: rng.pick(SOURCES),
		score: rng.int(0, 250),
		grade: rng.pick(GRADES),
		salesforceLeadId: converted ? null : rng.sfId('00Q'),
		salesforceContactId: converted ? rng.sfId('003') : null,
		salesforceOwnerId: rng.sfId('005'),
	};
}

export function sampleOpportunity(rng: Random, prospectIds: number[]): Record<string, unknown> {
	const [stage, probability, status] = rng.pick(STAGES);
	const linked = prospectIds.length === 0 ? [] : [rng.pick(prospectIds)];
	if (prospectIds.length > 1 && rng.next() < 0.15) {
		const other = rng.pick(prospectIds);
		if (!linked.includes(other)) linked.push(other);
	}
	return {
		campaignId: rng.int(1, 12),
		name: `${rng.pick(COMPANIES)} - ${rng.pick(['Platform', 'Expansion', 'Pilot', 'Renewal', 'Services'])} ${rng.int(2024, 2027)}`,
		value: rng.int(5, 500) * 100,
		probability,
		type: rng.pick(OPP_TYPES),
		stage,
		status,
		salesforceId: rng.sfId('006'),
		prospectIds: linked,
	};
}

export function randomChange(rng: Random): Record<string, unknown> {
	switch (rng.int(0, 3)) {
		case 0:
			return { score: rng.int(0, 300) };
		case 1:
			return { grade: rng.pick(GRADES) };
		case 2:
			return { jobTitle: rng.pick(TITLES) };
		default:
			return { company: rng.pick(COMPANIES) };
	}
}

export function randomOpportunityChange(rng: Random): Record<string, unknown> {
	const [stage, probability, status] = rng.pick(STAGES);
	return rng.next() < 0.5 ? { stage, probability, status } : { value: rng.int(5, 500) * 100 };
}

// ----- campaigns, lists, visitors, list memberships, visitor activities -----

const CAMPAIGN_NAMES = [
	'Website Tracking',
	'Spring Product Launch',
	'Webinar: Marketing Automation 101',
	'Trade Show - Berlin',
	'Newsletter',
	'Paid Search - Brand',
	'Customer Onboarding',
	'Partner Referral Program',
	'Summer Promotion',
	'Analyst Report Download',
	'Nurture - Developers',
	'Event: User Conference',
];
const LIST_NAMES: Array<[string, string, boolean]> = [
	['Newsletter Subscribers', 'Monthly newsletter', true],
	['Webinar Attendees', 'Webinars', false],
	['Product Updates', 'Product news', true],
	['Event Invitations', 'Events near you', true],
	['Hot Leads (score > 150)', 'Hot leads', false],
	['Customers - EMEA', 'Customer news', false],
	['Trial Users', 'Getting started', false],
	['Partners', 'Partner news', false],
];
/** Catalogue of the assets activities point at: id, name. */
export const SAMPLE_FORMS: Array<[number, string]> = [
	[1001, 'Contact Us'],
	[1002, 'Request a Demo'],
	[1003, 'Newsletter Signup'],
	[1004, 'Webinar Registration'],
	[1005, 'Whitepaper Download'],
];
const FORM_HANDLERS: Array<[number, string]> = [
	[2001, 'Website Contact Handler'],
	[2002, 'Event Signup Handler'],
];
const LIST_EMAILS: Array<[number, number, string]> = [
	[3001, 401, 'November Newsletter'],
	[3002, 402, 'Product Launch Announcement'],
	[3003, 403, 'Webinar Reminder'],
	[3004, 404, 'Welcome to the Trial'],
];
const FILES: Array<[number, string]> = [
	[5001, 'Product Brochure.pdf'],
	[5002, 'Pricing Sheet.pdf'],
	[5003, 'Analyst Report 2026.pdf'],
];
const LANDING_PAGES: Array<[number, string]> = [
	[6001, 'Spring Launch'],
	[6002, 'Free Trial'],
	[6003, 'User Conference'],
];
const CUSTOM_REDIRECTS: Array<[number, string]> = [
	[7501, 'Pricing link (social)'],
	[7502, 'Conference agenda'],
];
const UTM_SOURCES = ['google', 'linkedin', 'newsletter', 'twitter', 'partner', null];

export function sampleCampaign(rng: Random, n: number): Record<string, unknown> {
	const base = CAMPAIGN_NAMES[(n - 1) % CAMPAIGN_NAMES.length];
	const round = Math.floor((n - 1) / CAMPAIGN_NAMES.length);
	return {
		name: round === 0 ? base : `${base} ${round + 1}`,
		cost: rng.int(0, 40) * 250,
		folderId: rng.int(100, 104),
		salesforceId: rng.sfId('701'),
	};
}

export function sampleList(rng: Random, n: number, campaignIds: number[]): Record<string, unknown> {
	const [base, title, isPublic] = LIST_NAMES[(n - 1) % LIST_NAMES.length];
	const round = Math.floor((n - 1) / LIST_NAMES.length);
	return {
		name: round === 0 ? base : `${base} ${round + 1}`,
		title,
		description: `${title} (${isPublic ? 'shown on the email preference page' : 'internal'})`,
		isPublic,
		isDynamic: base.startsWith('Hot Leads') || base.startsWith('Customers'),
		isCrmVisible: rng.next() < 0.5,
		folderId: rng.int(200, 203),
		campaignId: campaignIds.length > 0 ? rng.pick(campaignIds) : null,
	};
}

export function sampleVisitor(rng: Random, prospectIds: number[], campaignIds: number[]): Record<string, unknown> {
	// Most visitors stay anonymous; some are prospects, some have an identified company.
	const prospectId = prospectIds.length > 0 && rng.next() < 0.3 ? rng.pick(prospectIds) : null;
	const octet = rng.int(1, 254);
	const source = rng.pick(UTM_SOURCES);
	return {
		prospectId,
		pageViewCount: rng.int(1, 40),
		// 203.0.113.0/24: the documentation address block.
		ipAddress: `203.0.113.${octet}`,
		hostname: `host-203-0-113-${octet}.example.net`,
		campaignId: campaignIds.length > 0 ? rng.pick(campaignIds) : null,
		isIdentified: rng.next() < 0.25,
		doNotSell: false,
		sourceParameter: source,
		mediumParameter: source === null ? null : rng.pick(['cpc', 'email', 'social', 'referral']),
		campaignParameter: source === null ? null : rng.pick(['spring-launch', 'newsletter', 'brand']),
		contentParameter: null,
		termParameter: null,
	};
}

/** The kinds of activity the sample data produces, with their weights (roughly a B2B account's mix). */
export type ActivityKind =
	| 'formSubmission'
	| 'formView'
	| 'formHandlerSubmission'
	| 'emailSent'
	| 'emailOpen'
	| 'emailClick'
	| 'visit'
	| 'fileView'
	| 'landingPageView'
	| 'customRedirectClick'
	| 'unsubscribe'
	| 'bounce'
	| 'webinarAttended';

const ACTIVITY_MIX: Array<[ActivityKind, number]> = [
	['emailSent', 14],
	['emailOpen', 18],
	['emailClick', 9],
	['visit', 18],
	['formSubmission', 12],
	['formView', 5],
	['formHandlerSubmission', 5],
	['fileView', 5],
	['landingPageView', 5],
	['customRedirectClick', 3],
	['unsubscribe', 2],
	['bounce', 2],
	['webinarAttended', 2],
];

export function pickActivityKind(rng: Random): ActivityKind {
	const total = ACTIVITY_MIX.reduce((n, [, w]) => n + w, 0);
	let roll = rng.next() * total;
	for (const [kind, weight] of ACTIVITY_MIX) {
		roll -= weight;
		if (roll < 0) return kind;
	}
	return 'visit';
}

/**
 * One visitor activity of a kind, with the ids Pardot fills in for it (docs-2021's per-kind tables):
 * 4 Success + form_id for a form submission, 11 Open / 1 Click with email ids, 20 Visit with a page
 * count, 2 View with file_id or landing_page_id... Email activities have a prospect and no visitor.
 */
export function sampleActivity(
	rng: Random,
	kind: ActivityKind,
	who: { prospectId: number | null; visitorId: number | null },
	campaignIds: number[],
): Record<string, unknown> {
	const campaignId = campaignIds.length > 0 ? rng.pick(campaignIds) : rng.int(1, 12);
	const base = { prospectId: who.prospectId, visitorId: who.visitorId, campaignId };
	const email = () => {
		const [listEmailId, emailTemplateId, name] = rng.pick(LIST_EMAILS);
		return { ...base, visitorId: null, emailId: rng.int(40_000_000, 49_999_999), listEmailId, emailTemplateId, details: name };
	};
	switch (kind) {
		case 'formSubmission': {
			const [formId, name] = rng.pick(SAMPLE_FORMS);
			return { ...base, type: 4, typeName: 'Form', formId, details: name };
		}
		case 'formView': {
			const [formId, name] = rng.pick(SAMPLE_FORMS);
			return { ...base, type: 2, typeName: 'Form', formId, details: name };
		}
		case 'formHandlerSubmission': {
			const [formHandlerId, name] = rng.pick(FORM_HANDLERS);
			return { ...base, type: 4, typeName: 'Form Handler', formHandlerId, details: name };
		}
		case 'emailSent':
			return { ...email(), type: 6, typeName: 'Email' };
		case 'emailOpen':
			return { ...email(), type: 11, typeName: 'Email' };
		case 'emailClick':
			return { ...email(), type: 1, typeName: 'Email Tracker' };
		case 'unsubscribe':
			return { ...email(), type: 12, typeName: 'Email' };
		case 'bounce':
			return { ...email(), type: 13, typeName: 'Email' };
		case 'fileView': {
			const [fileId, name] = rng.pick(FILES);
			return { ...base, type: 2, typeName: 'File', fileId, details: name };
		}
		case 'landingPageView': {
			const [landingPageId, name] = rng.pick(LANDING_PAGES);
			return { ...base, type: 2, typeName: 'Landing Page', landingPageId, details: name };
		}
		case 'customRedirectClick': {
			const [customRedirectId, name] = rng.pick(CUSTOM_REDIRECTS);
			return { ...base, type: 21, typeName: 'Custom Redirect', customRedirectId, details: name };
		}
		case 'webinarAttended':
			return { ...base, visitorId: null, type: 24, typeName: 'Webinar', details: 'Marketing Automation 101' };
		default: {
			const pages = rng.int(1, 12);
			return { ...base, type: 20, typeName: 'Visit', details: `${pages} page view${pages === 1 ? '' : 's'}` };
		}
	}
}

/** Email activities need a prospect; the others may be anonymous (a visitor only). */
export function activityNeedsProspect(kind: ActivityKind): boolean {
	return ['emailSent', 'emailOpen', 'emailClick', 'unsubscribe', 'bounce', 'webinarAttended', 'formSubmission', 'formHandlerSubmission'].includes(kind);
}

export function randomListChange(rng: Random): Record<string, unknown> {
	return rng.next() < 0.5
		? { description: rng.pick(['Updated audience', 'Renamed for the new quarter', 'Cleaned up', 'Shown on the preference page']) }
		: { title: rng.pick(['Monthly newsletter', 'Product news', 'Events near you', 'Customer news']) };
}

export function randomCampaignChange(rng: Random): Record<string, unknown> {
	return rng.next() < 0.7 ? { cost: rng.int(0, 40) * 250 } : { folderId: rng.int(100, 104) };
}
