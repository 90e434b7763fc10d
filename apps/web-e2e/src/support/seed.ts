import { type ApiClient, type PackageDto, type SchemaDetailDto } from '@integrixs/api-client';

import { apiAs } from './api-as';

/** Seeds through the public API with the generated client and an access token, as a CI pipeline would. */
export class Seeder {
  private readonly client: ApiClient;

  constructor(baseUrl: string, token: string) {
    this.client = apiAs(baseUrl, token);
  }

  async createPackage(name: string, description = '', tags: string[] = []): Promise<PackageDto> {
    const { data, error } = await this.client.POST('/api/packages', {
      body: { name, description, tags },
    });
    if (!data) throw new Error(`could not create package ${name}: ${JSON.stringify(error)}`);
    return data;
  }

  /** An XSD schema of `document` (by default one string element named after the schema). */
  async createSchema(
    packageId: string,
    name: string,
    document = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="${name.replace(/\W/g, '')}" type="xs:string"/></xs:schema>`,
    fileName?: string,
  ): Promise<SchemaDetailDto> {
    const { data, error } = await this.client.POST('/api/packages/{id}/schemas', {
      params: { path: { id: packageId } },
      body: { name, type: 'XSD', document, fileName },
    });
    if (!data) throw new Error(`could not create schema ${name}: ${JSON.stringify(error)}`);
    return data;
  }
}
