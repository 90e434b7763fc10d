import { type MappingTestResultDto } from './dto/mapping-test.dto';

/** Why a sample test did not pass, in one sentence (the first reason found, in test order). */
export function whySampleFailed(result: MappingTestResultDto): string {
  const where = (e: { path?: string; line?: number }) =>
    e.path ? ` at ${e.path}` : e.line !== undefined ? ` on line ${e.line}` : '';
  const [input] = result.inputErrors;
  if (!result.inputValid)
    return input
      ? `the input does not fit the source schema${where(input)}: ${input.message}`
      : 'the input does not fit the source schema';
  if (result.error) return `the transformation failed: ${result.error.message}`;
  const [output] = result.outputErrors;
  if (result.outputValid === false)
    return output
      ? `the output does not fit the target schema${where(output)}: ${output.message}`
      : 'the output does not fit the target schema';
  const [first] = result.diff ?? [];
  if (first)
    return `the output differs from the expected one at ${first.path || '/'} (${first.op}${
      result.diff && result.diff.length > 1 ? `, ${result.diff.length} differences` : ''
    })`;
  return 'the sample did not pass';
}
