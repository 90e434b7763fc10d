import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID } from 'class-validator';

import { PayloadErrorDto } from '../../schema/dto/schema-views.dto';

/** Exactly one of `sampleId` and `input`. */
export class MappingTestRequestDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Run this stored sample.' })
  @IsOptional()
  @IsUUID()
  sampleId?: string;

  @ApiPropertyOptional({ description: 'Or run this ad-hoc input payload (XML or JSON text).' })
  @IsOptional()
  @IsString()
  input?: string;

  @ApiPropertyOptional({ description: 'With `input`: the output to compare with.' })
  @IsOptional()
  @IsString()
  expectedOutput?: string;
}

export const MAPPING_RUN_ERROR_CODES = [
  'runtime_error',
  'time_limit',
  'memory_limit',
  'input_too_large',
  'input_unreadable',
] as const;

export class MappingRunErrorDto {
  @ApiProperty({ enum: MAPPING_RUN_ERROR_CODES })
  code: string;

  @ApiProperty({ example: 'the transformation did not finish within 5000 ms and was stopped' })
  message: string;

  @ApiPropertyOptional({ example: 'rules[2]' })
  location?: string;

  @ApiPropertyOptional({ type: 'integer', example: 14 })
  position?: number;
}

export class MappingDiffEntryDto {
  @ApiProperty({ example: '/totals/payable', description: 'JSON pointer in the output.' })
  path: string;

  @ApiProperty({ enum: ['added', 'removed', 'changed'] })
  op: string;

  @ApiPropertyOptional({ description: 'The expected value (absent for `added`).' })
  expected?: unknown;

  @ApiPropertyOptional({ description: 'The actual value (absent for `removed`).' })
  actual?: unknown;
}

export class MappingTestResultDto {
  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  sampleId: string | null;

  @ApiProperty({ type: String, nullable: true })
  sampleName: string | null;

  @ApiProperty({
    description: 'Input valid, no error, output valid and no difference from the expected output.',
  })
  passed: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'The output text; null on error.' })
  output: string | null;

  @ApiProperty()
  inputValid: boolean;

  @ApiProperty({ type: [PayloadErrorDto] })
  inputErrors: PayloadErrorDto[];

  @ApiProperty({ type: Boolean, nullable: true, description: 'null: there is no output.' })
  outputValid: boolean | null;

  @ApiProperty({ type: [PayloadErrorDto] })
  outputErrors: PayloadErrorDto[];

  @ApiProperty({ type: MappingRunErrorDto, nullable: true })
  error: MappingRunErrorDto | null;

  @ApiProperty({
    type: [MappingDiffEntryDto],
    nullable: true,
    description: 'null: no expected output (or no output); [] when equal.',
  })
  diff: MappingDiffEntryDto[] | null;

  @ApiProperty({ example: 12.4, description: 'Transformation time (read, run, write), ms.' })
  durationMs: number;
}

export class MappingTestAllDto {
  @ApiProperty({ type: 'integer' })
  total: number;

  @ApiProperty({ type: 'integer' })
  passed: number;

  @ApiProperty({ type: 'integer' })
  failed: number;

  @ApiProperty({ type: [MappingTestResultDto] })
  results: MappingTestResultDto[];
}
