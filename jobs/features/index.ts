/**
 * Batch features of the student behaviour profile: the catalogue, the SQL
 * models and the job that writes `curated/student_features/`.
 */
export * from './catalogue.js';
export { featuresErrors } from './errors.js';
export {
  addDays,
  catalogueRelationSql,
  disengagementSql,
  featureMacros,
  featureModels,
  featureVars,
} from './models.js';
export {
  type FeaturesSummary,
  type RunFeaturesOptions,
  runFeatures,
  schoolToday,
  studentFeaturesDataset,
  studentFeaturesDir,
  type TenantFeaturesSummary,
} from './run-features.js';
export {
  athenaFeatureRelation,
  duckdbFeatureSource,
  lakeTenants,
  partitionDates,
} from './source.js';
export { featuresDocPath, renderFeaturesDoc, writeFeaturesDoc } from './features-doc.js';
