import type { FastifyInstance } from 'fastify';

export async function contactsRoutes(_app: FastifyInstance) {}
