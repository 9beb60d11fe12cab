/** Types of ./pack-desktop-entry.mjs (for the TypeScript tests). */
export declare function linuxDesktopEntry(packager: unknown): Promise<{ fileName: string; text: string }>;
declare function afterPack(context: unknown): Promise<void>;
export default afterPack;
