/**
 * Sandbox admin: another service takes an attribute over (issue 18's "not owner" journey).
 * On Exist this happens when the user connects, say, Fitbit or Exist for Android and it
 * acquires an attribute this app wrote; from then on Exist refuses this app's writes with
 * `unauthorised` "Attribute 'x' does not belong to this service" (the reference's answer
 * shape). The sandbox has no other OAuth client to do it, so the admin API does it.
 *
 * Decisions: the new owner is a service name (`fitbit`, `exist_android`, or any other name,
 * shown with its label from OTHER_SERVICES or the name itself), never this sandbox's own
 * client — giving an attribute back is what the app's acquire is for.
 */
import { z } from 'zod';
import type { SandboxCore } from './core';

export const GiveToServiceSchema = z.strictObject({
  name: z.string().min(1),
  service: z.string().regex(/^[a-z0-9_]{1,64}$/),
});

/** Makes `service` the owner of the attribute `name`; throws when there is no such attribute. */
export function giveToService(core: SandboxCore, name: string, service: string): void {
  const a = core.attributes.get(name);
  if (a === undefined) throw new Error(`giveToService: no attribute '${name}'`);
  if (service === core.config.clientId) throw new Error('giveToService: the sandbox client acquires through the API');
  a.owner = service;
  a.active = true;
  core.persist();
}
