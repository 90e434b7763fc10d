import { type AssetRouteSpec } from '../asset/asset-controller.factory';
import { CreateMappingDto, UpdateMappingDto } from './dto/mapping-input.dto';
import { MappingDetailDto } from './dto/mapping-views.dto';

const COMPILE =
  'Both schemas must be live schemas in packages you can read (pinned `version` or the current one; `root` picks the XSD element or WSDL message); each becomes a dependency edge. Every expression or stylesheet is compiled against their structures: problems come back in one 422 `mapping_invalid` naming the rule (or file) and position; source fields the source schema lacks are `warnings` in the answer.';

/** The generic CRUD routes with the mapping's bodies, view and documentation. */
export const MAPPING_ROUTES: AssetRouteSpec = {
  createBody: CreateMappingDto,
  updateBody: UpdateMappingDto,
  view: MappingDetailDto,
  deleteQuery: undefined,
  docs: {
    create: {
      summary: 'Create a mapping (JSONata rules or an XSLT stylesheet) between two schemas',
      description: COMPILE,
      problems: [400, 404, 409, 413, 415, 422],
    },
    update: {
      summary: 'Update a mapping; new content is compiled and becomes a new version',
      description: COMPILE,
      problems: [400, 404, 409, 412, 413, 415, 422, 423, 428],
    },
  },
};
