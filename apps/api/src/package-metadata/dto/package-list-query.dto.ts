import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

import { ListQueryDto } from '../../core/listing/list-query.dto';

export class PackageListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    description: 'List deleted packages (to restore them) instead of live ones.',
    default: false,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  deleted?: boolean;
}
