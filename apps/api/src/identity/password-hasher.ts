import { Injectable } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';

/** A valid argon2id hash of a random string: verifying against it costs what a real check costs. */
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,p=1,t=2$Em/73bLjMBhQImianct/aA$dwDdzGbw32k/muJy/DV+wgDaqQgWUqrKIAOdMmOJZ0c';

/** argon2id with OWASP's minimum parameters (19 MiB, 2 passes). */
@Injectable()
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return hash(password, { type: argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  }

  /** Also runs for unknown users (against a dummy hash) so timing does not tell who exists. */
  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    try {
      const ok = await verify(passwordHash ?? DUMMY_HASH, password);
      return ok && passwordHash !== undefined;
    } catch {
      return false;
    }
  }
}
