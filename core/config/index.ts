export { fileSignature, fsyncPath, statsSignature } from './durable-files.js';
export {
  type DataPaths,
  dataPaths,
  ensureDataPaths,
  repoRoot,
  resolveDataDir,
  sqlPath,
} from './paths.js';
