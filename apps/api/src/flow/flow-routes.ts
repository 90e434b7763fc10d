import { type AssetRouteSpec } from '../asset/asset-controller.factory';
import { CreateFlowDto, UpdateFlowDto } from './dto/flow-input.dto';
import { FlowDetailDto } from './dto/flow-views.dto';

const GRAPH =
  'The body is the graph: `nodes` and `edges` (shape errors: 400 naming the field by JSON pointer). The graph is then validated and its `problems` returned and kept: an invalid draft may be saved, but it cannot become READY. Every asset a node uses that you can read becomes a dependency edge (assets in other packages you can read are allowed and marked `crossPackage`).';

/** The generic CRUD routes with the flow's bodies, view and documentation. */
export const FLOW_ROUTES: AssetRouteSpec = {
  createBody: CreateFlowDto,
  updateBody: UpdateFlowDto,
  view: FlowDetailDto,
  deleteQuery: undefined,
  docs: {
    create: {
      summary: 'Create a flow: a graph of steps (version 1, state DRAFT)',
      description: GRAPH,
      problems: [400, 404, 409, 413, 415],
    },
    update: {
      summary:
        'Update a flow; a changed graph makes a new version and returns a READY flow to DRAFT',
      description: `${GRAPH} Status changes go through POST …/transitions; an ARCHIVED flow cannot be changed (409).`,
      problems: [400, 404, 409, 412, 413, 415, 423, 428],
    },
  },
};
