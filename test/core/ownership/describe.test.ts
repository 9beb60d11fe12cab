/** Ownership in words before acquiring: exists? which type? who owns it now? confirm only a takeover. */
import { describe, expect, it } from 'vitest';
import { describeOwnership, isNotOwnerError } from '../../../src/core/ownership';
import type { Attribute } from '../../../src/shared/domain';

const mood: Attribute = {
  template: 'mood',
  name: 'mood',
  label: 'Mood',
  group: { name: 'mood', label: 'Mood', priority: 3 },
  service: { name: 'exist_android', label: 'Exist for Android' },
  active: true,
  priority: 1,
  manual: false,
  value_type: 8,
  value_type_description: 'Integer scale (between 1 and 9)',
};
const none = new Set<string>();

describe('describeOwnership', () => {
  it('owned by another service: asks, naming the service and the type', () => {
    const v = describeOwnership({ name: 'mood', found: mood, ownedNames: none });
    expect(v).toMatchObject({
      exists: true,
      owner: 'Exist for Android',
      type: mood.value_type_description,
      confirm: true,
    });
    expect(v.sentence).toBe(
      '“Mood” (Integer scale (between 1 and 9)) is written by Exist for Android now; take it over so Exist Tray writes it and Exist for Android stops updating it?',
    );
  });
  it('missing: says acquiring creates it, no question', () => {
    const v = describeOwnership({
      name: 'pages_read',
      found: undefined,
      ownedNames: none,
      templateLabel: 'Pages read',
    });
    expect(v).toMatchObject({ exists: false, confirm: false });
    expect(v.sentence).toMatch(/isn't in your Exist account yet; acquiring creates it/);
  });
  it('unowned, or ours already: no question', () => {
    expect(describeOwnership({ name: 'mood', found: { ...mood, service: null }, ownedNames: none }).confirm).toBe(
      false,
    );
    expect(describeOwnership({ name: 'mood', found: mood, ownedNames: new Set(['mood']) })).toMatchObject({
      confirm: false,
      sentence: 'Exist Tray already owns “Mood”.',
    });
  });
  it('unknown without a read scope: says so and asks', () => {
    expect(describeOwnership({ name: 'mood', found: null, ownedNames: none })).toMatchObject({
      exists: null,
      confirm: true,
    });
  });
  it('recognises Exist’s “does not belong to this service”', () => {
    expect(
      isNotOwnerError({ error_code: 'unauthorised', error: "Attribute 'mood' does not belong to this service" }),
    ).toBe(true);
    expect(isNotOwnerError({ error_code: 'unauthorised', error: 'This token has no mood_write scope' })).toBe(false);
  });
});
