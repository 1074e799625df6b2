// The text of elkjs's worker script, provided by the bundler (src/docs/bundle-app.ts).
declare module 'tsdbt:elk-worker-source' {
  const source: string;
  export default source;
}
