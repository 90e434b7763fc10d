import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

import { DescriptionField, NameField, TagsField } from '../../core/http/common-fields';

export class CreatePackageDto {
  @NameField({ required: true, example: 'Order to Cash' })
  name: string;

  @DescriptionField('Sales orders from the web shop to the ERP, invoices back.')
  description?: string;

  @TagsField(['sales', 'erp'])
  tags?: string[];

  @ApiPropertyOptional({
    example: 'team-finance',
    nullable: true,
    maxLength: 200,
    description: 'Owning team or person.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string | null;
}
