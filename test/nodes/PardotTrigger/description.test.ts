/** The trigger's parameters as the editor shows them (description.ts): the settings' defaults, Activity Types sorted. */
import { ACTIVITY_KINDS } from '../../../nodes/PardotTrigger/activities';
import { triggerProperties } from '../../../nodes/PardotTrigger/description';
import { DEFAULTS } from '../../../nodes/PardotTrigger/settings';

test('the editor shows the defaults the settings fall back to', () => {
	const properties = triggerProperties();
	const byName = (name: string) => properties.find((p) => p.name === name);
	const option = (name: string) => (byName('options')!.options as Array<{ name: string; default: unknown }>).find((o) => o.name === name);
	expect(byName('authentication')!.default).toBe(DEFAULTS.authentication);
	expect(byName('resources')!.default).toEqual(DEFAULTS.resources);
	expect(byName('events')!.default).toEqual(DEFAULTS.events);
	expect(option('leadsAre')!.default).toBe(DEFAULTS.leadsAre);
	expect(option('maxEventsPerPoll')!.default).toBe(DEFAULTS.maxEventsPerPoll);
	// A new list each time: n8n's loader adds Poll Times to the one it is given.
	expect(triggerProperties()).not.toBe(properties);
});

test('Activity Types offers every kind the trigger tells apart, sorted by name', () => {
	const options = (triggerProperties().find((p) => p.name === 'options')!.options as Array<{ name: string; options?: Array<{ name: string; value: string }> }>).find(
		(o) => o.name === 'activityTypes',
	)!.options!;
	expect(options.map((o) => o.value).sort()).toEqual(ACTIVITY_KINDS.map((k) => k.value).sort());
	const names = options.map((o) => o.name);
	expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
});
