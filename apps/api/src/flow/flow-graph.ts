import jsonata from 'jsonata';

import {
  cronProblem,
  type FlowContent,
  type FlowEdge,
  type FlowNode,
  type FlowProblem,
} from '@integrixs/domain';

const at = (e: FlowEdge) => ({ from: e.from, to: e.to });

/**
 * The structural rules of a flow graph, without the database (the references are checked by
 * FlowReferences): exactly one source, nothing leads into it, targets end a path, only routes
 * branch (a route's edges name its branches and its default branch), at most one error handler
 * and no edge to or from it, every node reachable from the source, no cycles, route predicates
 * that compile and cron schedules that parse. Each problem names its node (and edge).
 */
export function graphProblems(content: FlowContent): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const byId = new Map(content.nodes.map((n) => [n.id, n]));
  const handlers = content.nodes.filter((n) => n.kind === 'errorHandler');
  const isHandler = (id: string) => byId.get(id)?.kind === 'errorHandler';
  const flowing = content.edges.filter((e) => !isHandler(e.from) && !isHandler(e.to));

  const sources = content.nodes.filter((n) => n.kind === 'source');
  if (sources.length === 0)
    problems.push({
      code: 'source_count',
      message: 'a flow needs exactly one source; it has none',
    });
  for (const extra of sources.slice(1))
    problems.push({
      code: 'source_count',
      nodeId: extra.id,
      message: `a flow has exactly one source: "${extra.id}" is a second one (the first is "${sources[0].id}")`,
    });
  for (const extra of handlers.slice(1))
    problems.push({
      code: 'error_handler_count',
      nodeId: extra.id,
      message: `a flow has at most one error handler: "${extra.id}" is a second one`,
    });

  for (const edge of content.edges) {
    if (isHandler(edge.from) || isHandler(edge.to))
      problems.push({
        code: 'error_handler_edge',
        nodeId: isHandler(edge.to) ? edge.to : edge.from,
        edge: at(edge),
        message: `the error handler "${isHandler(edge.to) ? edge.to : edge.from}" takes every failed message of the flow: no edge leads to or from it`,
      });
    else if (byId.get(edge.to)?.kind === 'source')
      problems.push({
        code: 'edge_into_source',
        nodeId: edge.to,
        edge: at(edge),
        message: `the source "${edge.to}" starts the flow: no edge may lead into it (from "${edge.from}")`,
      });
    else if (byId.get(edge.from)?.kind === 'target')
      problems.push({
        code: 'edge_from_terminal',
        nodeId: edge.from,
        edge: at(edge),
        message: `the target "${edge.from}" ends its path: no edge may leave it (to "${edge.to}")`,
      });
  }

  for (const node of content.nodes) problems.push(...nodeProblems(node, flowing));
  if (sources.length > 0) problems.push(...reachability(content.nodes, flowing, sources));
  problems.push(...cycles(content.nodes, flowing));
  return problems;
}

function nodeProblems(node: FlowNode, edges: FlowEdge[]): FlowProblem[] {
  const out = edges.filter((e) => e.from === node.id);
  if (node.kind === 'route') return routeProblems(node, out);
  const problems: FlowProblem[] = [];
  for (const e of out.filter((x) => x.branch !== undefined))
    problems.push({
      code: 'route_branch',
      nodeId: node.id,
      edge: at(e),
      message: `only edges leaving a route name a branch; "${node.id}" is a ${node.kind} (edge to "${e.to}")`,
    });
  if (out.length > 1)
    problems.push({
      code: 'fan_out',
      nodeId: node.id,
      message: `"${node.id}" has ${out.length} outgoing edges (to ${out.map((e) => `"${e.to}"`).join(', ')}); only a route sends messages different ways`,
    });
  if (node.kind === 'errorHandler' && node.destination === 'adapter' && !node.adapter)
    problems.push({
      code: 'asset_unavailable',
      nodeId: node.id,
      message: `the error handler "${node.id}" sends failed messages to an adapter but names none`,
    });
  if (node.kind === 'source' && node.trigger.type === 'schedule') {
    const problem = cronProblem(node.trigger.cron);
    if (problem)
      problems.push({
        code: 'cron_invalid',
        nodeId: node.id,
        message: `the schedule of source "${node.id}" is not valid: ${problem}`,
      });
  }
  return problems;
}

function routeProblems(node: Extract<FlowNode, { kind: 'route' }>, out: FlowEdge[]): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const branches = node.routes.map((r) => r.branch);
  const known = new Set([...branches, ...(node.defaultBranch ? [node.defaultBranch] : [])]);
  node.routes.forEach((route, i) => {
    if (branches.indexOf(route.branch) !== i || route.branch === node.defaultBranch)
      problems.push({
        code: 'route_branch',
        nodeId: node.id,
        message: `route "${node.id}" names branch "${route.branch}" twice`,
      });
    try {
      jsonata(route.when);
    } catch (error) {
      const e = error as { message?: string; position?: number };
      problems.push({
        code: 'expression_invalid',
        nodeId: node.id,
        message: `the predicate of branch "${route.branch}" of route "${node.id}" does not compile: ${e.message ?? 'invalid JSONata'}${e.position !== undefined ? ` (position ${e.position})` : ''}`,
      });
    }
  });
  if (!node.defaultBranch)
    problems.push({
      code: 'route_default',
      nodeId: node.id,
      message: `route "${node.id}" has no default branch: name one for messages no predicate matches`,
    });
  for (const e of out.filter((x) => x.branch === undefined || !known.has(x.branch)))
    problems.push({
      code: 'route_branch',
      nodeId: node.id,
      edge: at(e),
      message:
        e.branch === undefined
          ? `the edge from route "${node.id}" to "${e.to}" names no branch`
          : `the edge from route "${node.id}" to "${e.to}" names branch "${e.branch}", which the route does not have`,
    });
  for (const branch of known) {
    const leaving = out.filter((e) => e.branch === branch).length;
    if (leaving === 1) continue;
    const isDefault = branch === node.defaultBranch;
    problems.push({
      code: isDefault ? 'route_default' : 'route_branch',
      nodeId: node.id,
      message:
        leaving === 0
          ? `${isDefault ? 'the default branch' : 'branch'} "${branch}" of route "${node.id}" leads nowhere: connect it to the next step`
          : `branch "${branch}" of route "${node.id}" has ${leaving} edges; a branch leads to one step`,
    });
  }
  return problems;
}

/** Nodes no source leads to (from every source, so a second source is only a source_count). */
function reachability(nodes: FlowNode[], edges: FlowEdge[], sources: FlowNode[]): FlowProblem[] {
  const reached = new Set(sources.map((s) => s.id));
  const queue = [...reached];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const e of edges)
      if (e.from === id && !reached.has(e.to)) {
        reached.add(e.to);
        queue.push(e.to);
      }
  }
  return nodes
    .filter((n) => n.kind !== 'errorHandler' && !reached.has(n.id))
    .map((n) => ({
      code: 'unreachable' as const,
      nodeId: n.id,
      message: `"${n.id}" (${n.kind}) cannot be reached from the source "${sources[0].id}"`,
    }));
}

/** Each cycle once (found by depth-first search), named by its nodes and closing edge. */
function cycles(nodes: FlowNode[], edges: FlowEdge[]): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string) => {
    state.set(id, 'open');
    stack.push(id);
    for (const e of edges.filter((x) => x.from === id)) {
      const seen = state.get(e.to);
      if (seen === 'open') {
        const loop = [...stack.slice(stack.indexOf(e.to)), e.to];
        problems.push({
          code: 'cycle',
          nodeId: e.to,
          edge: at(e),
          message: `the flow loops: ${loop.map((n) => `"${n}"`).join(' → ')}; messages must not come back to a step`,
        });
      } else if (seen === undefined) visit(e.to);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const n of nodes) if (!state.has(n.id)) visit(n.id);
  return problems;
}
