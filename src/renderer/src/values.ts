/**
 * The renderer's window onto the isomorphic value layer (the only part of src/core the
 * renderer may import), so parsing and formatting rules are the same as the core's.
 */
export {
  parseValue,
  parseDelta,
  formatValue,
  formatDelta,
  displayUnitFor,
  addDays,
  isIsoDate,
  controlKindFor,
  isIncrementable,
  maxTextLength,
  textLength,
  valueTypeLabel,
  valueTypeSpec,
  isTextType,
  type DisplayUnit,
  type ControlKind,
} from '../../core/values';

import type { Profile } from '../../shared/domain';
import type { OwnedAttributeView } from '../../shared/ipc-contract';
import { displayUnitFor, type DisplayUnit } from '../../core/values';

/** `displayUnitFor` takes Exist's snake_case attribute; views carry camelCase. */
export function unitForView(attr: OwnedAttributeView, profile: Profile | null): DisplayUnit | undefined {
  return displayUnitFor(
    {
      name: attr.name,
      template: attr.template,
      value_type: attr.valueType,
      value_type_description: attr.valueTypeDescription,
    },
    profile,
  );
}
