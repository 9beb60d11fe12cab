/**
 * Typed quick-add (issue 18): `20 pages`, `+1h reading`, `mood 7`, `tv 45m yesterday`,
 * `-2 pages`. tokens.ts splits the text, match.ts finds the attribute, parse.ts builds and
 * describes the write. Pure and isomorphic: the popover and the CLI share it.
 */
export { parseQuickAdd, describeWrite, dayWords } from './parse';
export type { QuickAddAttribute, QuickAddContext, QuickAddResult, QuickAddWrite } from './parse';
export { tokenize, weekdayOf } from './tokens';
export { rankAttributes, scoreAttribute, stem, wordsOf } from './match';
