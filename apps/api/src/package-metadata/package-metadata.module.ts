import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AssetModule } from '../asset/asset.module';
import { IdentityModule } from '../identity/identity.module';
import { IntegrationPackage } from './entities/integration-package.entity';
import { PackageMetadataController } from './package-metadata.controller';
import { PackageMetadataService } from './package-metadata.service';

@Module({
  imports: [TypeOrmModule.forFeature([IntegrationPackage]), AssetModule, IdentityModule],
  controllers: [PackageMetadataController],
  providers: [PackageMetadataService],
  exports: [PackageMetadataService],
})
export class PackageMetadataModule {}
