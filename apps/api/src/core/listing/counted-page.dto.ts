import { type Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

import { PageOf } from '../http/audited.dto';

interface CountedPageShape<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
  totalIsEstimate: boolean;
}

/**
 * `{ items, total, totalIsEstimate, nextCursor }` of `item`: the page of a searchable list, whose
 * `total` is exact up to `LIST_COUNT_CAP` matches and an estimate beyond (docs/api.md › Lists).
 */
export function CountedPageOf<T>(item: Type<T>): Type<CountedPageShape<T>> {
  abstract class CountedPage extends PageOf(item) {
    @ApiProperty({
      example: false,
      description:
        'True when `total` is an estimate: more items match than the server counts exactly (LIST_COUNT_CAP).',
    })
    totalIsEstimate: boolean;
  }
  return CountedPage as unknown as Type<CountedPageShape<T>>;
}
