import { ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsDefined, ValidateIf } from 'class-validator';

import { ANY_JSON_VALUE, VersionField } from '../../core/http/common-fields';
import { CreateAssetDto } from './create-asset.dto';
import { IsStorableJson } from './storable-json.validator';

/** Fields left out keep their value. New content makes a new immutable version (unless identical). */
export class UpdateAssetDto extends PartialType(OmitType(CreateAssetDto, ['content'] as const)) {
  @VersionField()
  version?: number;

  @ApiPropertyOptional({
    ...ANY_JSON_VALUE,
    description: 'New content; identical content makes no new version.',
  })
  @ValidateIf((_dto, value) => value !== undefined)
  @IsDefined({ message: 'must not be null' })
  @IsStorableJson()
  content?: unknown;
}
