import { type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';

/**
 * Binds one value into the SQL being written and returns its placeholder. SQL fragments shared
 * between raw statements and query builders (the visibility rule, keyset conditions) take one, so
 * the same fragment is written once and every value in it stays a bound parameter.
 */
export type BindParam = (value: unknown) => string;

/** The parameters of a raw statement: `$1`, `$2`, … in the order they are bound. */
export class SqlParams {
  readonly values: unknown[];

  /** `values`: parameters the statement already has (`$1` … `$n`). */
  constructor(values: readonly unknown[] = []) {
    this.values = [...values];
  }

  readonly bind: BindParam = (value) => {
    this.values.push(value);
    return `$${this.values.length}`;
  };
}

/**
 * `qb.andWhere(build(bind))`, each bound value under a parameter name the query does not use yet
 * (TypeORM's parameters are named and query-wide: a clash would silently rebind another condition).
 */
export function andWhereBound<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  build: (bind: BindParam) => string,
): SelectQueryBuilder<T> {
  const taken = qb.getParameters();
  const params: Record<string, unknown> = {};
  let n = 0;
  const bind: BindParam = (value) => {
    let name: string;
    do name = `bound_${n++}`;
    while (name in taken || name in params);
    params[name] = value;
    return `:${name}`;
  };
  return qb.andWhere(build(bind), params);
}
