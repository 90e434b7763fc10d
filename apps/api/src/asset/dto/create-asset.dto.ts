import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional } from 'class-validator';

import { EDITABLE_ASSET_STATUSES, type EditableAssetStatus } from '@integrixs/domain';

import {
  ANY_JSON_VALUE,
  DescriptionField,
  NameField,
  TagsField,
  TextField,
} from '../../core/http/common-fields';
import { IsStorableJson } from './storable-json.validator';

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
    ...ANY_JSON_VALUE,
    description:
      'The asset content: any JSON value (a document as a string, or a structured definition), nested at most 64 levels. Saved as version 1.',
    example: { fileName: 'Invoice.xsd', mediaType: 'application/xml', text: '<xs:schema .../>' },
  })
  @IsDefined({ message: 'is required' })
  @IsStorableJson()
  content: unknown;

  @TextField({ example: 'Initial import', maxLength: 1000, description: 'Version message.' })
  message?: string;
}
