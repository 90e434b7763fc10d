import { PartialType } from '@nestjs/swagger';

import { VersionField } from '../../core/http/common-fields';
import { CreatePackageDto } from './create-package.dto';

/** Fields left out keep their current value. */
export class UpdatePackageDto extends PartialType(CreatePackageDto) {
  @VersionField()
  version?: number;
}
