/**
 * The one way to Pardot, shared by the nodes, one job per file:
 * - connection.ts: the credential -> host, API version, authentication, secrets
 * - request.ts: the one request function (authentication, retries, re-login)
 * - legacySession.ts: the api_key cache and login (v3/v4 user-key credential)
 * - send.ts: one exchange through n8n's HTTP helpers, network failures
 * - response.ts: body parsing, Pardot error envelopes, the Date header, warnings (pure)
 * - failures.ts / errors.ts: the NodeApiError a failure becomes / what each Pardot error code means
 * What the trigger reads, per API family, is the trigger's own: nodes/PardotTrigger/transport.
 */
export type { ApiVersion, Authentication, PardotConnection, PardotContext } from './connection';
export { isMyDomainLogin, loadConnection } from './connection';
export { LegacySessions } from './legacySession';
export { mayHaveBeenApplied, pardotErrorCode } from './failures';
export type { PardotResponse, RequestSpec, TransportOptions } from './request';
export { pardotRequest } from './request';
