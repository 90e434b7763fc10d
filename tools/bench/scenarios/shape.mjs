/**
 * A tiny JSON shape check for the first response of a scenario. A shape is a type name
 * ('string', 'number', 'boolean', 'null', 'string|null', ...), an array `[itemShape]` (every item
 * must match) or an object `{ key: shape }` (every key must be present; extra keys are allowed).
 * Returns the list of mismatches, empty when the value fits.
 */
export function shapeProblems(value, shape, path = 'body') {
  if (typeof shape === 'string') {
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    return shape.split('|').includes(actual) ? [] : [`${path} is ${actual}, expected ${shape}`];
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return [`${path} is not an array`];
    return value.flatMap((item, i) => shapeProblems(item, shape[0], `${path}[${i}]`));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [`${path} is not an object`];
  }
  return Object.entries(shape).flatMap(([key, inner]) =>
    key in value
      ? shapeProblems(value[key], inner, `${path}.${key}`)
      : [`${path}.${key} is missing`],
  );
}

/** Problems unless `condition` holds (for checks a shape cannot express). */
export function expect(condition, message) {
  return condition ? [] : [message];
}
