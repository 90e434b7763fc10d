import { Module } from '@nestjs/common';

import { AuditQueryService } from './audit-query.service';
import { AuditController } from './audit.controller';

/** The audit log API (the log itself is written by core/audit). */
@Module({
  controllers: [AuditController],
  providers: [AuditQueryService],
})
export class AuditModule {}
