/**
 * What tests share, and only tests: the clocks they move and the catalogue they seed.
 * No production source (apps/, libs/<lib>/src) may import it (.dependency-cruiser.cjs, test-kit-only-from-tests).
 */
export * from './clock';
export * from './catalogue';
