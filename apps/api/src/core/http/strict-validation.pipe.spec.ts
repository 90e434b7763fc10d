import { ValidationError } from '../errors/app-error';
import { ListQueryDto } from '../listing/list-query.dto';
import { StrictValidationPipe } from './strict-validation.pipe';

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
