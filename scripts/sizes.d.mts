/** Types of ./sizes.mjs (for the TypeScript tests). */
export interface SizedFunction {
  file: string;
  name: string;
  line: number;
  lines: number;
}
export interface SizedFile {
  file: string;
  lines: number;
}
export interface SizesReport {
  files: number;
  longestFunctions: SizedFunction[];
  largestFiles: SizedFile[];
  functionsOver: SizedFunction[];
  filesOver: SizedFile[];
}
export declare const FN_LIMIT: number;
export declare const FILE_LIMIT: number;
export declare function measureSizes(opts?: { dir?: string; root?: string }): SizesReport;
