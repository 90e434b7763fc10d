import { DescriptionField, NameField, TagsField, TextField } from '../../core/http/common-fields';

export class CreatePackageDto {
  @NameField({ required: true, example: 'Order to Cash' })
  name: string;

  @DescriptionField('Sales orders from the web shop to the ERP, invoices back.')
  description?: string;

  @TagsField(['sales', 'erp'])
  tags?: string[];

  @TextField({
    example: 'team-finance',
    maxLength: 200,
    description: 'Owning team or person (null for none).',
    nullable: true,
  })
  owner?: string | null;
}
