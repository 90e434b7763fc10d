import { Module } from '@nestjs/common';

import { EnvironmentController } from './environment.controller';
import { EnvironmentService } from './environment.service';

/** Deployment environments: DEV, TEST, PROD and what administrators add. */
@Module({
  controllers: [EnvironmentController],
  providers: [EnvironmentService],
  exports: [EnvironmentService],
})
export class EnvironmentModule {}
