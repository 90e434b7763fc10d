import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

import { PROBLEM_CODES } from '@integrixs/domain';

export class ProblemFieldErrorDto {
  @ApiProperty({ example: 'tags[0]' })
  path: string;

  @ApiProperty({ example: 'must be shorter than or equal to 64 characters' })
  message: string;

  @ApiProperty({ example: 'maxLength' })
  code: string;
}

/** RFC 9457 problem details: the body of every error response. */
export class ProblemDto {
  @ApiProperty({ example: 'https://integrixs.io/problems/validation-failed' })
  type: string;

  @ApiProperty({ example: 'The request is not valid' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ example: 'name: must be shorter than or equal to 200 characters' })
  detail: string;

  @ApiProperty({ example: '/api/packages' })
  instance: string;

  @ApiProperty({ enum: PROBLEM_CODES, example: 'validation_failed' })
  code: string;

  @ApiProperty({ type: [ProblemFieldErrorDto] })
  errors: ProblemFieldErrorDto[];

  @ApiProperty({
    description: 'Request id; also in the X-Request-Id header and the logs.',
    example: 'b7e1c1c2-...',
  })
  traceId: string;

  @ApiPropertyOptional({ description: 'On 412: the resource as it is now.', type: Object })
  current?: unknown;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'On 429: seconds to wait (also the Retry-After header).',
    example: 30,
  })
  retryAfter?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'On 423: who holds the lock.' })
  lockedBy?: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: malformed JSON, an unknown or invalid field, or a non-UUID id.',
  404: 'The resource does not exist (or was deleted).',
  409: 'The name is already used by another live item in the same scope.',
  412: 'The version sent is stale; the body carries the current state in `current`.',
  413: 'The body is larger than MAX_BODY_BYTES.',
  415: 'The body is not application/json.',
  423: 'The asset is locked by another user.',
  428: 'No version was sent (body `version` or If-Match).',
  429: 'Too many failed attempts; retry after Retry-After seconds.',
  401: 'Not signed in, or the credentials are invalid.',
  503: 'The database is unreachable; retry after the Retry-After delay.',
};

/** Documents the problem+json responses a route can give. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...[...statuses, 503].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        content: {
          'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } },
        },
      }),
    ),
  );
}
