import { PayloadTooComplexError, SchemaInvalidError } from '@integrixs/schema-engine';

import { buildProblem, toProblemParts } from './problem-mapper';

describe('schema engine problems', () => {
  it('answers an invalid schema with a 422 problem+json listing every problem', () => {
    const error = new SchemaInvalidError([
      {
        file: 'a.wsdl',
        line: 35,
        message:
          'operation GetWeather output refers to message tns:GetWeatherResponse, which is not defined',
        code: 'definition_missing',
      },
      {
        file: 's.json',
        pointer: '/properties/x/$ref',
        message: '$ref "x.json" is not in the bundle or the library',
        code: 'reference_unresolved',
      },
    ]);
    const problem = buildProblem(toProblemParts(error), '/api/packages/p/schemas', 'trace');
    expect(problem).toMatchObject({
      status: 422,
      code: 'schema_invalid',
      type: 'https://integrixs.io/problems/schema-invalid',
      title: 'The schema is not valid',
      detail:
        'a.wsdl:35: operation GetWeather output refers to message tns:GetWeatherResponse, which is not defined (and 1 more problems)',
      errors: [
        {
          path: 'a.wsdl:35',
          message:
            'operation GetWeather output refers to message tns:GetWeatherResponse, which is not defined',
          code: 'definition_missing',
        },
        {
          path: 's.json#/properties/x/$ref',
          message: '$ref "x.json" is not in the bundle or the library',
          code: 'reference_unresolved',
        },
      ],
      problems: error.problems,
    });
  });

  it('maps a payload that takes too long to a 422', () => {
    expect(toProblemParts(new PayloadTooComplexError(10_000))).toMatchObject({
      status: 422,
      code: 'payload_too_complex',
      detail: 'validation did not finish within 10000 ms; the payload was abandoned',
    });
  });
});
