/** revloop's version (package.json), without loading the app. */
export const VERSION = '0.1.0';
