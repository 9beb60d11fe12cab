/**
 * OAuth scopes as the Account tab shows them: one row per Exist group with read and
 * write, plus manual. Pre-ticks the write scopes the owned attributes need, because
 * asking for as few scopes as the chosen attributes need is Exist's guidance.
 */
import { ATTRIBUTE_GROUPS } from '../../../shared/domain';
import type { OwnedAttributeView } from '../../../shared/ipc-contract';

export const SCOPE_GROUPS: readonly string[] = [...ATTRIBUTE_GROUPS, 'manual'];

export function groupLabel(group: string): string {
  return group.charAt(0).toUpperCase() + group.slice(1);
}

/** The write scopes owned attributes need; `media_write` (pages read, the tutorial's case) when none are owned. */
export function neededScopes(owned: readonly Pick<OwnedAttributeView, 'group' | 'manual'>[]): string[] {
  if (owned.length === 0) return ['media_write'];
  const out = new Set<string>();
  for (const a of owned) out.add(`${a.group.name}_write`);
  return [...out].filter((s) => SCOPE_GROUPS.includes(s.replace(/_write$/, '')));
}

export interface ConnectForm {
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

export type ConnectErrors = Partial<Record<'clientId' | 'clientSecret' | 'scopes', string>>;

/**
 * Checks the connect form before anything leaves the window. `savedSecretFor` is the
 * client ID whose secret is already stored, so it may be left empty for that client.
 */
export function validateConnectForm(form: ConnectForm, savedSecretFor: string | null): ConnectErrors {
  const errors: ConnectErrors = {};
  const id = form.clientId.trim();
  if (id === '') errors.clientId = 'Enter the client ID of the app you created in Exist';
  else if (/\s/.test(id)) errors.clientId = 'A client ID has no spaces — copy it again from the Developer apps page';
  else if (id.length > 200)
    errors.clientId = 'That is too long for a client ID — copy it again from the Developer apps page';
  const secret = form.clientSecret.trim();
  if (secret === '' && (savedSecretFor === null || savedSecretFor !== id)) {
    errors.clientSecret = 'Enter the client secret shown with your Exist app';
  } else if (/\s/.test(secret)) {
    errors.clientSecret = 'A client secret has no spaces — copy it again from the Developer apps page';
  } else if (secret.length > 500) {
    errors.clientSecret = 'That is too long for a client secret';
  }
  if (!form.scopes.some((s) => s.endsWith('_write'))) {
    errors.scopes = 'Choose at least one write permission, or Exist Tray cannot log anything';
  }
  return errors;
}
