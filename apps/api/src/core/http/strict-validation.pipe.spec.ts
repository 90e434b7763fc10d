import { IsOptional, IsString } from 'class-validator';

import { ValidationError } from '../errors/app-error';
import { ListQueryDto } from '../listing/list-query.dto';
import { OptionalBody, StrictValidationPipe } from './strict-validation.pipe';

const QUERY = { type: 'query', metatype: ListQueryDto, data: '' } as const;

describe('StrictValidationPipe on query DTOs', () => {
  const pipe = new StrictValidationPipe();

  it('converts a valid query, and gives every request its own instance of the remembered result', async () => {
    const first = (await pipe.transform({ limit: '50', q: 'invoice' }, QUERY)) as ListQueryDto;
    const second = (await pipe.transform({ limit: '50', q: 'invoice' }, QUERY)) as ListQueryDto;
    expect(first).toBeInstanceOf(ListQueryDto);
    expect(second).toBeInstanceOf(ListQueryDto);
    expect(second).toEqual({ limit: 50, q: 'invoice' });
    expect(second).not.toBe(first);
    second.limit = 1;
    const third = (await pipe.transform({ limit: '50', q: 'invoice' }, QUERY)) as ListQueryDto;
    expect(third.limit).toBe(50);
  });

  it('refuses an invalid query every time, also after a valid one was remembered', async () => {
    await pipe.transform({ limit: '20' }, QUERY);
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ limit: '500' }, QUERY)).rejects.toBeInstanceOf(ValidationError);
      await expect(pipe.transform({ limit: '20', extra: 'x' }, QUERY)).rejects.toMatchObject({
        errors: [{ path: 'extra', code: 'unknown_field' }],
      });
      await expect(pipe.transform({ limit: '20', q: 'a\u0000' }, QUERY)).rejects.toMatchObject({
        errors: [{ path: 'q', code: 'matches' }],
      });
    }
  });
});

@OptionalBody()
class OptionalInput {
  @IsOptional()
  @IsString()
  note?: string;
}

class RequiredInput {
  @IsString()
  note!: string;
}

describe('StrictValidationPipe on body DTOs', () => {
  const pipe = new StrictValidationPipe();
  const body = (metatype: new () => object) => ({ type: 'body', metatype, data: '' }) as const;

  it('validates a left-out body as {} only for a DTO marked @OptionalBody()', async () => {
    await expect(pipe.transform(undefined, body(OptionalInput))).resolves.toEqual({});
    await expect(pipe.transform(undefined, body(RequiredInput))).rejects.toMatchObject({
      errors: [{ path: 'body', code: 'type' }],
    });
  });

  it('still validates the fields of an optional body that is given', async () => {
    await expect(pipe.transform({ note: 7 }, body(OptionalInput))).rejects.toMatchObject({
      errors: [{ path: 'note' }],
    });
  });
});
