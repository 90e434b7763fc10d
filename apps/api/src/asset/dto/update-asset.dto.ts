import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional, ValidateIf } from 'class-validator';

import { EDITABLE_ASSET_STATUSES, type EditableAssetStatus } from '@integrixs/domain';

import {
  DescriptionField,
  NameField,
  TagsField,
  TextField,
  VersionField,
} from '../../core/http/common-fields';
import { IsStorableJson } from './storable-json.validator';

/** Fields left out keep their value. New content makes a new immutable version (unless identical). */
export class UpdateAssetDto {
  @VersionField()
  version?: number;

  @NameField({ required: false, example: 'UBL Invoice 2.1' })
  name?: string;

  @DescriptionField('OASIS UBL 2.1 Invoice document schema.')
  description?: string;

  @TagsField(['ubl', 'invoice'])
  tags?: string[];

  @ApiPropertyOptional({ enum: EDITABLE_ASSET_STATUSES })
  @IsOptional()
  @IsIn(EDITABLE_ASSET_STATUSES)
  status?: EditableAssetStatus;

  @ApiPropertyOptional({ description: 'New content; identical content makes no new version.' })
  @ValidateIf((_dto, value) => value !== undefined)
  @IsDefined({ message: 'must not be null' })
  @IsStorableJson()
  content?: unknown;

  @TextField({ example: 'Add delivery address', maxLength: 1000, description: 'Version message.' })
  message?: string;
}
