// daff (paulfitz/daff) ships no types; unit-test-daff.ts types the part it uses.
declare module 'daff';
