import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { createAssetController } from '../asset/asset-controller.factory';
import { AssetModule } from '../asset/asset.module';
import { PackageSchema } from './entities/package-schema.entity';

/** Schemas: the generic asset endpoints for type SCHEMA (specialised by the schema issue). */
@Module({
  imports: [TypeOrmModule.forFeature([PackageSchema]), AssetModule],
  controllers: [createAssetController('SCHEMA')],
})
export class SchemaModule {}
