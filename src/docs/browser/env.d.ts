// Reads the text of elkjs's worker script, which the bundler carries in front of the page's script (src/docs/bundle-app.ts).
declare module 'tsdbt:elk-worker-source' {
  const source: () => string;
  export default source;
}
