import { describe, expect, it } from 'vitest';
import { checkAccelerator } from '../../src/renderer/src/settings/accelerator';

describe('checkAccelerator', () => {
  it.each(['CommandOrControl+Shift+E', 'Alt+F5', 'F12', 'Shift+F3', 'Ctrl++', 'Super+Space', ''])('accepts %j', (s) => {
    expect(checkAccelerator(s)).toBeNull();
  });
  it.each([
    ['Ctrl+Shfit+E', /not a modifier/],
    ['Ctrl+Shift', /End the shortcut with a key/],
    ['Shift+E', /needs CommandOrControl/],
    ['E', /needs CommandOrControl/],
    ['Ctrl+Ctrl+E', /only once/],
    ['Ctrl+Enterr', /not a key/],
    ['Ctrl+ +E', /Join keys/],
  ])('rejects %j', (s, msg) => {
    expect(checkAccelerator(s)).toMatch(msg);
  });
});
