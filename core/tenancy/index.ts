export {
  type ErasureEntry,
  erasedStudents,
  erasureRegisterFile,
  registerErasure,
} from './erasure-register.js';
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
