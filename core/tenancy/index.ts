export {
  type ErasureEntry,
  erasedStudents,
  erasureRegisterFile,
  erasureRegisterRoot,
  registerErasure,
} from './erasure-register.js';
export {
  type ErasedStudentsLookup,
  ErasureRegisterCache,
  isSameErasedByTenant,
} from './erasure-register-cache.js';
export { loadPseudonymizer, Pseudonymizer } from './pseudonym.js';
export {
  createTokenVerifier,
  type MintOptions,
  mintToken,
  type Principal,
  TokenKeys,
  type TokenVerifier,
  tokenAudience,
  tokenIssuer,
} from './tokens.js';
