// Types of scripts/bundle.js (plain JavaScript, so that bin/migov.js can check its bundle without loading tsx).
export declare const ROOT: string;
export declare const CACHE: string;
export declare function bundledMain(options?: { cache?: string; build?: boolean }): Promise<string | undefined>;
export declare function freshBundle(cache: string): string | undefined;
export declare function buildBundle(cache: string): Promise<string | undefined>;
