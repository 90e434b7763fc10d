/**
 * Envelope encryption of secrets at rest: it lives in @integrixs/runtime (pure node:crypto), so the
 * flow runtime's worker opens adapter secrets with the same code the API seals them with.
 */
export {
  ACTIVE_KEY_VARIABLE,
  headerOf,
  keyIdOf,
  RETIRED_KEYS_VARIABLE,
  SecretBox,
  SecretBoxError,
  type SealedAt,
  type SealedHeader,
} from '@integrixs/runtime';
