import type { IDataObject } from 'n8n-workflow';

/**
 * The standardized event (docs/event-format.md): what the trigger emits and the callback sends.
 */

export const EVENT_TYPES = ['CREATED', 'UPDATED', 'DELETED'] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** One standardized event, one n8n item (the callback accepts any text in each field). */
export interface StandardEvent {
	eventId: string;
	eventType: string;
	objectType: string;
	objectId: string;
	elementKey: string;
	hubKey: string;
	date: string;
	pollDate: string;
	raw: IDataObject;
}

/** 32 hex digits written as a UUID: 8-4-4-4-12. */
export function uuidOf(hex: string): string {
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
