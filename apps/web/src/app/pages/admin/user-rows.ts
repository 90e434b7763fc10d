import { type UserDto } from '@integrixs/api-client';

/**
 * The listed users with the ones changed on this page since: a changed user replaces the listed
 * one unless the list was read again after the change (a higher or equal version).
 */
export function newerOf(
  listed: readonly UserDto[],
  changed: ReadonlyMap<string, UserDto>,
): UserDto[] {
  return listed.map((user) => {
    const mine = changed.get(user.id);
    return mine && mine.version > user.version ? mine : user;
  });
}
