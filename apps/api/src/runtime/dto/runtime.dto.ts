/** The runtime API's DTOs, by resource. */
export * from './dead-letter.dto';
export * from './execution.dto';
export * from './flow-health.dto';
export { PayloadInfoDto } from './runtime-fields';
