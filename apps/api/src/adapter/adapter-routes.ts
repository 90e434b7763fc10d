import { type AssetRouteSpec } from '../asset/asset-controller.factory';
import { CreateAdapterDto, UpdateAdapterDto } from './dto/adapter-input.dto';
import { AdapterDetailDto } from './dto/adapter-views.dto';

/** The generic CRUD routes with the adapter's bodies, view and documentation. */
export const ADAPTER_ROUTES: AssetRouteSpec = {
  createBody: CreateAdapterDto,
  updateBody: UpdateAdapterDto,
  view: AdapterDetailDto,
  deleteQuery: undefined,
  docs: {
    create: {
      summary: 'Create an adapter: type, direction and configuration (version 1)',
      description:
        'The configuration is validated by the JSON Schema of `adapterType` (components `…AdapterConfiguration`); every wrong or missing field comes back in one 422 with its JSON pointer. Secret fields are sealed outside the versioned content and answered as `{ "set": true }`. Named schemas must be schemas you can read; a SOAP adapter\'s service, port and operation must exist in its WSDL.',
      problems: [400, 404, 409, 413, 415, 422],
    },
    update: { problems: [400, 404, 409, 412, 413, 415, 422, 423, 428] },
  },
};
