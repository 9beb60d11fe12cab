/**
 * Ownership made visible (issue 18). Exist's docs ask clients to explain and confirm
 * acquiring, because it takes an attribute away from the service that writes it now.
 * Before acquiring, the app asks Exist (`GET /api/2/attributes/`, read scope permitting)
 * whether the attribute exists, its type and its owner, and says it in one sentence.
 *
 * Decisions: confirmation is needed only when another service owns the attribute (taking
 * it over stops that service's updates) — creating a new one or taking an unowned one is
 * said but not asked. Without a read scope Exist will not say; the sentence says so and
 * asks, since the app cannot rule out taking it from someone.
 */
import type { Attribute } from '../../shared/domain';
import type { OwnershipView } from '../../shared/features';

/** The view's shape is part of the IPC contract (src/shared/features.ts); re-exported for the core. */
export type { OwnershipView };

export interface OwnershipInput {
  name: string;
  /** What GET /api/2/attributes/?attributes=name answered; null when the token cannot read that group. */
  found: Attribute | undefined | null;
  /** Names this app owns now (GET /api/2/attributes/owned/). */
  ownedNames: ReadonlySet<string>;
  /** Label of the template when acquiring by template (it is created if missing). */
  templateLabel?: string | null;
}

export function describeOwnership(i: OwnershipInput): OwnershipView {
  const base = { name: i.name, ownedByUs: i.ownedNames.has(i.name) };
  if (i.found === null) {
    return {
      ...base,
      exists: null,
      label: i.templateLabel ?? null,
      type: null,
      owner: null,
      confirm: !base.ownedByUs,
      sentence: `Exist Tray can't see whether “${i.templateLabel ?? i.name}” exists or who writes it (no read access to its group). If another service owns it, acquiring takes it over and that service stops updating it.`,
    };
  }
  if (i.found === undefined) {
    const label = i.templateLabel ?? i.name;
    return {
      ...base,
      exists: false,
      label,
      type: null,
      owner: null,
      confirm: false,
      sentence: `“${label}” isn't in your Exist account yet; acquiring creates it, owned by Exist Tray.`,
    };
  }
  const a = i.found;
  const owner = a.service?.label ?? null;
  const view = { ...base, exists: true, label: a.label, type: a.value_type_description, owner };
  if (base.ownedByUs) return { ...view, confirm: false, sentence: `Exist Tray already owns “${a.label}”.` };
  if (owner === null)
    return {
      ...view,
      confirm: false,
      sentence: `“${a.label}” (${a.value_type_description}) has no owner; Exist Tray will own it.`,
    };
  return {
    ...view,
    confirm: true,
    sentence: `“${a.label}” (${a.value_type_description}) is written by ${owner} now; take it over so Exist Tray writes it and ${owner} stops updating it?`,
  };
}

/** Whether an Exist failure means "this client no longer owns the attribute" (re-acquire can fix it). */
export function isNotOwnerError(e: { code?: string; message?: string; error_code?: string; error?: string }): boolean {
  const text = `${e.message ?? ''} ${e.error ?? ''}`;
  return (
    (e.code === 'unauthorised' || e.error_code === 'unauthorised') && /does not belong to this service/i.test(text)
  );
}
