export * from './advisory-lock';
export * from './cron-schedule';
export * from './file-poller';
export * from './imap-poller';
export * from './trigger-scheduler';
export * from './trigger-types';
