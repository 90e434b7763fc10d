import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsUUID, ValidateNested } from 'class-validator';

import {
  ADAPTER_DIRECTIONS,
  ADAPTER_TYPES,
  type AdapterDirection,
  type AdapterType,
} from '@integrixs/domain';

import { CreateAssetDto } from '../../asset/dto/create-asset.dto';
import { IsStorableJson } from '../../asset/dto/storable-json.validator';
import { VersionField } from '../../core/http/common-fields';
import { ADAPTER_CONFIGURATION_REFS } from '../adapter-openapi';

/** Schemas from the library the adapter reads or writes (each becomes a dependency edge). */
export class AdapterSchemasDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Schema of the request it sends.' })
  @IsOptional()
  @IsUUID()
  request?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Schema of the response it receives.' })
  @IsOptional()
  @IsUUID()
  response?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Schema of the messages it reads/writes.' })
  @IsOptional()
  @IsUUID()
  message?: string;
}

const CONFIGURATION_DOC =
  'The configuration of the adapter type, validated by its JSON Schema (components `FileAdapterConfiguration`, `SftpAdapterConfiguration`, …; every wrong or missing field is named in one 422 with its JSON pointer). Secret fields (writeOnly) are stored encrypted outside the versioned content and answered as `{ "set": true }`; send `{ "set": true }` back (or leave the field out) to keep a stored secret.';

export class CreateAdapterDto extends OmitType(CreateAssetDto, ['content'] as const) {
  @ApiProperty({ enum: ADAPTER_TYPES, example: 'SFTP' })
  @IsIn(ADAPTER_TYPES)
  adapterType: AdapterType;

  @ApiProperty({ enum: ADAPTER_DIRECTIONS, example: 'SOURCE' })
  @IsIn(ADAPTER_DIRECTIONS)
  direction: AdapterDirection;

  @ApiProperty({
    oneOf: ADAPTER_CONFIGURATION_REFS,
    description: CONFIGURATION_DOC,
    example: {
      host: 'sftp.example.com',
      username: 'erp',
      password: 's3cret',
      hostKeyFingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU',
      remoteFolder: '/outbound',
    },
  })
  @IsObject()
  @IsStorableJson()
  configuration: Record<string, unknown>;

  @ApiPropertyOptional({ type: AdapterSchemasDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AdapterSchemasDto)
  schemas?: AdapterSchemasDto;
}

/** Fields left out keep their value; a changed configuration makes a new version. */
export class UpdateAdapterDto extends PartialType(CreateAdapterDto) {
  @VersionField()
  version?: number;
}
