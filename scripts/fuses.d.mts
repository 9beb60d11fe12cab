/** Types of ./fuses.mjs (for the TypeScript tests). */
export declare const REQUIRED_FUSES: Record<string, boolean>;
export declare function standInExecutable(): Buffer;
export declare function fuseProblems(wire: Record<string, unknown>): string[];
