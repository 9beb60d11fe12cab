/** Types of ./desktop-entry.mjs (for the TypeScript tests). */
export interface PackageJsonNames {
  name?: string;
  productName?: string;
  desktopName?: string;
}
export declare function electronAppId(pkg: PackageJsonNames): string | null;
export declare function desktopEntryProblems(
  pkg: PackageJsonNames,
  entry: { fileName: string; text: string },
): string[];
