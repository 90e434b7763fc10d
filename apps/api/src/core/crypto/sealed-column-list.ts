/** A column that holds sealed secrets (`SecretBox`), keyed by its row's UUID `id`. */
export interface SealedColumnName {
  readonly table: string;
  readonly column: string;
}

/**
 * Every column of sealed secrets, in one framework-free list, so that `npm run keys:rotate` finds
 * them all without starting the application. The owning module registers its column through
 * `SealedColumns.column()`, which refuses a column missing here: a new column of secrets cannot
 * be forgotten by the rotation.
 */
export const SEALED_COLUMNS: readonly SealedColumnName[] = [
  // identity: TOTP secrets (mfa.service.ts)
  { table: 'users', column: 'mfa_secret' },
  // adapter: credentials per adapter and environment (adapter-secrets.ts)
  { table: 'adapter_secrets', column: 'value' },
];
