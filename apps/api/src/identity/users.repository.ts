import { type EntityManager } from 'typeorm';

import { canonicalUsername } from '@integrixs/domain';

import { User } from './entities/user.entity';

/** Users are looked up by the canonical form of their name only (see `canonicalUsername`). */
export function findUserByName(m: EntityManager, username: string): Promise<User | null> {
  return m.findOneBy(User, { usernameCanonical: canonicalUsername(username) });
}

export function lockUser(m: EntityManager, id: string): Promise<User | null> {
  return m.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
}
