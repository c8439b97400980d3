/** The widget's version; `scripts/size.mjs` fails the build when it differs from package.json. */
export const VERSION = '0.1.0';
