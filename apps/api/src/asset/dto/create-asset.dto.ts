import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

import { EDITABLE_ASSET_STATUSES, type EditableAssetStatus } from '@integrixs/domain';

import { DescriptionField, NameField, TagsField } from '../../core/http/common-fields';

export class CreateAssetDto {
  @NameField({ required: true, example: 'UBL Invoice 2.1' })
  name: string;

  @DescriptionField('OASIS UBL 2.1 Invoice document schema.')
  description?: string;

  @TagsField(['ubl', 'invoice'])
  tags?: string[];

  @ApiPropertyOptional({ enum: EDITABLE_ASSET_STATUSES, default: 'DRAFT' })
  @IsOptional()
  @IsIn(EDITABLE_ASSET_STATUSES)
  status?: EditableAssetStatus;

  @ApiProperty({
    description:
      'The asset content (any JSON value: a document as a string, or a structured definition). Saved as version 1.',
    example: { format: 'xsd', text: '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>' },
  })
  @IsDefined({ message: 'is required' })
  content: unknown;

  @ApiPropertyOptional({
    example: 'Initial import',
    maxLength: 1000,
    description: 'Version message.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  message?: string;
}
