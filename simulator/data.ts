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
