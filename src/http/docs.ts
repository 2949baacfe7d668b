// Browsable API reference at /api/docs, rendered from /api/openapi.json.
import type { FastifyInstance } from 'fastify';
import apiReference from '@scalar/fastify-api-reference';

export default async function docs(app: FastifyInstance) {
  await app.register(apiReference, {
    routePrefix: '/api/docs',
    configuration: { url: '/api/openapi.json', title: 'revloop API reference', hideClientButton: false },
  });
}
