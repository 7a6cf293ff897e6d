export {
  type DataPaths,
  dataPaths,
  ensureDataPaths,
  repoRoot,
  resolveDataDir,
  sqlPath,
} from './paths.js';
