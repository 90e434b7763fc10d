import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class DeletePackageQueryDto {
  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    description:
      'Delete even though assets in other packages depend on assets of this one (their references are left dangling).',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  force?: 'true' | 'false';
}
