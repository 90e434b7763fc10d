// Angular's test bed, zoneless like the console itself (app.config.ts).
import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

setupZonelessTestEnv();
