import { Module } from '@nestjs/common';

import { IdentityModule } from '../identity/identity.module';
import { EventsGateway } from './events.gateway';

/**
 * Live updates over WebSocket (`/api/events`, issue 14): package, asset, deployment, execution
 * and membership changes, fanned out through PostgreSQL LISTEN/NOTIFY to every API instance and
 * forwarded to the connections that may read the package. See docs/api.md ("Live events").
 */
@Module({
  imports: [IdentityModule],
  providers: [EventsGateway],
  exports: [EventsGateway],
})
export class EventsModule {}
