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
