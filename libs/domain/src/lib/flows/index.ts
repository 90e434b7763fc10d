export * from './cron';
export * from './flow-content';
export * from './flow-states';
