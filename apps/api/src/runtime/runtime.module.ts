import { Module } from '@nestjs/common';

import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersService } from './dead-letters.service';
import { ExecutionNotifier } from './execution-notifier';
import { ExecutionsController } from './executions.controller';
import { ExecutionsService } from './executions.service';
import { FlowHealthService } from './flow-health.service';
import { InboundController } from './inbound.controller';
import { MessageIntakeService } from './message-intake.service';

/**
 * The flow runtime's API (issue 13): messages into deployed flows (inbound HTTP, manual runs),
 * executions with their traces and payloads, dead letters (replay, discard) and flow health.
 * The worker (apps/worker) runs the messages accepted here; this module only stores and reads.
 */
@Module({
  controllers: [InboundController, ExecutionsController, DeadLettersController],
  providers: [
    MessageIntakeService,
    ExecutionsService,
    DeadLettersService,
    FlowHealthService,
    ExecutionNotifier,
  ],
})
export class RuntimeModule {}
