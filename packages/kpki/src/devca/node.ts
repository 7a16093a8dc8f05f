// Node-only part of the development CA, re-exported by ../node.ts.
export {
  authorityFiles,
  devCaPaths,
  existingBundleFiles,
  initDevCaDir,
  isDevCaDir,
  loadDevCa,
  saveDevCa,
  type WrittenBundle,
  writeUserBundle,
} from './store.ts';
