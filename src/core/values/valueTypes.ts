/** Value-type facts, derived from the one table in ./registry.ts (kept as a module for its importers). */
export {
  controlKindFor,
  defaultStepsFor,
  isIncrementable,
  isTextType,
  isValueTypeCode,
  valueTypeLabel,
  valueTypeName,
  valueTypeSpec,
  valueTypeSpecOf,
  type ControlKind,
  type ValueTypeSpec,
} from './registry';
