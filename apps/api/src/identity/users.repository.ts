import { type EntityManager } from 'typeorm';

import { User } from './entities/user.entity';

/** Users are looked up by name case-insensitively. */
export function findUserByName(m: EntityManager, username: string): Promise<User | null> {
  return m
    .createQueryBuilder(User, 'u')
    .where('lower(u.username) = lower(:username)', { username })
    .getOne();
}

export function lockUser(m: EntityManager, id: string): Promise<User | null> {
  return m.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
}
