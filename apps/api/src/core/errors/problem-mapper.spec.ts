import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';

import { NameConflictError, VersionConflictError } from './app-error';
import { buildProblem, toProblemParts } from './problem-mapper';

describe('problem mapping', () => {
  it.each([
    [new NotFoundException('Cannot GET /api/x'), 404, 'not_found'],
    [new HttpException('Request body is too large', 413), 413, 'payload_too_large'],
    [new HttpException('Unsupported Media Type', 415), 415, 'unsupported_media_type'],
    [
      new BadRequestException(
        "Body is not valid JSON but content-type is set to 'application/json'",
      ),
      400,
      'malformed_json',
    ],
    [new BadRequestException('something else'), 400, 'validation_failed'],
    [new NameConflictError('A package', 'x', 'here'), 409, 'name_conflict'],
    [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      503,
      'database_unavailable',
    ],
    [
      {
        driverError: {
          code: '57P01',
          message: 'terminating connection due to administrator command',
        },
      },
      503,
      'database_unavailable',
    ],
    [new Error('timeout exceeded when trying to connect'), 503, 'database_unavailable'],
    [
      Object.assign(new Error('invalid byte sequence'), { code: '22021' }),
      400,
      'validation_failed',
    ],
    [{ driverError: { code: '40P01', message: 'deadlock detected' } }, 409, 'conflict_retry'],
    [{ driverError: { code: '40001', message: 'could not serialize' } }, 409, 'conflict_retry'],
    [{ driverError: { code: '57014', message: 'canceling statement' } }, 503, 'database_timeout'],
    [{ driverError: { code: '55P03', message: 'lock not available' } }, 503, 'database_timeout'],
    [
      {
        driverError: {
          code: '23503',
          constraint: 'package_members_user_id_fkey',
          table: 'package_members',
          detail: 'Key (user_id)=(0a4b…) is not present in table "users".',
        },
      },
      422,
      'reference_not_found',
    ],
    [
      {
        driverError: {
          code: '23503',
          table: 'package_assets',
          detail: 'Key (id)=(0a4b…) is still referenced from table "package_assets".',
        },
      },
      409,
      'still_referenced',
    ],
    [new HttpException('boom', 502), 500, 'internal_error'],
    [new TypeError('x is undefined'), 500, 'internal_error'],
  ])('maps %p to %i %s', (error, status, code) => {
    expect(toProblemParts(error)).toMatchObject({ status, code });
  });

  it('builds an RFC 9457 body with extensions, instance and trace id', () => {
    const problem = buildProblem(
      toProblemParts(new VersionConflictError('Package p', 1, { version: 2 })),
      '/api/packages/p',
      'req-1',
    );
    expect(problem).toEqual({
      type: 'https://integrixs.io/problems/version-conflict',
      title: 'The resource was changed by someone else',
      status: 412,
      detail:
        'Package p is at version 2, the request was based on version 1; reload and apply your change again',
      instance: '/api/packages/p',
      code: 'version_conflict',
      errors: [],
      traceId: 'req-1',
      current: { version: 2 },
    });
  });

  it('names the field of a missing reference, never its value', () => {
    const parts = toProblemParts({
      driverError: {
        code: '23503',
        constraint: 'package_members_user_id_fkey',
        table: 'package_members',
        detail: 'Key (user_id)=(0a4b5c) is not present in table "users".',
      },
    });
    expect(parts.errors).toEqual([
      {
        path: 'userId',
        message: 'refers to a user that does not exist (it may have been deleted meanwhile)',
        code: 'reference',
      },
    ]);
    expect(JSON.stringify(parts)).not.toContain('0a4b5c');
  });

  it('tells the client when to retry during a database outage', () => {
    expect(toProblemParts(Object.assign(new Error('x'), { code: 'ECONNRESET' })).headers).toEqual({
      'retry-after': '5',
    });
  });
});
