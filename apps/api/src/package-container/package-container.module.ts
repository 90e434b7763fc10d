import { Module } from '@nestjs/common';

import { AssetModule } from '../asset/asset.module';
import { PackageContainerController } from './package-container.controller';
import { PackageContainerService } from './package-container.service';

@Module({
  imports: [AssetModule],
  controllers: [PackageContainerController],
  providers: [PackageContainerService],
})
export class PackageContainerModule {}
