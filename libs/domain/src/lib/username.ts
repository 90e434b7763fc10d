/**
 * The one form a username is compared in: Unicode compatibility normalisation (NFKC, so
 * fullwidth letters, the Kelvin sign or a long s are the plain letters they look like),
 * surrounding white space removed, one locale-independent lower-case mapping, and NFKC again
 * (lower-casing can produce sequences NFKC composes). Sign-in looks users up by this form only,
 * the database keeps it unique, and the console can use it to show what will be compared.
 *
 * It is deliberately not PostgreSQL's `lower()` (collation-dependent) and not a locale's case
 * mapping: "sp_v\u0130ctim" stays distinct from "sp_victim" (it lower-cases to i + U+0307).
 */
export function canonicalUsername(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
}
