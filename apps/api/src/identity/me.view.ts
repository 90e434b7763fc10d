import { permissionsOf } from '@integrixs/domain';

import { type MeDto } from './dto/auth.dto';
import { type User } from './entities/user.entity';

/** The signed-in user as the API shows them to themselves. */
export function meOf(
  user: Pick<User, 'id' | 'username' | 'displayName' | 'email' | 'role' | 'mfaEnabledAt'>,
): MeDto {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    email: user.email,
    role: user.role,
    mfaEnabled: user.mfaEnabledAt !== null,
    mfaEnrollmentRequired: user.role === 'ADMINISTRATOR' && user.mfaEnabledAt === null,
    permissions: permissionsOf(user.role, 'global'),
  };
}
