import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { type SchemaBundle, type SchemaFile, type SchemaType } from '../bundle/schema-bundle';

/** The shared corpus, used in place (see its README): `../shared/corpus` from the repo root. */
export const CORPUS = join(__dirname, '../../../../../shared/corpus');

export function corpusText(path: string): string {
  return readFileSync(join(CORPUS, path), 'utf8');
}

/** Every file under a corpus folder, with paths relative to it. */
export function corpusFiles(
  folder: string,
  filter: (path: string) => boolean = () => true,
): SchemaFile[] {
  const root = join(CORPUS, folder);
  const out: SchemaFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const path = relative(root, full).split('\\').join('/');
        if (filter(path)) out.push({ path, text: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(root);
  return out;
}

export function corpusBundle(
  type: SchemaType,
  folder: string,
  main: string,
  filter?: (path: string) => boolean,
): SchemaBundle {
  return { type, files: corpusFiles(folder, filter), main };
}

/** UBL 2.1 with `maindoc/` and `common/` (not the examples), entry `maindoc/UBL-<doc>-2.1.xsd`. */
export function ublBundle(doc: 'Invoice' | 'Order'): SchemaBundle {
  return corpusBundle('XSD', 'xsd/ubl-2.1', `maindoc/UBL-${doc}-2.1.xsd`, (p) =>
    p.endsWith('.xsd'),
  );
}
