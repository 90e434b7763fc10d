import { Module, type DynamicModule } from '@nestjs/common';
import { type Logger } from 'pino';

import { AdapterModule } from './adapter/adapter.module';
import { AssetModule } from './asset/asset.module';
import { AuditModule } from './audit/audit.module';
import { type AppConfig } from './core/config/app-config';
import { CoreModule } from './core/core.module';
import { DemoModule } from './demo/demo.module';
import { DependencyModule } from './dependency/dependency.module';
import { DeploymentModule } from './deployment/deployment.module';
import { EventsModule } from './events/events.module';
import { FlowModule } from './flow/flow.module';
import { IdentityModule } from './identity/identity.module';
import { MappingModule } from './mapping/mapping.module';
import { PackageContainerModule } from './package-container/package-container.module';
import { PackageMetadataModule } from './package-metadata/package-metadata.module';
import { RuntimeMonitoringModule } from './runtime-monitoring/runtime-monitoring.module';
import { RuntimeModule } from './runtime/runtime.module';
import { SchemaModule } from './schema/schema.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, logger?: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, databaseUrl, logger),
        IdentityModule,
        AuditModule,
        PackageMetadataModule,
        PackageContainerModule,
        AssetModule,
        SchemaModule,
        AdapterModule,
        MappingModule,
        FlowModule,
        DeploymentModule,
        RuntimeModule,
        RuntimeMonitoringModule,
        DependencyModule,
        EventsModule,
        ...(config.seedDemo ? [DemoModule] : []),
      ],
    };
  }
}
