import { type Pool } from 'pg';

import { type TargetPolicy } from '@integrixs/adapters';
import { type PayloadSide } from '@integrixs/mapping-engine';

import { type DeploymentAssetLoader } from './deployment-assets';
import { type RuntimeEngines } from './engines';
import { type JobQueue } from './job-queue';
import { type RuntimeObserver } from './runtime-observer';
import { type RuntimeSettings } from './runtime-settings';
import { type MessageStatus, type MessageTrigger } from './runtime-types';

/** What the executor needs around it: the database, the loaded assets, the engines, hooks. */
export interface ExecutorContext {
  pool: Pool;
  queue: JobQueue;
  assets: DeploymentAssetLoader;
  engines: RuntimeEngines;
  observer: Required<RuntimeObserver>;
  settings: RuntimeSettings;
  policy?: TargetPolicy;
  /** This worker's id (graphile-worker's pool id): recorded on the messages it runs. */
  workerId: string;
}

/** A runtime_messages row as the executor reads it. */
export interface MessageRow {
  id: string;
  origin_id: string;
  package_id: string;
  flow_id: string;
  deployment_id: string;
  environment_id: string;
  trigger: MessageTrigger;
  status: MessageStatus;
  attempts: number;
  input_payload_id: string | null;
  resume_node_id: string | null;
  resume_payload_id: string | null;
  received_at: Date;
  started_at: Date | null;
  worker_id: string | null;
  /** The start its flow's rate limit reserved for it when it was held back (rate-limit.ts). */
  rate_slot_at: Date | null;
}

/** A message body as it moves from step to step (`payloadId`: still the stored row it came from). */
export interface Payload {
  text: string;
  contentType: string;
  payloadId: string | null;
  /** The schema view of the payload (after validate or map), for routes reading XML. */
  side?: PayloadSide;
}

/** A step failure as stored (message.error, step.error, dead letter). */
export interface StepFailure {
  nodeId: string;
  code: string;
  message: string;
  retryable: boolean;
  detail?: Record<string, unknown>;
}
