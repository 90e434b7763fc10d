import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

import {
  DescriptionField,
  NameField,
  TagsField,
  VersionField,
} from '../../core/http/common-fields';

/** Fields left out keep their current value. */
export class UpdatePackageDto {
  @VersionField()
  version?: number;

  @NameField({ required: false, example: 'Order to Cash' })
  name?: string;

  @DescriptionField('Sales orders from the web shop to the ERP, invoices back.')
  description?: string;

  @TagsField(['sales', 'erp'])
  tags?: string[];

  @ApiPropertyOptional({ example: 'team-finance', nullable: true, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string | null;
}
