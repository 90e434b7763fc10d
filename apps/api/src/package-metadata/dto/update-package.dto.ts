import {
  DescriptionField,
  NameField,
  TagsField,
  TextField,
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

  @TextField({
    example: 'team-finance',
    maxLength: 200,
    description: 'Owning team or person (null for none).',
  })
  owner?: string | null;
}
