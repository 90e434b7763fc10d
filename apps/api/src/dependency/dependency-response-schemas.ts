import {
  arraySchema,
  BOOLEAN,
  INTEGER,
  NULLABLE_STRING,
  objectSchema,
  STRING,
} from '../core/listing/response-schema';

/** GraphNodeDto, in its order. */
const GRAPH_NODE_SCHEMA = objectSchema({
  id: STRING,
  packageId: STRING,
  type: STRING,
  name: STRING,
  kind: STRING,
  depth: INTEGER,
  path: arraySchema(NULLABLE_STRING),
  crossPackage: BOOLEAN,
});

/** GraphWalkDto: the answer of .../dependencies and .../dependents. */
export const GRAPH_WALK_SCHEMA = objectSchema({
  assetId: STRING,
  items: arraySchema(GRAPH_NODE_SCHEMA),
  hidden: INTEGER,
});

/** PackageGraphDto: the answer of .../dependency-graph. */
export const PACKAGE_GRAPH_SCHEMA = objectSchema({
  packageId: STRING,
  nodes: arraySchema(
    objectSchema({
      id: STRING,
      packageId: STRING,
      packageName: STRING,
      type: STRING,
      name: STRING,
      status: STRING,
      crossPackage: BOOLEAN,
    }),
  ),
  edges: arraySchema(
    objectSchema({
      from: STRING,
      to: STRING,
      kind: STRING,
      pinnedVersion: { type: ['integer', 'null'] },
      crossPackage: BOOLEAN,
    }),
  ),
  hiddenNodes: INTEGER,
  hiddenEdges: INTEGER,
});
